import { endpoint, type Endpoint } from '../endpoint';

/** Live updates shared by every area's screens (see ./index.ts). */
export const eventsEndpoints = {
  events: endpoint({
    method: 'GET',
    path: '/api/events',
    access: 'session',
    summary: 'Server-sent events naming the tables that just changed; ends when the session ends',
    response: 'event-stream',
  }),
} satisfies Record<string, Endpoint>;
