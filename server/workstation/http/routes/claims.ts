import { firstTransactionSet } from '../../../contracts/claims/api';
import { hasPermission } from '../../../domain/admin/permission-matrix';
import { AppError } from '../../../platform/errors';
import type { Store } from '../../db/store';
import { userRoles } from '../../services/admin/user-rows';
import { apply277CA, apply999 } from '../../services/claims/acks';
import { buildBatch } from '../../services/claims/batch';
import { getClaim, getClaimFile, listClaims } from '../../services/claims/board';
import { createClaimsFromVisit, rescrubClaim } from '../../services/claims/create';
import { listDenials, workDenial } from '../../services/claims/denials';
import { importEra, postAssisted } from '../../services/claims/era';
import { eraWorklist } from '../../services/claims/era-worklist';
import {
  createPayer,
  getBillingProvider,
  getClearinghouseSettings,
  listPayers,
  listRenderingProviders,
  saveBillingProvider,
  saveClearinghouseSettings,
  saveRenderingProvider,
  updatePayer,
} from '../../services/claims/setup';
import { previewClaims, unbilledVisits, visitForClaims } from '../../services/claims/visit-claims';
import { voidClaim } from '../../services/claims/void';
import { getInboundFile, listReceivedFiles } from '../../services/claims/received-files';
import { clearinghouseConnectionStatus } from '../../services/claims/central-connection';
import { TelehealthGateway } from '../../services/telehealth/gateway';
import type { Handlers } from '../context';
import type { claimsEndpoints } from '../../../contracts/claims/endpoints';

type ClaimsEndpoints = keyof typeof claimsEndpoints;

/** A 999 or a 277CA, told apart by ST01 (a clearinghouse may drop either in the same folder). */
function ackKind(content: string): '999' | '277' | null {
  const st = firstTransactionSet(content);
  return st === '999' || st === '277' ? st : null;
}

export function claimsHandlers(deps: { store: Store; gateway?: TelehealthGateway }): Handlers<ClaimsEndpoints> {
  const { store } = deps;
  // The staff relay to central (named for its first user, telehealth; the portal routes use it too).
  const gateway = deps.gateway ?? new TelehealthGateway(store);
  return {
    listClaimPayers: () => ({ payers: listPayers(store) }),
    createClaimPayer: ({ body, signedIn }) => createPayer(store, signedIn.actor, body),
    updateClaimPayer: ({ params, body, signedIn }) => updatePayer(store, signedIn.actor, params.id, body),
    getBillingProvider: () => ({ billingProvider: getBillingProvider(store) }),
    saveBillingProvider: ({ body, signedIn }) => saveBillingProvider(store, signedIn.actor, body),
    listRenderingProviders: () => ({ providers: listRenderingProviders(store) }),
    saveRenderingProvider: ({ params, body, signedIn }) => saveRenderingProvider(store, signedIn.actor, params.userId, body),
    getClearinghouse: () => ({ clearinghouse: getClearinghouseSettings(store) }),
    getClearinghouseConnection: ({ signedIn }) => clearinghouseConnectionStatus(gateway, signedIn.user.id),
    saveClearinghouse: ({ body, signedIn }) => saveClearinghouseSettings(store, signedIn.actor, body),
    listClaims: ({ query, signedIn }) => ({ claims: listClaims(store, signedIn.actor, query) }),
    getClaim: ({ params, signedIn }) => getClaim(store, signedIn.actor, params.id),
    createClaims: ({ body, signedIn }) => ({
      claims: createClaimsFromVisit(store, signedIn.actor, body.encounterId, { priority: body.priority, chargeLineIds: body.chargeLineIds }),
    }),
    listUnbilledVisits: ({ signedIn }) => unbilledVisits(store, signedIn.actor),
    getVisitForClaims: ({ params, signedIn }) => visitForClaims(store, signedIn.actor, params.id),
    previewClaims: ({ body, signedIn }) => previewClaims(store, signedIn.actor, body),
    voidClaim: ({ params, signedIn }) => voidClaim(store, signedIn.actor, params.id),
    rescrubClaim: ({ params, signedIn }) => rescrubClaim(store, signedIn.actor, params.id),
    buildClaimBatch: ({ body, signedIn }) => buildBatch(store, signedIn.actor, body),
    importClaimAck: ({ body, signedIn }) => {
      const kind = ackKind(body.content);
      if (!kind)
        throw new AppError(400, 'invalid_file', 'This is neither a 999 nor a 277CA file.', { content: 'Choose a 999 or 277CA file.' });
      return kind === '999'
        ? apply999(store, signedIn.actor, body.name, body.content)
        : apply277CA(store, signedIn.actor, body.name, body.content);
    },
    importEra: ({ body, signedIn }) => importEra(store, signedIn.actor, body.name, body.content),
    listEraPayments: ({ query }) => ({ payments: eraWorklist(store, query.status) }),
    postAssistedEra: ({ params, body, signedIn }) => postAssisted(store, signedIn.actor, params.id, body.resolutions),
    getClaimFile: ({ params, signedIn }) => getClaimFile(store, signedIn.actor, params.id),
    listReceivedClaimFiles: ({ signedIn }) => listReceivedFiles(store, signedIn.actor),
    getInboundClaimFile: ({ params, signedIn }) => getInboundFile(store, signedIn.actor, params.id),
    listDenials: () => ({ groups: listDenials(store) }),
    workDenial: ({ params, body, signedIn }) => {
      if (body.action === 'written_off' && !hasPermission(userRoles(signedIn.user), 'billing.writeoff')) {
        store.audit(signedIn.actor, { action: 'access.denied', outcome: 'denied', detail: { permission: 'billing.writeoff' } });
        throw new AppError(403, 'forbidden', 'Your role does not allow write-offs. Ask an administrator if you need it.');
      }
      return workDenial(store, signedIn.actor, params.id, body);
    },
  };
}
