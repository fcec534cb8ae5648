import { api, type EndpointName } from '../../../contracts/api';
import type { Store } from '../../db/store';
import type { EndedSession, Sessions } from '../../services/auth/sessions';
import type { SyncEngine } from '../../sync/engine';
import { readCookie, SESSION_COOKIE } from '../middleware/launch';
import type { AuditAction } from '../../../contracts/audit';
import { centralApi } from '../../../contracts/central/endpoints';
import { type telehealthEndpoints } from '../../../contracts/telehealth/endpoints';
import { readVisitRecord } from '../../services/telehealth/record';
import { TelehealthGateway } from '../../services/telehealth/gateway';
import { AppError } from '../../../platform/errors';
import type { TelehealthSession } from '../../../contracts/telehealth';
import { visitModality } from '../../../domain/telehealth/modality';
import { setEncounterModality } from '../../services/billing/charges';
import type { Handler, Handlers, RequestContext } from '../context';

type TelehealthName = keyof typeof telehealthEndpoints;

/**
 * The workstation's telehealth endpoints: each forwards to its central counterpart (same params, body and
 * answer) through the gateway, as the signed-in staff member, and audits what it touched with the patient
 * of the visit. `telehealthRecord` reads the local replicated copy; `telehealthStatus` answers even
 * offline ("Telehealth needs the central server…").
 */

/** Workstation endpoint → central endpoint, and what to audit (null: nothing patient-specific). */
const forwards: Record<
  Exclude<TelehealthName, 'telehealthStatus' | 'telehealthRecord' | 'telehealthEvents'>,
  { central: keyof typeof centralApi; audit: AuditAction | null }
> = {
  telehealthOpenSessions: { central: 'telehealthCentralOpenSessions', audit: null },
  telehealthStart: { central: 'telehealthCentralStart', audit: 'telehealth.start' },
  telehealthByAppointment: { central: 'telehealthCentralByAppointment', audit: 'telehealth.read' },
  telehealthSession: { central: 'telehealthCentralSession', audit: 'telehealth.read' },
  telehealthLink: { central: 'telehealthCentralLink', audit: 'telehealth.link' },
  telehealthAdmit: { central: 'telehealthCentralAdmit', audit: 'telehealth.admission' },
  telehealthAdmitAll: { central: 'telehealthCentralAdmitAll', audit: 'telehealth.admission' },
  telehealthDeny: { central: 'telehealthCentralDeny', audit: 'telehealth.admission' },
  telehealthRemove: { central: 'telehealthCentralRemove', audit: 'telehealth.admission' },
  telehealthRoomAccess: { central: 'telehealthCentralRoomAccess', audit: null },
  telehealthPreflight: { central: 'telehealthCentralPreflight', audit: null },
  telehealthChat: { central: 'telehealthCentralChat', audit: 'telehealth.chat' },
  telehealthSignal: { central: 'telehealthCentralSignal', audit: null },
  telehealthConnection: { central: 'telehealthCentralConnection', audit: null },
  telehealthLocation: { central: 'telehealthCentralLocation', audit: 'telehealth.update' },
  telehealthAudioOnly: { central: 'telehealthCentralAudioOnly', audit: 'telehealth.update' },
  telehealthMode: { central: 'telehealthCentralMode', audit: 'telehealth.update' },
  telehealthEnd: { central: 'telehealthCentralEnd', audit: 'telehealth.end' },
};

/** `/v1/…/:sessionId/…` with the request's params filled in (encoded). */
export function fillPath(pattern: string, params: Record<string, string> | undefined): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_m, key: string) => {
    const v = params?.[key];
    if (v === undefined) throw new Error(`Missing path parameter ${key}`);
    return encodeURIComponent(v);
  });
}

/** Central does not know yet what this workstation just wrote (the appointment, a new account): sync, retry. */
const NOT_YET_AT_CENTRAL = new Set(['appointment_unknown', 'staff_unknown']);

/** How often a relayed stream re-checks the staff session (sign-out, lock, idle time-out end it). */
const SESSION_CHECK_MS = 10_000;

export function telehealthHandlers(deps: {
  store: Store;
  sync?: Pick<SyncEngine, 'syncNow'>;
  gateway?: TelehealthGateway;
  sessions?: Pick<Sessions, 'resolve' | 'onEnded'>;
}): Handlers<TelehealthName> {
  const { store, sync } = deps;
  const gateway = deps.gateway ?? new TelehealthGateway(store);

  /**
   * Visits this workstation's clinicians are in, by staff session: set when the clinician's app reports the
   * room connected, cleared when they leave or end it. When a staff session ends — above all the idle
   * time-out, found by the server or by the screen's lock — the app can no longer speak for the clinician
   * (its calls are refused), so the workstation tells central they left, with why: the patient's waiting
   * room then shows them away, and the record says they were signed out.
   */
  const inVisit = new Map<string, { userId: string; sessionIds: Set<string> }>();
  const present = (tokenHash: string, userId: string, sessionId: string, state: 'connected' | 'left') => {
    const entry = inVisit.get(tokenHash) ?? { userId, sessionIds: new Set<string>() };
    if (state === 'connected') entry.sessionIds.add(sessionId);
    else entry.sessionIds.delete(sessionId);
    if (entry.sessionIds.size > 0) inVisit.set(tokenHash, entry);
    else inVisit.delete(tokenHash);
  };
  const signedOut = (ended: EndedSession) => {
    const gone = [...inVisit.entries()].filter(
      ([tokenHash, entry]) =>
        ended.tokenHash ? tokenHash === ended.tokenHash : ended.userId ? entry.userId === ended.userId : true,
    );
    for (const [tokenHash, entry] of gone) {
      inVisit.delete(tokenHash);
      for (const sessionId of entry.sessionIds) {
        // After the sign-out's own write has finished (listeners are told inside it).
        setImmediate(() => {
          void gateway
            .call(
              'POST',
              fillPath(centralApi.telehealthCentralConnection.path, { sessionId }),
              entry.userId,
              { state: 'left', reason: ended.idle ? 'signed_out_idle' : 'signed_out' },
            )
            .catch(() => {
              // Central unreachable: the video service's own disconnect (Twilio) or the patient's page
              // losing the peer still shows it; nothing patient-specific to log.
            });
        });
      }
    }
  };
  deps.sessions?.onEnded(signedOut);

  /** Which appointment a session belongs to, learnt from central's answers (else the local record). */
  const sessionAppointments = new Map<string, string>();
  const appointmentOf = (result: unknown, params: Record<string, string> | undefined): string | null => {
    const r = result as Record<string, unknown> | null;
    const snapshot = (r && 'snapshot' in r ? r.snapshot : r) as Record<string, unknown> | null;
    const session = (snapshot && 'session' in snapshot ? snapshot.session : snapshot) as Record<
      string,
      unknown
    > | null;
    if (session && typeof session.appointmentId === 'string' && typeof session.id === 'string') {
      sessionAppointments.set(session.id, session.appointmentId);
      return session.appointmentId;
    }
    if (params?.appointmentId) return params.appointmentId;
    const sessionId = params?.sessionId;
    if (!sessionId) return null;
    const known = sessionAppointments.get(sessionId);
    if (known) return known;
    const local = store.db
      .prepare('SELECT appointment_id AS a FROM telehealth_sessions WHERE id = ?')
      .get(sessionId) as { a: string } | undefined;
    return local?.a ?? null;
  };
  const patientOf = (appointmentId: string | null): string | null => {
    if (!appointmentId) return null;
    const row = store.db
      .prepare('SELECT patient_id AS p FROM appointments WHERE id = ?')
      .get(appointmentId) as { p: string } | undefined;
    return row?.p ?? null;
  };

  const forward = <N extends keyof typeof forwards>(name: N): Handler<N> => {
    const { central, audit } = forwards[name];
    const target = centralApi[central];
    return (async (ctx: RequestContext<N>) => {
      const params = ctx.params as Record<string, string> | undefined;
      const path = fillPath(target.path, params);
      const send = () =>
        gateway.call(
          target.method as 'GET' | 'POST',
          path,
          ctx.signedIn!.user.id,
          api[name as EndpointName].method === 'GET' ? undefined : (ctx.body ?? {}),
        );
      const result = await send().catch(async (err: unknown) => {
        if (!(err instanceof AppError) || !NOT_YET_AT_CENTRAL.has(err.code) || !sync) throw err;
        await sync.syncNow().catch(() => {});
        return send();
      });
      if (audit) {
        const appointmentId = appointmentOf(result, params);
        const sessionId = params?.sessionId ?? null;
        store.audit(ctx.signedIn!.actor, {
          action: audit,
          patientId: patientOf(appointmentId),
          detail: {
            endpoint: name,
            ...(appointmentId && { appointmentId }),
            ...(sessionId && { sessionId }),
            ...(params?.participantId && { participantId: params.participantId }),
          },
        });
      }
      return result as never;
    }) as Handler<N>;
  };

  const handlers = Object.fromEntries(
    (Object.keys(forwards) as (keyof typeof forwards)[]).map((n) => [n, forward(n)]),
  ) as { [N in keyof typeof forwards]: Handler<N> };

  /**
   * The visit's billing modality follows the session (visitModality: audio only → 93; the confirmed location
   * → home 10 / elsewhere 02): the appointment's open encounters are updated through billing's own rule
   * (draft charge lines follow). Closed encounters keep what was billed; nothing confirmed → unchanged.
   */
  const followSession = (actor: RequestContext<'telehealthMode'>['signedIn']['actor'], session: unknown) => {
    const s = session as Partial<TelehealthSession>;
    if (!s.appointmentId || !s.mode || s.patientAtHome === undefined) return;
    const modality = visitModality(s.mode, s.patientAtHome);
    if (!modality) return;
    const open = store.db
      .prepare(
        `SELECT id FROM encounters WHERE appointment_id = ? AND deleted_at IS NULL AND closed_at IS NULL AND modality <> ?`,
      )
      .all(s.appointmentId, modality) as { id: string }[];
    for (const e of open) setEncounterModality(store, actor, e.id, modality);
  };

  return {
    ...handlers,
    telehealthConnection: async (ctx) => {
      const participant = await handlers.telehealthConnection(ctx);
      present(ctx.signedIn.tokenHash, ctx.signedIn.user.id, ctx.params.sessionId, ctx.body.state);
      return participant;
    },
    telehealthEnd: async (ctx) => {
      const ended = await handlers.telehealthEnd(ctx);
      present(ctx.signedIn.tokenHash, ctx.signedIn.user.id, ctx.params.sessionId, 'left');
      return ended;
    },
    telehealthAudioOnly: async (ctx) => {
      const session = await handlers.telehealthAudioOnly(ctx);
      followSession(ctx.signedIn.actor, session);
      return session;
    },
    telehealthMode: async (ctx) => {
      const session = await handlers.telehealthMode(ctx);
      followSession(ctx.signedIn.actor, session);
      return session;
    },
    telehealthLocation: async (ctx) => {
      const session = await handlers.telehealthLocation(ctx);
      followSession(ctx.signedIn.actor, session);
      return session;
    },
    telehealthStatus: async ({ signedIn }) => {
      try {
        const config = await gateway.call('GET', centralApi.telehealthCentralConfig.path, signedIn.user.id);
        return { available: true as const, config: config as never };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const code =
          err.code === 'telehealth_not_enrolled' || err.code === 'telehealth_not_configured'
            ? err.code
            : ('telehealth_offline' as const);
        return { available: false as const, code, message: err.message };
      }
    },
    telehealthRecord: ({ params, signedIn }) => {
      const record = readVisitRecord(store, params.appointmentId);
      store.audit(signedIn.actor, {
        action: 'telehealth.read',
        patientId: patientOf(params.appointmentId),
        detail: { endpoint: 'telehealthRecord', appointmentId: params.appointmentId },
      });
      return record;
    },
    telehealthEvents: async ({ params, signedIn, req, res }) => {
      const ac = new AbortController();
      req.on('close', () => ac.abort());
      // Like /api/events: the stream lives only as long as the staff session (never counted as activity).
      const token = readCookie(req, SESSION_COOKIE);
      const check = setInterval(() => {
        if (deps.sessions && deps.sessions.resolve(token, false).status !== 'active') ac.abort();
      }, SESSION_CHECK_MS);
      try {
        await gateway.relay(
          fillPath(centralApi.telehealthCentralEvents.path, params),
          signedIn.user.id,
          res,
          ac.signal,
        );
      } finally {
        clearInterval(check);
      }
    },
  };
}
