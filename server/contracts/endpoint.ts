import type { z } from 'zod';
import type { Permission } from './admin/permissions';

/**
 * Who may call an endpoint:
 * - `public`: anyone who can reach loopback (health, API description, the launch hand-off);
 * - `launch`: holders of this launch's cookie (setup and the sign-in steps);
 * - `session`: any signed-in staff member;
 * - a Permission: a signed-in staff member whose roles grant it.
 */
export type Access = 'public' | 'launch' | 'session' | Permission;

export interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  access: Access;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /**
   * JSON response schema, 'csv' / 'pdf' / 'ics' for a file download, or 'event-stream' for server-sent
   * events (the handler keeps the response open; the stream never counts as user activity).
   */
  response: z.ZodType | 'csv' | 'pdf' | 'ics' | 'event-stream';
  /**
   * A `session` endpoint that a session whose password must still be changed (an account's first sign-in,
   * or after an administrator's reset) may reach: the change itself, and keeping or ending the session.
   * Every other endpoint answers such a session 403 `password_change_required`.
   */
  beforePasswordChange?: true;
}

/** Keeps each entry's literal types (access, schemas) while checking its shape. */
export const endpoint = <E extends Endpoint>(e: E) => e;
