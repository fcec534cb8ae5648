import type { Request } from 'express';
import type { inboxEndpoints } from '../../../contracts/inbox/endpoints';
import type { Store } from '../../db/store';
import { InboxService } from '../../services/inbox/inbox';
import { QuestionnaireService } from '../../services/inbox/questionnaires';
import type { Handlers } from '../context';
import { BACKGROUND_HEADER } from '../register';

/** A live refresh the screen made by itself: not a new look at the record, so not audited again. */
const isBackground = (req: Request) => !!req.headers[BACKGROUND_HEADER];

/** The clinic inbox and the patient record's questionnaires (services/inbox). */
export function inboxHandlers(deps: { store: Store }): Handlers<keyof typeof inboxEndpoints> {
  const inbox = new InboxService(deps.store);
  const questionnaires = new QuestionnaireService(deps.store);
  return {
    inbox: ({ query, req, signedIn }) => inbox.list(signedIn.actor, query.filter, isBackground(req)),
    inboxThread: ({ params, req, signedIn }) =>
      inbox.read(signedIn.actor, params.threadId, isBackground(req)),
    inboxReply: ({ params, body, signedIn }) => inbox.reply(signedIn.actor, params.threadId, body.body),
    inboxAssign: ({ params, body, signedIn }) => inbox.assign(signedIn.actor, params.threadId, body.userId),
    patientQuestionnaires: ({ params, req, signedIn }) =>
      questionnaires.list(signedIn.actor, params.patientId, isBackground(req)),
    questionnaireSend: ({ params, body, signedIn }) =>
      questionnaires.send(signedIn.actor, params.patientId, body.instrument, body.schedule),
    questionnaireStop: ({ params, signedIn }) =>
      questionnaires.stop(signedIn.actor, params.patientId, params.id),
    questionnaireReview: ({ params, signedIn }) =>
      questionnaires.review(signedIn.actor, params.patientId, params.id),
  };
}
