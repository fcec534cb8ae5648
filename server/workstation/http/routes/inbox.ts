import type { Request } from 'express';
import { centralApi } from '../../../contracts/central/endpoints';
import type { inboxEndpoints } from '../../../contracts/inbox/endpoints';
import type { PortalFile, RecordFile } from '../../../contracts/portal/files';
import { checkPortalFile } from '../../../domain/portal/file-type';
import { fieldError } from '../../../platform/errors';
import type { Store } from '../../db/store';
import { InboxService } from '../../services/inbox/inbox';
import { QuestionnaireService } from '../../services/inbox/questionnaires';
import { TelehealthGateway } from '../../services/telehealth/gateway';
import type { SyncEngine } from '../../sync/engine';
import type { Handlers } from '../context';
import { BACKGROUND_HEADER } from '../register';
import { portalCentralCaller } from './portal-central';

/** A live refresh the screen made by itself: not a new look at the record, so not audited again. */
const isBackground = (req: Request) => !!req.headers[BACKGROUND_HEADER];

const ATTACH_OFFLINE =
  'Attachments are kept at the central server, which cannot be reached right now. Send the reply without them, or try again when the connection is back.';

/**
 * The clinic inbox and the patient record's questionnaires (services/inbox). A reply's attachments are
 * checked here first (all of them, so a refused one stops the reply before anything is stored), then sent
 * to central one by one under the reply's id, then the reply is written; a sync brings their rows back.
 */
export function inboxHandlers(deps: {
  store: Store;
  sync?: Pick<SyncEngine, 'syncNow'>;
  gateway?: TelehealthGateway;
}): Handlers<keyof typeof inboxEndpoints> {
  const inbox = new InboxService(deps.store);
  const questionnaires = new QuestionnaireService(deps.store);
  const gateway = deps.gateway ?? new TelehealthGateway(deps.store);
  const call = portalCentralCaller({ gateway, sync: deps.sync, offline: ATTACH_OFFLINE });
  return {
    inbox: ({ query, req, signedIn }) => inbox.list(signedIn.actor, query.filter, isBackground(req)),
    inboxThread: ({ params, req, signedIn }) =>
      inbox.read(signedIn.actor, params.threadId, isBackground(req)),
    inboxReply: async ({ params, body, signedIn }) => {
      if (body.attachments.length === 0) return inbox.reply(signedIn.actor, params.threadId, body.body);
      body.attachments.forEach((a, i) => {
        const checked = checkPortalFile(Buffer.from(a.contentBase64, 'base64'));
        if ('problem' in checked) throw fieldError(`attachments.${i}`, checked.problem);
      });
      const prepared = inbox.prepareReply(signedIn.actor, params.threadId);
      const files: RecordFile[] = [];
      for (const [i, a] of body.attachments.entries()) {
        const f = (await call('POST', centralApi.portalCentralAttach.path, signedIn.user.id, {
          patientId: prepared.patientId,
          messageId: prepared.messageId,
          senderName: prepared.senderName,
          position: i + 1,
          contentBase64: a.contentBase64,
        })) as PortalFile;
        files.push({
          id: f.id,
          purpose: f.purpose,
          sender: f.sender,
          senderName: prepared.senderName,
          title: f.title,
          contentType: f.contentType,
          sizeBytes: f.sizeBytes,
          messageId: prepared.messageId,
          uploadedAt: f.uploadedAt,
          reviewedAt: null,
          reviewedByName: null,
        });
      }
      const message = inbox.reply(signedIn.actor, params.threadId, body.body, prepared, files);
      // The files' rows were written at central: bring them (and the reply) across now, not at the next tick.
      void deps.sync?.syncNow().catch(() => {});
      return message;
    },
    inboxAssign: ({ params, body, signedIn }) => inbox.assign(signedIn.actor, params.threadId, body.userId),
    patientQuestionnaires: ({ params, req, signedIn }) =>
      questionnaires.list(signedIn.actor, params.patientId, isBackground(req)),
    questionnaireSend: ({ params, body, signedIn }) =>
      questionnaires.send(
        signedIn.actor,
        params.patientId,
        body.instrument,
        body.schedule,
        body.repeatWeeks ?? null,
      ),
    questionnaireStop: ({ params, signedIn }) =>
      questionnaires.stop(signedIn.actor, params.patientId, params.id),
    questionnaireReview: ({ params, signedIn }) =>
      questionnaires.review(signedIn.actor, params.patientId, params.id),
  };
}
