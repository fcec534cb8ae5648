import type { z } from 'zod';
import { adminEndpoints } from './admin/endpoints';
import { auditEndpoints } from './audit/endpoints';
import { billingFeesEndpoints } from './billing/fees-endpoints';
import { authEndpoints } from './auth/endpoints';
import { billingEndpoints } from './billing/endpoints';
import { billingDocumentEndpoints } from './billing/documents-endpoints';
import { clinicalEndpoints } from './clinical/endpoints';
import type { Endpoint } from './endpoint';
import { eventsEndpoints } from './events/endpoints';
import { maintenanceEndpoints } from './maintenance/endpoints';
import { patientsEndpoints } from './patients/endpoints';
import { schedulingEndpoints } from './scheduling/endpoints';
import { syncEndpoints } from './sync/endpoints';
import { systemEndpoints } from './system/endpoints';
import { telehealthEndpoints } from './telehealth/endpoints';
import { portalWorkstationEndpoints } from './portal/workstation-endpoints';
import { inboxEndpoints } from './inbox/endpoints';
import { claimsEndpoints } from './claims/endpoints';
import { claimsAgingEndpoints } from './claims/aging-endpoints';
import { eligibilityEndpoints } from './claims/eligibility-endpoints';
import { formEndpoints } from './forms/endpoints';
import { trackingEndpoints } from './portal/tracking-endpoints';

export type { Access, Endpoint } from './endpoint';

/**
 * The one catalogue of HTTP endpoints, assembled from each area's `endpoints.ts`. The workstation server
 * registers a handler for each entry (and refuses to start if one is missing), the renderer calls them by
 * name, and the OpenAPI document is generated from it. Names are unique across areas.
 */
export const api = {
  ...systemEndpoints,
  ...authEndpoints,
  ...adminEndpoints,
  ...auditEndpoints,
  ...patientsEndpoints,
  ...schedulingEndpoints,
  ...eventsEndpoints,
  ...clinicalEndpoints,
  ...syncEndpoints,
  ...maintenanceEndpoints,
  ...billingEndpoints,
  ...billingFeesEndpoints,
  ...billingDocumentEndpoints,
  ...telehealthEndpoints,
  ...portalWorkstationEndpoints,
  ...inboxEndpoints,
  ...claimsEndpoints,
  ...claimsAgingEndpoints,
  ...eligibilityEndpoints,
  ...formEndpoints,
  ...trackingEndpoints,
} satisfies Record<string, Endpoint>;

export type Api = typeof api;
export type EndpointName = keyof Api;
type Infer<T> = T extends z.ZodType ? z.infer<T> : never;
type InferInput<T> = T extends z.ZodType ? z.input<T> : never;
export type BodyOf<N extends EndpointName> = Api[N] extends { body: infer B } ? InferInput<B> : undefined;
export type QueryOf<N extends EndpointName> = Api[N] extends { query: infer Q } ? InferInput<Q> : undefined;
export type ParamsOf<N extends EndpointName> = Api[N] extends { params: infer P } ? Infer<P> : undefined;
export type ResponseOf<N extends EndpointName> = Api[N]['response'] extends z.ZodType
  ? z.infer<Api[N]['response']>
  : string;
