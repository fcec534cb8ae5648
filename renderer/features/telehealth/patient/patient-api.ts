import type { z } from 'zod';
import { apiErrorSchema } from '../../../../server/contracts/common';
import { telehealthCentralEndpoints as endpoints } from '../../../../server/contracts/telehealth/central-endpoints';

/**
 * The patient page's calls to central (same origin: central serves this page). The participant
 * credential travels in the Authorization header and lives only in memory: a reload joins again and
 * lands in the waiting room, as the server insists.
 */

type Endpoints = typeof endpoints;
type Name = keyof Endpoints;
type ResponseOf<N extends Name> = Endpoints[N]['response'] extends z.ZodType ? z.infer<Endpoints[N]['response']> : never;
type BodyOf<N extends Name> = Endpoints[N] extends { body: z.ZodType } ? z.input<Endpoints[N]['body']> : undefined;

export class CentralError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function central<N extends Name>(name: N, options: { body?: BodyOf<N>; credential?: string | null } = {}): Promise<ResponseOf<N>> {
  const endpoint = endpoints[name];
  let response: Response;
  try {
    response = await fetch(endpoint.path, {
      method: endpoint.method,
      headers: {
        Accept: 'application/json',
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(options.credential ? { Authorization: `Bearer ${options.credential}` } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      cache: 'no-store',
    });
  } catch {
    throw new CentralError(0, 'network', 'We cannot reach the clinic’s server. Check your internet connection and try again.');
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    if (parsed.success) throw new CentralError(response.status, parsed.data.error.code, parsed.data.error.message);
    throw new CentralError(response.status, `http_${response.status}`, 'Something went wrong on the clinic’s server. Try again in a minute.');
  }
  const schema = endpoint.response as z.ZodType;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new CentralError(response.status, 'bad_response', 'The clinic’s server sent an unexpected answer. Try again.');
  return parsed.data as ResponseOf<N>;
}

export const participantEventsUrl = endpoints.telehealthParticipantEvents.path;
