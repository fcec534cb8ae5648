import type { inboxEndpoints } from '../../../contracts/inbox/endpoints';
import type { Store } from '../../db/store';
import { InboxService } from '../../services/inbox/inbox';
import { QuestionnaireService } from '../../services/inbox/questionnaires';
import type { Handlers } from '../context';

/** The clinic inbox and the patient record's questionnaires (services/inbox). */
export function inboxHandlers(deps: { store: Store }): Handlers<keyof typeof inboxEndpoints> {
  const inbox = new InboxService(deps.store);
  const questionnaires = new QuestionnaireService(deps.store);
  return {
    inbox: ({ query, signedIn }) => inbox.list(signedIn.actor, query.filter),
    inboxThread: ({ params, signedIn }) => inbox.read(signedIn.actor, params.threadId),
    inboxReply: ({ params, body, signedIn }) => inbox.reply(signedIn.actor, params.threadId, body.body),
    inboxAssign: ({ params, body, signedIn }) => inbox.assign(signedIn.actor, params.threadId, body.userId),
    patientQuestionnaires: ({ params, signedIn }) => questionnaires.list(signedIn.actor, params.patientId),
    questionnaireSend: ({ params, body, signedIn }) =>
      questionnaires.send(signedIn.actor, params.patientId, body.instrument, body.schedule),
    questionnaireStop: ({ params, signedIn }) =>
      questionnaires.stop(signedIn.actor, params.patientId, params.id),
    questionnaireReview: ({ params, signedIn }) =>
      questionnaires.review(signedIn.actor, params.patientId, params.id),
  };
}
