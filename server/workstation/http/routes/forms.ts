import type { Request } from 'express';
import type { formEndpoints } from '../../../contracts/forms/endpoints';
import type { Store } from '../../db/store';
import { FormChangeService } from '../../services/forms/changes';
import { FormService } from '../../services/forms/forms';
import type { Handlers } from '../context';
import { BACKGROUND_HEADER } from '../register';

/** A live refresh the screen made by itself: not a new look at the record, so not audited again. */
const isBackground = (req: Request) => !!req.headers[BACKGROUND_HEADER];

/** Portal forms on the patient record and the review queue of proposed changes (services/forms). */
export function formHandlers(deps: { store: Store }): Handlers<keyof typeof formEndpoints> {
  const changes = new FormChangeService(deps.store);
  const forms = new FormService(deps.store, changes);
  return {
    patientForms: ({ params, req, signedIn }) =>
      forms.list(signedIn.actor, params.patientId, isBackground(req)),
    formSend: ({ params, body, signedIn }) =>
      forms.send(signedIn.actor, params.patientId, body.kind, body.consentId),
    formStop: ({ params, signedIn }) => forms.stop(signedIn.actor, params.patientId, params.id),
    formConsentPdf: async ({ params, res, signedIn }) => {
      const { pdf, fileName } = await forms.consentPdf(signedIn.actor, params.patientId, params.id);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
      res.setHeader('Content-Length', String(pdf.length));
      res.setHeader('Cache-Control', 'no-store');
      res.end(pdf);
    },
    formChanges: ({ req, signedIn }) => changes.pending(signedIn.actor, isBackground(req)),
    formChangeDecide: ({ params, body, signedIn }) =>
      changes.decide(signedIn.actor, params.id, body.decision),
  };
}
