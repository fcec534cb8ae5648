import { z } from 'zod';
import { idSchema } from '../common';
import {
  chatMessageSchema,
  participantSchema,
  sessionSnapshotSchema,
  telehealthSessionSchema,
} from './index';

/**
 * The live channel of a session: server-sent events, one JSON object per `data:` line, event name
 * `telehealth` (`event: telehealth`). Both sides get the same shapes:
 * - the patient's page: `GET /v1/telehealth/participant/events` on central with the participant credential
 *   (`Authorization: Bearer`; read it with fetch() and a stream reader — EventSource cannot send headers);
 * - the clinician: `GET /api/telehealth/sessions/:sessionId/events` on the workstation (EventSource works:
 *   the workstation's cookies), which relays central's stream.
 * The first event of every stream is a `snapshot`; a stream that breaks is simply reopened (the new
 * snapshot is the truth). A comment line (`: keep-alive`) comes every 15 s.
 */

export const TELEHEALTH_SSE_EVENT = 'telehealth';

/** WebRTC signaling for the direct provider, relayed by central to one participant of the same session. */
export const signalKinds = ['offer', 'answer', 'candidate', 'bye'] as const;
export const signalKindSchema = z.enum(signalKinds);

export const iceCandidateSchema = z.object({
  candidate: z.string().max(2000),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1000).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

/**
 * What a page POSTs (`…/signals`): to whom and what. Only admitted/connected participants and the host may
 * signal, and only to another admitted/connected participant or the host of the same open session: the
 * relay enforces the waiting room as the room tokens do. `candidate: null` is the end-of-candidates mark.
 */
export const sendSignalSchema = z
  .object({
    to: idSchema,
    kind: signalKindSchema,
    sdp: z.string().max(60_000, 'A session description this large is not one a browser makes.').optional(),
    candidate: iceCandidateSchema.nullable().optional(),
  })
  .refine((s) => (s.kind === 'offer' || s.kind === 'answer' ? typeof s.sdp === 'string' : true), {
    message: 'An offer or answer carries its SDP.',
    path: ['sdp'],
  });
export type SendSignal = z.infer<typeof sendSignalSchema>;

/** As delivered: the sender is stamped by central (never taken from the body). */
export const signalSchema = z.object({
  id: idSchema,
  from: idSchema,
  to: idSchema,
  kind: signalKindSchema,
  sdp: z.string().optional(),
  candidate: iceCandidateSchema.nullable().optional(),
});
export type Signal = z.infer<typeof signalSchema>;

/**
 * Events on the live channel:
 * - snapshot: the whole state (first event; also after anything a delta cannot express);
 * - participant: one participant's new state (waiting, admitted, denied, removed, …);
 * - session: the session changed (audio only, ended, location confirmed);
 * - chat: a new message;
 * - signal: a WebRTC signaling message addressed to you (direct provider);
 * - retired: this credential/stream is no longer valid (the link was opened elsewhere, or you were
 *   removed): the page stops and shows `message`.
 * A participant in the waiting room receives snapshot/participant/session/chat events only about itself
 * and the host (and chat): "the clinician will let you in shortly".
 */
export const liveEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: sessionSnapshotSchema }),
  z.object({ type: z.literal('participant'), participant: participantSchema }),
  z.object({ type: z.literal('session'), session: telehealthSessionSchema }),
  z.object({ type: z.literal('chat'), message: chatMessageSchema }),
  z.object({ type: z.literal('signal'), signal: signalSchema }),
  z.object({ type: z.literal('retired'), code: z.string(), message: z.string() }),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;

/**
 * Direct provider, who calls whom: the participant that received room access later sends the offer to each
 * participant already `connected` (so the host, usually first in, answers); `bye` on hang-up. A page that
 * reconnects after a drop offers again. The relay only forwards: ordering is the pages' rule.
 */
export const DIRECT_OFFER_RULE = 'later-joiner-offers' as const;
