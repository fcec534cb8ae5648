import { telehealthCentralEndpoints } from '../../contracts/telehealth/central-endpoints';
import { AppError } from '../../platform/errors';
import type { CentralHandlers } from './register';

type Names = keyof typeof telehealthCentralEndpoints;

/** Telehealth handlers (placeholder until the service lands: every call answers "not configured"). */
export function telehealthCentralHandlers(): Pick<CentralHandlers, Names> {
  const refuse = () => {
    throw new AppError(503, 'telehealth_not_configured', 'Telehealth is not configured on this central server.');
  };
  return Object.fromEntries(
    Object.keys(telehealthCentralEndpoints).map((n) => [n, refuse]),
  ) as unknown as Pick<CentralHandlers, Names>;
}
