import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { CENTRAL_ORIGIN } from '../../../contracts/sync/rows';
import {
  MAX_PARTICIPANTS,
  hostLeftReasonLabels,
  type ChatMessage,
  type HostLeftReason,
  type CreateLink,
  type JoinLink,
  type JoinResult,
  type LinkInfo,
  type Participant,
  type ParticipantRole,
  type ParticipantState,
  type PreflightAccess,
  type RoomAccess,
  type SessionSnapshot,
  type TelehealthConfig,
  type TelehealthSession,
} from '../../../contracts/telehealth';
import type { SendSignal, Signal } from '../../../contracts/telehealth/live';
import type {
  TelehealthChatRow,
  TelehealthEventKind,
  TelehealthEventRow,
  TelehealthSessionRow,
} from '../../../contracts/telehealth/rows';
import type { openSessionSchema } from '../../../contracts/telehealth';
import {
  FINAL,
  IN_ROOM,
  INVALID_LINK,
  linkRefusal,
  linkWindow,
  mayEnterRoom,
  maySignal,
  nextState,
  visibleTo,
  type AdmissionAct,
} from '../../../domain/telehealth/admission';
import { AppError } from '../../../platform/errors';
import { sha256 } from '../../../platform/secrets';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb, Tx } from '../../db/pool';
import type { ParticipantContext, StaffContext } from '../../http/register';
import { applyBatch } from '../replication/apply';
import type { TelehealthSettings } from './config';
import { credentialClinic, JoinTokens, newParticipantCredential } from './tokens';
import type { RoomStatusEvent } from './twilio-status';
import type { VideoPort } from './video-port';

/**
 * Telehealth at central: the session state machine (rules in domain/telehealth/admission.ts) applied in
 * one tenant transaction per act, the join links, chat, the signaling relay's store, and the visit record
 * written as replicated rows for the clinic's workstations. Every change NOTIFYs `tessera_telehealth` at
 * commit, so every node's streams of that session hear it (hub.ts).
 */

export interface TelehealthDeps {
  db: CentralDb;
  cipher: ColumnCipher;
  settings: TelehealthSettings;
  video: VideoPort;
  secret: Buffer;
  now?: () => Date;
}

/** What a notification says (JSON in the payload); streams load the rest. */
export interface TelehealthNotice {
  c: string;
  s: string;
  k: 'participant' | 'session' | 'chat' | 'signal' | 'retired';
  id: string;
  /** signal: the recipient */
  to?: string;
}

interface SessionRecord {
  id: string;
  clinic_id: string;
  appointment_id: string;
  provider: 'twilio' | 'direct';
  status: 'open' | 'ended';
  mode: 'video' | 'audio_only';
  host_user_id: string;
  host_name: string;
  starts_at: Date;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  audio_only_at: Date | null;
  audio_only_reason: string | null;
  patient_location: string | null;
  location_confirmed_at: Date | null;
  patient_at_home: boolean | null;
  room_sid: string | null;
  room_duration_seconds: number | null;
}

interface ParticipantRecord {
  id: string;
  session_id: string;
  role: ParticipantRole;
  display_name: string;
  state: ParticipantState;
  state_changed_at: Date;
  waiting_since: Date | null;
  denied_message: string | null;
  credential_hash: string | null;
  user_id: string | null;
  connected_seconds: number;
}

interface ChatRecord {
  id: string;
  session_id: string;
  participant_id: string;
  sender_role: ParticipantRole;
  sender_name: string;
  body: string;
  sent_at: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const ROOM_TOKEN_TTL_SECONDS = 60 * 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SIGNAL_RETENTION = "interval '10 minutes'";

export const toParticipant = (p: ParticipantRecord): Participant => ({
  id: p.id,
  role: p.role,
  displayName: p.display_name,
  state: p.state,
  stateChangedAt: p.state_changed_at.toISOString(),
  waitingSince: iso(p.waiting_since),
  deniedMessage: p.denied_message,
});

const toChat = (m: ChatRecord): ChatMessage => ({
  id: m.id,
  sessionId: m.session_id,
  participantId: m.participant_id,
  senderRole: m.sender_role,
  senderName: m.sender_name,
  text: m.body,
  sentAt: m.sent_at.toISOString(),
});

/** The visit record's note on what the patient did from the portal (no staff member acted). */
const FROM_PORTAL = 'by the patient from the portal';

/** What the portal knows of the patient's video visit when the patient presses "Join video visit". */
export interface PortalVisit {
  appointmentId: string;
  startsAt: Date;
  endsAt: Date;
  /** When the link starts working: the start minus the clinic's (or the default) join window. */
  opensAt: Date;
  /** The appointment's clinician: the host if the visit is not open yet. */
  host: { userId: string; fullName: string };
}

const notFound = () =>
  new AppError(
    404,
    'not_found',
    'That telehealth visit was not found. It may have ended; open it again from the appointment.',
  );

export class TelehealthService {
  readonly tokens: JoinTokens;
  readonly #now: () => Date;

  constructor(readonly deps: TelehealthDeps) {
    this.tokens = new JoinTokens(deps.secret);
    this.#now = deps.now ?? (() => new Date());
  }

  get video(): VideoPort {
    return this.deps.video;
  }

  /** `origin`: how the caller reached central (links use it when no public URL is configured). */
  config(origin: string): TelehealthConfig {
    const s = this.deps.settings;
    return {
      provider: s.provider,
      opensMinutesBefore: s.opensMinutesBefore,
      closesMinutesAfter: s.closesMinutesAfter,
      joinPageUrl: `${this.#publicUrl(origin)}/telehealth/join`,
    };
  }

  #publicUrl(origin: string): string {
    return this.deps.settings.publicUrl ?? origin;
  }

  #tx<T>(clinicId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.deps.db.tx({ clinicId }, fn);
  }

  // -------------------------------------------------------------- callers

  /** A joined patient or guest, by their current credential. */
  async participant(credential: string): Promise<ParticipantContext> {
    const clinicId = credentialClinic(credential);
    const retired = () =>
      new AppError(
        401,
        'participant_retired',
        'This visit was opened again in another window or device, or you left it. Open your link again to return to the waiting room.',
      );
    if (!clinicId) throw retired();
    const hash = sha256(credential);
    const found = await this.#tx(clinicId, (tx) =>
      tx.query<{ id: string; session_id: string; state: ParticipantState }>(
        `SELECT id, session_id, state FROM telehealth_participants WHERE clinic_id = $1 AND credential_hash = $2`,
        [clinicId, hash],
      ),
    );
    const p = found.rows[0];
    if (!p) throw retired();
    if (p.state === 'removed')
      throw new AppError(
        401,
        'link_revoked',
        'You were removed from this visit. Contact the clinic if you think this is a mistake.',
      );
    return { participantId: p.id, sessionId: p.session_id, clinicId };
  }

  // -------------------------------------------------------------- loading

  async #session(tx: Tx, clinicId: string, sessionId: string, lock = false): Promise<SessionRecord> {
    const r = await tx.query<SessionRecord>(
      `SELECT * FROM telehealth_sessions WHERE clinic_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [clinicId, sessionId],
    );
    if (!r.rows[0]) throw notFound();
    return r.rows[0];
  }

  async #participants(tx: Tx, clinicId: string, sessionId: string): Promise<ParticipantRecord[]> {
    const r = await tx.query<ParticipantRecord>(
      `SELECT * FROM telehealth_participants WHERE clinic_id = $1 AND session_id = $2 ORDER BY created_at, id`,
      [clinicId, sessionId],
    );
    return r.rows;
  }

  async #participantRow(tx: Tx, clinicId: string, sessionId: string, id: string): Promise<ParticipantRecord> {
    const r = await tx.query<ParticipantRecord>(
      `SELECT * FROM telehealth_participants WHERE clinic_id = $1 AND session_id = $2 AND id = $3 FOR UPDATE`,
      [clinicId, sessionId, id],
    );
    if (!r.rows[0]) throw new AppError(404, 'not_found', 'That participant is not in this visit.');
    return r.rows[0];
  }

  async #clinicFacts(tx: Tx, clinicId: string): Promise<{ name: string; timeZone: string; message: string }> {
    const c = await tx.query<{ name: string; time_zone: string }>(
      'SELECT name, time_zone FROM clinics WHERE id = $1',
      [clinicId],
    );
    const m = await tx.query<{ value: string | null }>(
      `SELECT data->>'value' AS value FROM replica_rows WHERE clinic_id = $1 AND table_name = 'clinic_settings' AND row_id = $2`,
      [clinicId, `${clinicId}:telehealth.waitingMessage`],
    );
    let message = '';
    try {
      const v: unknown = m.rows[0]?.value ? JSON.parse(m.rows[0].value) : '';
      message = typeof v === 'string' ? v : '';
    } catch {
      message = '';
    }
    return { name: c.rows[0]?.name ?? '', timeZone: c.rows[0]?.time_zone ?? 'UTC', message };
  }

  #view(s: SessionRecord, clinic: { name: string; message: string }, staff: boolean): TelehealthSession {
    return {
      id: s.id,
      appointmentId: s.appointment_id,
      provider: s.provider,
      status: s.status,
      mode: s.mode,
      hostName: s.host_name,
      clinicName: clinic.name,
      clinicMessage: clinic.message,
      startsAt: s.starts_at.toISOString(),
      createdAt: s.created_at.toISOString(),
      startedAt: iso(s.started_at),
      endedAt: iso(s.ended_at),
      audioOnlyAt: iso(s.audio_only_at),
      patientLocation: staff ? s.patient_location : null,
      locationConfirmedAt: iso(s.location_confirmed_at),
      patientAtHome: staff ? s.patient_at_home : null,
    };
  }

  async sessionView(tx: Tx, clinicId: string, sessionId: string, staff: boolean): Promise<TelehealthSession> {
    const s = await this.#session(tx, clinicId, sessionId);
    return this.#view(s, await this.#clinicFacts(tx, clinicId), staff);
  }

  async participantView(tx: Tx, clinicId: string, id: string): Promise<Participant | null> {
    const r = await tx.query<ParticipantRecord>(
      'SELECT * FROM telehealth_participants WHERE clinic_id = $1 AND id = $2',
      [clinicId, id],
    );
    return r.rows[0] ? toParticipant(r.rows[0]) : null;
  }

  async chatView(tx: Tx, clinicId: string, id: string): Promise<ChatMessage | null> {
    const r = await tx.query<ChatRecord>('SELECT * FROM telehealth_chat WHERE clinic_id = $1 AND id = $2', [
      clinicId,
      id,
    ]);
    return r.rows[0] ? toChat(r.rows[0]) : null;
  }

  async signalView(tx: Tx, clinicId: string, id: string): Promise<Signal | null> {
    const r = await tx.query<{ payload: Signal }>(
      'SELECT payload FROM telehealth_signals WHERE clinic_id = $1 AND id = $2',
      [clinicId, id],
    );
    return r.rows[0]?.payload ?? null;
  }

  /** Whether a stream's credential is still the participant's current one (and they are not removed). */
  async credentialCurrent(tx: Tx, clinicId: string, participantId: string, hash: string): Promise<boolean> {
    const r = await tx.query<{ ok: boolean }>(
      `SELECT credential_hash = $3 AND state <> 'removed' AS ok FROM telehealth_participants WHERE clinic_id = $1 AND id = $2`,
      [clinicId, participantId, hash],
    );
    return r.rows[0]?.ok === true;
  }

  async #snapshotIn(tx: Tx, clinicId: string, sessionId: string, you: string): Promise<SessionSnapshot> {
    const s = await this.#session(tx, clinicId, sessionId);
    const clinic = await this.#clinicFacts(tx, clinicId);
    const all = (await this.#participants(tx, clinicId, sessionId)).map(toParticipant);
    const viewer = all.find((p) => p.id === you);
    const staff = viewer?.role === 'host';
    const chat = await tx.query<ChatRecord>(
      'SELECT * FROM telehealth_chat WHERE clinic_id = $1 AND session_id = $2 ORDER BY sent_at, id',
      [clinicId, sessionId],
    );
    return {
      session: this.#view(s, clinic, staff),
      participants: viewer ? visibleTo(viewer, all) : [],
      chat: chat.rows.map(toChat),
      you,
    };
  }

  snapshot(clinicId: string, sessionId: string, you: string): Promise<SessionSnapshot> {
    return this.#tx(clinicId, (tx) => this.#snapshotIn(tx, clinicId, sessionId, you));
  }

  async #hostOf(tx: Tx, clinicId: string, sessionId: string): Promise<ParticipantRecord> {
    const r = await tx.query<ParticipantRecord>(
      `SELECT * FROM telehealth_participants WHERE clinic_id = $1 AND session_id = $2 AND role = 'host'`,
      [clinicId, sessionId],
    );
    if (!r.rows[0]) throw notFound();
    return r.rows[0];
  }

  /** The host participant id of a session (staff act as it). */
  hostId(clinicId: string, sessionId: string): Promise<string> {
    return this.#tx(clinicId, async (tx) => (await this.#hostOf(tx, clinicId, sessionId)).id);
  }

  // -------------------------------------------------------------- the record and notifications

  async #notify(tx: Tx, n: TelehealthNotice): Promise<void> {
    await tx.query(`SELECT pg_notify('tessera_telehealth', $1)`, [JSON.stringify(n)]);
  }

  async #replicate(
    tx: Tx,
    clinicId: string,
    table: 'telehealth_sessions' | 'telehealth_events' | 'telehealth_chat_messages',
    row: TelehealthSessionRow | TelehealthEventRow | TelehealthChatRow,
    op: 'insert' | 'update',
  ): Promise<void> {
    await applyBatch({ tx, cipher: this.deps.cipher, clinicId, origin: CENTRAL_ORIGIN, now: this.#now() }, [
      { table, rowId: row.id, op, row: { ...row }, changedFields: null, seenSeq: null },
    ]);
  }

  #sessionRow(s: SessionRecord, now: Date): TelehealthSessionRow {
    return {
      id: s.id,
      clinicId: s.clinic_id,
      appointmentId: s.appointment_id,
      hostUserId: s.host_user_id,
      provider: s.provider,
      status: s.status,
      mode: s.mode,
      patientLocation: s.patient_location,
      locationConfirmedAt: iso(s.location_confirmed_at),
      patientAtHome: s.patient_at_home,
      roomDurationSeconds: s.room_duration_seconds,
      audioOnlyAt: iso(s.audio_only_at),
      audioOnlyReason: s.audio_only_reason,
      startedAt: iso(s.started_at),
      endedAt: iso(s.ended_at),
      createdAt: s.created_at.toISOString(),
      updatedAt: now.toISOString(),
      deletedAt: null,
    };
  }

  async #sessionChanged(tx: Tx, clinicId: string, sessionId: string, op: 'insert' | 'update'): Promise<void> {
    const s = await this.#session(tx, clinicId, sessionId);
    await this.#replicate(tx, clinicId, 'telehealth_sessions', this.#sessionRow(s, this.#now()), op);
    await this.#notify(tx, { c: clinicId, s: sessionId, k: 'session', id: sessionId });
  }

  async #event(
    tx: Tx,
    s: Pick<SessionRecord, 'id' | 'clinic_id' | 'appointment_id'>,
    kind: TelehealthEventKind,
    who: ParticipantRecord | null,
    actorUserId: string | null,
    detail = '',
  ): Promise<void> {
    const now = this.#now().toISOString();
    await this.#replicate(
      tx,
      s.clinic_id,
      'telehealth_events',
      {
        id: uuidv7(),
        clinicId: s.clinic_id,
        sessionId: s.id,
        appointmentId: s.appointment_id,
        kind,
        participantId: who?.id ?? null,
        participantRole: who?.role ?? null,
        participantName: who?.display_name ?? null,
        actorUserId,
        detail,
        occurredAt: now,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      },
      'insert',
    );
  }

  async #setState(
    tx: Tx,
    s: SessionRecord,
    p: ParticipantRecord,
    act: AdmissionAct,
    extra: { deniedMessage?: string } = {},
  ): Promise<ParticipantRecord> {
    const outcome = nextState(p.state, act, p.role, s.status);
    if (!outcome.ok) throw new AppError(outcome.status, outcome.code, outcome.message);
    if (outcome.state === p.state && act !== 'join') return p;
    const r = await tx.query<ParticipantRecord>(
      `UPDATE telehealth_participants
          SET state = $3, state_changed_at = now(),
              waiting_since = CASE WHEN $3 = 'waiting' THEN now() ELSE NULL END,
              denied_message = CASE WHEN $3 = 'denied' THEN $4 ELSE denied_message END
        WHERE clinic_id = $1 AND id = $2 RETURNING *`,
      [s.clinic_id, p.id, outcome.state, extra.deniedMessage ?? null],
    );
    await this.#notify(tx, { c: s.clinic_id, s: s.id, k: 'participant', id: p.id });
    return r.rows[0]!;
  }

  // -------------------------------------------------------------- staff

  async openSessions(clinicId: string): Promise<z.input<typeof openSessionSchema>[]> {
    return this.#tx(clinicId, async (tx) => {
      const clinic = await this.#clinicFacts(tx, clinicId);
      const r = await tx.query<
        SessionRecord & { waiting: number; waiting_min: Date | null; in_room: number }
      >(
        `SELECT s.*,
                (SELECT count(*)::int FROM telehealth_participants p WHERE p.clinic_id = s.clinic_id AND p.session_id = s.id AND p.state = 'waiting') AS waiting,
                (SELECT min(waiting_since) FROM telehealth_participants p WHERE p.clinic_id = s.clinic_id AND p.session_id = s.id AND p.state = 'waiting') AS waiting_min,
                (SELECT count(*)::int FROM telehealth_participants p WHERE p.clinic_id = s.clinic_id AND p.session_id = s.id AND p.role <> 'host' AND p.state IN ('admitted', 'connected')) AS in_room
           FROM telehealth_sessions s WHERE s.clinic_id = $1 AND s.status = 'open' ORDER BY s.starts_at, s.id`,
        [clinicId],
      );
      return r.rows.map((s) => ({
        session: this.#view(s, clinic, true),
        waiting: s.waiting,
        waitingSince: iso(s.waiting_min),
        inRoom: s.in_room,
      }));
    });
  }

  /** Open (or return) the session of a telehealth appointment; the staff member becomes (or is) its host. */
  async start(staff: StaffContext, appointmentId: string): Promise<SessionSnapshot> {
    const { clinicId } = staff;
    const sessionId = await this.#tx(clinicId, async (tx) => {
      const a = await tx.query<{
        data: { startsAt?: string; modality?: string; status?: string; deletedAt?: string | null };
      }>(
        `SELECT data FROM replica_rows WHERE clinic_id = $1 AND table_name = 'appointments' AND row_id = $2`,
        [clinicId, appointmentId],
      );
      const appt = a.rows[0]?.data;
      if (!appt || appt.deletedAt)
        throw new AppError(
          404,
          'appointment_unknown',
          'This appointment has not reached the central server yet. Wait a moment for this workstation to sync, then try again.',
        );
      if (appt.modality !== 'telehealth')
        throw new AppError(
          409,
          'not_telehealth',
          'This is an in-person appointment. Change its modality to Telehealth to hold it as a video visit.',
        );
      if (appt.status === 'cancelled' || appt.status === 'no_show')
        throw new AppError(409, 'not_telehealth', 'This appointment was cancelled or marked no-show.');
      return this.#openSession(tx, clinicId, appointmentId, appt.startsAt ?? '', staff, staff.userId);
    });
    return this.snapshot(clinicId, sessionId, await this.hostId(clinicId, sessionId));
  }

  /**
   * The appointment's open session, or a new one with `host` as its host (the caller has checked the
   * appointment is a video visit that can be held). `actorUserId` null: opened by the patient from the portal.
   */
  async #openSession(
    tx: Tx,
    clinicId: string,
    appointmentId: string,
    startsAt: string,
    host: { userId: string; fullName: string },
    actorUserId: string | null,
  ): Promise<string> {
    const open = await tx.query<{ id: string }>(
      `SELECT id FROM telehealth_sessions WHERE clinic_id = $1 AND appointment_id = $2 AND status = 'open' FOR UPDATE`,
      [clinicId, appointmentId],
    );
    if (open.rows[0]) return open.rows[0].id;
    const id = uuidv7();
    await tx.query(
      `INSERT INTO telehealth_sessions (clinic_id, id, appointment_id, provider, status, mode, host_user_id, host_name, starts_at)
       VALUES ($1, $2, $3, $4, 'open', 'video', $5, $6, $7)
       ON CONFLICT (clinic_id, appointment_id) WHERE status = 'open' DO NOTHING`,
      [clinicId, id, appointmentId, this.deps.video.provider, host.userId, host.fullName, startsAt],
    );
    const again = await tx.query<{ id: string }>(
      `SELECT id FROM telehealth_sessions WHERE clinic_id = $1 AND appointment_id = $2 AND status = 'open'`,
      [clinicId, appointmentId],
    );
    if (again.rows[0]!.id !== id) return again.rows[0]!.id;
    await tx.query(
      `INSERT INTO telehealth_participants (clinic_id, id, session_id, role, display_name, state, user_id)
       VALUES ($1, $2, $3, 'host', $4, 'admitted', $5)`,
      [clinicId, uuidv7(), id, host.fullName, host.userId],
    );
    const s = await this.#session(tx, clinicId, id);
    await this.#replicate(tx, clinicId, 'telehealth_sessions', this.#sessionRow(s, this.#now()), 'insert');
    await this.#event(tx, s, 'session_opened', null, actorUserId, actorUserId ? '' : FROM_PORTAL);
    return id;
  }

  async byAppointment(staff: StaffContext, appointmentId: string): Promise<SessionSnapshot | null> {
    const found = await this.#tx(staff.clinicId, (tx) =>
      tx.query<{ id: string }>(
        `SELECT id FROM telehealth_sessions WHERE clinic_id = $1 AND appointment_id = $2 AND status = 'open'`,
        [staff.clinicId, appointmentId],
      ),
    );
    const id = found.rows[0]?.id;
    return id ? this.snapshot(staff.clinicId, id, await this.hostId(staff.clinicId, id)) : null;
  }

  async staffSnapshot(staff: StaffContext, sessionId: string): Promise<SessionSnapshot> {
    return this.snapshot(staff.clinicId, sessionId, await this.hostId(staff.clinicId, sessionId));
  }

  async createLink(
    staff: StaffContext,
    sessionId: string,
    input: CreateLink,
    origin: string,
  ): Promise<JoinLink> {
    const { clinicId } = staff;
    const { settings } = this.deps;
    return this.#tx(clinicId, async (tx) => {
      const s = await this.#session(tx, clinicId, sessionId, true);
      if (s.status === 'ended')
        throw new AppError(409, 'visit_ended', 'This visit has ended; start a new one.');
      const participant = await this.#linkParticipant(
        tx,
        s,
        input.role,
        input.role === 'guest' ? input.displayName : '',
      );
      const window = linkWindow(s.starts_at, settings.opensMinutesBefore, settings.closesMinutesAfter);
      return this.#issueLink(tx, s, participant, window, staff.userId, origin);
    });
  }

  /**
   * Who a new link is for: the patient's current participant (one valid patient link at a time: the older
   * ones now say "replaced"), or a new participant (a guest, or a patient the clinician invites again after
   * removing them) while the visit has room.
   */
  async #linkParticipant(
    tx: Tx,
    s: SessionRecord,
    role: 'patient' | 'guest',
    displayName: string,
  ): Promise<ParticipantRecord> {
    const all = await this.#participants(tx, s.clinic_id, s.id);
    const patient = role === 'patient' && all.find((p) => p.role === 'patient' && !FINAL.has(p.state));
    if (patient) {
      await tx.query(
        `UPDATE telehealth_links SET revoked_at = now(), revoked_reason = 'replaced'
          WHERE clinic_id = $1 AND participant_id = $2 AND revoked_at IS NULL`,
        [s.clinic_id, patient.id],
      );
      return patient;
    }
    const active = all.filter((p) => !FINAL.has(p.state)).length;
    if (active >= MAX_PARTICIPANTS)
      throw new AppError(
        409,
        'visit_full',
        `A visit has at most ${MAX_PARTICIPANTS} participants, the clinician included.`,
      );
    const r = await tx.query<ParticipantRecord>(
      `INSERT INTO telehealth_participants (clinic_id, id, session_id, role, display_name, state)
       VALUES ($1, $2, $3, $4, $5, 'invited') RETURNING *`,
      [s.clinic_id, uuidv7(), s.id, role, displayName],
    );
    await this.#notify(tx, { c: s.clinic_id, s: s.id, k: 'participant', id: r.rows[0]!.id });
    return r.rows[0]!;
  }

  /** Store a link (author: a staff member's id, or null when the patient made it in the portal) and sign it. */
  async #issueLink(
    tx: Tx,
    s: SessionRecord,
    participant: ParticipantRecord,
    window: { opensAt: Date; expiresAt: Date },
    createdBy: string | null,
    origin: string,
  ): Promise<JoinLink> {
    const link = {
      id: uuidv7(),
      participant_id: participant.id,
      opens_at: window.opensAt,
      expires_at: window.expiresAt,
    };
    await tx.query(
      `INSERT INTO telehealth_links (clinic_id, id, session_id, participant_id, role, opens_at, expires_at, created_by, created_via)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        s.clinic_id,
        link.id,
        s.id,
        participant.id,
        participant.role,
        link.opens_at,
        link.expires_at,
        createdBy,
        createdBy ? 'staff' : 'portal',
      ],
    );
    await this.#event(tx, s, 'link_issued', participant, createdBy, createdBy ? '' : FROM_PORTAL);
    return this.#signed(s.clinic_id, link, origin);
  }

  /** A stored link's join URL: its claims signed (the same claims give the same token). */
  #signed(
    clinicId: string,
    link: { id: string; participant_id: string; opens_at: Date; expires_at: Date },
    origin: string,
  ): JoinLink {
    const token = this.tokens.sign({
      c: clinicId,
      l: link.id,
      nb: Math.floor(link.opens_at.getTime() / 1000),
      exp: Math.floor(link.expires_at.getTime() / 1000),
    });
    return {
      url: `${this.#publicUrl(origin)}/telehealth/join#t=${token}`,
      token,
      participantId: link.participant_id,
      opensAt: link.opens_at.toISOString(),
      expiresAt: link.expires_at.toISOString(),
    };
  }

  /**
   * The signed-in patient's own join link for the portal's "Join video visit" (the caller has checked the
   * appointment is theirs, a video visit, not cancelled, and that now is between the opening and its end).
   * Opens the visit if no clinician has yet (its host: the appointment's clinician, who admits as usual).
   * Reuses the patient's current link while it works until the appointment's end; otherwise issues a
   * portal link (no staff author) from the opening until the appointment's end, so a long visit never says
   * "expired" while it runs. A link the clinician revoked by removing or denying the patient is returned as
   * it is: the join page says why, and the portal never lets them back in; a visit the clinician ended is
   * refused (`visit_ended`), not opened again.
   */
  async portalPatientLink(
    clinicId: string,
    visit: PortalVisit,
    origin: string,
  ): Promise<{ link: JoinLink; issued: boolean }> {
    return this.#tx(clinicId, async (tx) => {
      const held = await tx.query<{ open: boolean }>(
        `SELECT bool_or(status = 'open') AS open FROM telehealth_sessions WHERE clinic_id = $1 AND appointment_id = $2`,
        [clinicId, visit.appointmentId],
      );
      // The clinician ended it: the patient does not reopen it on their own (the clinician can start again).
      if (held.rows[0]?.open === false)
        throw new AppError(
          409,
          'visit_ended',
          'The clinician has ended this video visit. Please call the clinic if you still need it.',
        );
      const sessionId = await this.#openSession(
        tx,
        clinicId,
        visit.appointmentId,
        visit.startsAt.toISOString(),
        visit.host,
        null,
      );
      const s = await this.#session(tx, clinicId, sessionId, true);
      const newest = await tx.query<{
        id: string;
        participant_id: string;
        opens_at: Date;
        expires_at: Date;
        revoked_reason: string | null;
      }>(
        `SELECT id, participant_id, opens_at, expires_at, revoked_reason FROM telehealth_links
          WHERE clinic_id = $1 AND session_id = $2 AND role = 'patient'
          ORDER BY created_at DESC, id DESC LIMIT 1`,
        [clinicId, sessionId],
      );
      const last = newest.rows[0];
      const now = this.#now();
      if (last && (last.revoked_reason === 'removed' || last.revoked_reason === 'denied'))
        return { link: this.#signed(clinicId, last, origin), issued: false };
      if (last && !last.revoked_reason && last.expires_at > now && last.expires_at >= visit.endsAt)
        return { link: this.#signed(clinicId, last, origin), issued: false };
      const participant = await this.#linkParticipant(tx, s, 'patient', '');
      const window = { opensAt: visit.opensAt, expiresAt: visit.endsAt };
      return { link: await this.#issueLink(tx, s, participant, window, null, origin), issued: true };
    });
  }

  /** Admit, deny or remove: the host's acts on one participant. Removal is enforced at the provider too. */
  async decide(
    staff: StaffContext,
    sessionId: string,
    participantId: string,
    act: 'admit' | 'deny' | 'remove',
    message?: string,
  ): Promise<Participant> {
    const { clinicId } = staff;
    if (act === 'admit') await this.#ensureRoom(clinicId, sessionId);
    const after = await this.#tx(clinicId, async (tx) => {
      const s = await this.#session(tx, clinicId, sessionId, true);
      const p = await this.#participantRow(tx, clinicId, sessionId, participantId);
      if (act === 'admit' && p.role === 'patient' && p.state === 'waiting' && !s.location_confirmed_at)
        throw locationFirst();
      const next = await this.#setState(tx, s, p, act, { deniedMessage: message });
      if (next.state === p.state) return next;
      if (act === 'admit' && !s.started_at) {
        await tx.query('UPDATE telehealth_sessions SET started_at = now() WHERE clinic_id = $1 AND id = $2', [
          clinicId,
          sessionId,
        ]);
        await this.#sessionChanged(tx, clinicId, sessionId, 'update');
      }
      if (act !== 'admit') {
        await tx.query(
          `UPDATE telehealth_links SET revoked_at = now(), revoked_reason = $3
            WHERE clinic_id = $1 AND participant_id = $2 AND revoked_at IS NULL`,
          [clinicId, participantId, act === 'deny' ? 'denied' : 'removed'],
        );
        await this.#notify(tx, { c: clinicId, s: sessionId, k: 'retired', id: participantId });
      }
      await this.#event(
        tx,
        s,
        act === 'admit' ? 'admitted' : act === 'deny' ? 'denied' : 'removed',
        next,
        staff.userId,
        act === 'deny' ? (message ?? '') : '',
      );
      return next;
    });
    // Out of the provider's room now, not just hidden: their media stops whatever their page does.
    if (act === 'remove') await this.deps.video.removeParticipant(sessionId, participantId);
    return toParticipant(after);
  }

  async admitAll(staff: StaffContext, sessionId: string): Promise<SessionSnapshot> {
    const waiting = await this.#tx(staff.clinicId, async (tx) => {
      const s = await this.#session(tx, staff.clinicId, sessionId);
      const r = await tx.query<{ id: string; role: string }>(
        `SELECT id, role FROM telehealth_participants WHERE clinic_id = $1 AND session_id = $2 AND state = 'waiting' ORDER BY waiting_since`,
        [staff.clinicId, sessionId],
      );
      // All or none: not the guests while the patient's location is still unknown.
      if (!s.location_confirmed_at && r.rows.some((p) => p.role === 'patient')) throw locationFirst();
      return r;
    });
    for (const { id } of waiting.rows) await this.decide(staff, sessionId, id, 'admit');
    return this.staffSnapshot(staff, sessionId);
  }

  /**
   * Where the provider posts the room's status events (Twilio's StatusCallback): central's public address
   * with the clinic in the path (the signature covers the whole URL, so it cannot be pointed elsewhere).
   * Without a public URL there is no address the provider could reach, so none is given.
   */
  statusCallbackUrl(clinicId: string): string | null {
    const base = this.deps.settings.publicUrl;
    return base ? `${base}/v1/telehealth/twilio/status/${clinicId}` : null;
  }

  async #ensureRoom(clinicId: string, sessionId: string): Promise<void> {
    try {
      await this.deps.video.ensureRoom(sessionId, { statusCallback: this.statusCallbackUrl(clinicId) });
    } catch {
      throw new AppError(
        503,
        'video_provider_unavailable',
        'The video service did not answer. Try again in a moment, or switch the visit to audio only.',
      );
    }
  }

  async roomAccess(clinicId: string, sessionId: string, participantId: string): Promise<RoomAccess> {
    const { s, p } = await this.#tx(clinicId, async (tx) => ({
      s: await this.#session(tx, clinicId, sessionId),
      p: await this.#participantRow(tx, clinicId, sessionId, participantId),
    }));
    if (s.status === 'ended') throw new AppError(409, 'visit_ended', 'This visit has ended.');
    if (!mayEnterRoom(p.role, p.state, s.status))
      throw new AppError(
        403,
        'not_admitted',
        p.state === 'denied' || p.state === 'removed'
          ? 'You cannot join this visit. Contact the clinic for help.'
          : 'You are in the waiting room. The clinician will let you in shortly.',
      );
    await this.#ensureRoom(clinicId, sessionId);
    return this.deps.video.roomAccess(sessionId, participantId, ROOM_TOKEN_TTL_SECONDS);
  }

  /** The device check's network test before joining: only for a link that could join now. */
  async linkPreflight(token: string): Promise<PreflightAccess> {
    const { link } = await this.#link(token);
    return this.deps.video.preflightAccess(link.participant_id);
  }

  preflight(identity: string): PreflightAccess {
    return this.deps.video.preflightAccess(identity);
  }

  async chat(clinicId: string, sessionId: string, participantId: string, text: string): Promise<ChatMessage> {
    return this.#tx(clinicId, async (tx) => {
      const s = await this.#session(tx, clinicId, sessionId);
      if (s.status === 'ended')
        throw new AppError(409, 'visit_ended', 'This visit has ended; the chat is closed.');
      const p = await this.#participantRow(tx, clinicId, sessionId, participantId);
      if (p.role !== 'host' && !(p.state === 'waiting' || IN_ROOM.has(p.state)))
        throw new AppError(403, 'not_in_visit', 'Join the visit again to send messages.');
      const id = uuidv7();
      const r = await tx.query<ChatRecord>(
        `INSERT INTO telehealth_chat (clinic_id, id, session_id, participant_id, sender_role, sender_name, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [clinicId, id, sessionId, participantId, p.role, p.display_name, text],
      );
      const m = r.rows[0]!;
      const sent = m.sent_at.toISOString();
      await this.#replicate(
        tx,
        clinicId,
        'telehealth_chat_messages',
        {
          id,
          clinicId,
          sessionId,
          appointmentId: s.appointment_id,
          participantId,
          senderRole: p.role,
          senderName: p.display_name,
          body: text,
          sentAt: sent,
          createdAt: sent,
          updatedAt: sent,
          deletedAt: null,
        },
        'insert',
      );
      await this.#notify(tx, { c: clinicId, s: sessionId, k: 'chat', id });
      return toChat(m);
    });
  }

  async signal(clinicId: string, sessionId: string, from: string, input: SendSignal): Promise<void> {
    await this.#tx(clinicId, async (tx) => {
      const s = await this.#session(tx, clinicId, sessionId);
      const all = await this.#participants(tx, clinicId, sessionId);
      const sender = all.find((p) => p.id === from);
      const recipient = all.find((p) => p.id === input.to);
      if (!sender || !recipient)
        throw new AppError(404, 'not_found', 'That participant is not in this visit.');
      if (!maySignal(sender, recipient, s.status))
        throw new AppError(
          403,
          'not_admitted',
          'Both sides must be in the visit (admitted) to connect. The clinician will let you in shortly.',
        );
      const id = uuidv7();
      const payload: Signal = {
        id,
        from,
        to: input.to,
        kind: input.kind,
        ...(input.sdp !== undefined && { sdp: input.sdp }),
        ...(input.candidate !== undefined && { candidate: input.candidate }),
      };
      await tx.query(
        `DELETE FROM telehealth_signals WHERE clinic_id = $1 AND created_at < now() - ${SIGNAL_RETENTION}`,
        [clinicId],
      );
      await tx.query(
        `INSERT INTO telehealth_signals (clinic_id, id, session_id, from_id, to_id, payload) VALUES ($1, $2, $3, $4, $5, $6)`,
        [clinicId, id, sessionId, from, input.to, JSON.stringify(payload)],
      );
      await this.#notify(tx, { c: clinicId, s: sessionId, k: 'signal', id, to: input.to });
    });
  }

  async connection(
    clinicId: string,
    sessionId: string,
    participantId: string,
    state: 'connected' | 'left',
    /** The host's workstation signed them out (only with `left`; the host's endpoint alone passes it). */
    reason?: HostLeftReason,
  ): Promise<Participant> {
    const after = await this.#tx(clinicId, async (tx) => {
      const s = await this.#session(tx, clinicId, sessionId, true);
      const p = await this.#participantRow(tx, clinicId, sessionId, participantId);
      const next = await this.#setState(tx, s, p, state === 'connected' ? 'connect' : 'leave');
      const detail = state === 'left' && reason ? hostLeftReasonLabels[reason] : '';
      if (next.state !== p.state) await this.#event(tx, s, state, next, null, detail);
      return next;
    });
    return toParticipant(after);
  }

  async #updateSession(
    staff: StaffContext,
    sessionId: string,
    set: string,
    params: unknown[],
    kind: TelehealthEventKind,
    detail = '',
  ): Promise<TelehealthSession> {
    const { clinicId } = staff;
    return this.#tx(clinicId, async (tx) => {
      const s = await this.#session(tx, clinicId, sessionId, true);
      if (s.status === 'ended') throw new AppError(409, 'visit_ended', 'This visit has ended.');
      await tx.query(`UPDATE telehealth_sessions SET ${set} WHERE clinic_id = $1 AND id = $2`, [
        clinicId,
        sessionId,
        ...params,
      ]);
      await this.#sessionChanged(tx, clinicId, sessionId, 'update');
      await this.#event(tx, s, kind, null, staff.userId, detail);
      return this.sessionView(tx, clinicId, sessionId, true);
    });
  }

  confirmLocation(
    staff: StaffContext,
    sessionId: string,
    location: string,
    atHome: boolean,
  ): Promise<TelehealthSession> {
    return this.#updateSession(
      staff,
      sessionId,
      'patient_location = $3, patient_at_home = $4, location_confirmed_at = now()',
      [location, atHome],
      'location_confirmed',
      atHome ? 'At home' : 'Not at home',
    );
  }

  audioOnly(staff: StaffContext, sessionId: string, reason: string): Promise<TelehealthSession> {
    return this.changeMode(staff.clinicId, sessionId, { userId: staff.userId }, 'audio_only', reason);
  }

  /**
   * Video ↔ audio only, from either side (staff, or a patient or guest in the room). Each real change is an
   * event on the record (`audio_only` / `video_resumed`, with the time and who), so the visit's audio-only
   * part is known for billing; `audio_only_at` keeps the first switch. Asking for the mode it already has
   * changes nothing (a double click, two people pressing at once).
   */
  async changeMode(
    clinicId: string,
    sessionId: string,
    by: { userId: string } | { participantId: string },
    mode: 'video' | 'audio_only',
    reason: string,
  ): Promise<TelehealthSession> {
    return this.#tx(clinicId, async (tx) => {
      const s = await this.#session(tx, clinicId, sessionId, true);
      if (s.status === 'ended') throw new AppError(409, 'visit_ended', 'This visit has ended.');
      let who: ParticipantRecord | null = null;
      if ('participantId' in by) {
        who = await this.#participantRow(tx, clinicId, sessionId, by.participantId);
        if (!IN_ROOM.has(who.state))
          throw new AppError(403, 'not_admitted', 'Only people in the visit can switch it to audio only.');
      }
      const actorUserId = 'userId' in by ? by.userId : null;
      if (s.mode === mode) return this.sessionView(tx, clinicId, sessionId, actorUserId !== null);
      if (mode === 'audio_only')
        await tx.query(
          `UPDATE telehealth_sessions SET mode = 'audio_only', audio_only_at = coalesce(audio_only_at, now()),
                  audio_only_reason = coalesce($3, audio_only_reason) WHERE clinic_id = $1 AND id = $2`,
          [clinicId, sessionId, reason || null],
        );
      else
        await tx.query(`UPDATE telehealth_sessions SET mode = 'video' WHERE clinic_id = $1 AND id = $2`, [
          clinicId,
          sessionId,
        ]);
      await this.#sessionChanged(tx, clinicId, sessionId, 'update');
      await this.#event(tx, s, mode === 'audio_only' ? 'audio_only' : 'video_resumed', who, actorUserId, reason);
      return this.sessionView(tx, clinicId, sessionId, actorUserId !== null);
    });
  }


  async end(staff: StaffContext, sessionId: string): Promise<TelehealthSession> {
    const { clinicId } = staff;
    const view = await this.#tx(clinicId, async (tx) => {
      const s = await this.#session(tx, clinicId, sessionId, true);
      if (s.status === 'ended') return this.sessionView(tx, clinicId, sessionId, true);
      const moved = await tx.query<{ id: string }>(
        `UPDATE telehealth_participants SET state = 'left', state_changed_at = now(), waiting_since = NULL
          WHERE clinic_id = $1 AND session_id = $2 AND state IN ('invited', 'waiting', 'admitted', 'connected')
          RETURNING id`,
        [clinicId, sessionId],
      );
      await tx.query(
        `UPDATE telehealth_sessions SET status = 'ended', ended_at = now() WHERE clinic_id = $1 AND id = $2`,
        [clinicId, sessionId],
      );
      for (const { id } of moved.rows)
        await this.#notify(tx, { c: clinicId, s: sessionId, k: 'participant', id });
      await this.#sessionChanged(tx, clinicId, sessionId, 'update');
      await this.#event(tx, s, 'ended', null, staff.userId);
      return this.sessionView(tx, clinicId, sessionId, true);
    });
    await this.deps.video.endRoom(sessionId).catch(() => {
      // The room empties anyway once everyone's page has left; nothing to keep from the visit record.
    });
    return view;
  }

  // -------------------------------------------------------------- the provider's account (Twilio callbacks)

  /**
   * A room status event from the provider (signature already verified). Applied once per event key, in the
   * transaction that applies it: a retried or duplicated delivery changes nothing. What it does:
   * - room-created: remembers the provider's room id;
   * - participant-connected: `connected` (the page may not have said so yet). Someone whose state does not
   *   allow the room (back in the waiting room after a reload, removed, denied) yet connected with an older
   *   token is taken out of the room through the REST API at once: the waiting room holds even then;
   * - participant-disconnected: adds the connection's duration; `left` if they were in the room (a reload
   *   that already put them back in the waiting room stays there);
   * - room-ended: the room's length on the session, everyone still in the room `left` (the session stays
   *   open: the clinician may continue by phone or admit again, which opens a new room).
   * Events for unknown rooms (another deployment, a pre-flight test room) are acknowledged and ignored.
   */
  async providerEvent(clinicId: string, ev: RoomStatusEvent): Promise<{ received: true; duplicate: boolean }> {
    const ignored = { received: true as const, duplicate: false };
    if (!UUID.test(ev.roomName)) return ignored;
    let evict: string | null = null;
    const outcome = await this.#tx(clinicId, async (tx) => {
      const found = await tx.query<SessionRecord>(
        'SELECT * FROM telehealth_sessions WHERE clinic_id = $1 AND id = $2 FOR UPDATE',
        [clinicId, ev.roomName],
      );
      const s = found.rows[0];
      if (!s) return ignored;
      const first = await tx.query(
        `INSERT INTO telehealth_provider_events (clinic_id, event_key, session_id, kind, room_sid, participant_id, sequence)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [
          clinicId,
          ev.key,
          s.id,
          ev.kind,
          ev.roomSid || null,
          ev.identity && UUID.test(ev.identity) ? ev.identity : null,
          ev.sequence,
        ],
      );
      if (!first.rowCount) return { received: true as const, duplicate: true };
      // Out of order: a newer event of the same room already spoke for this participant (their own, or the
      // room's end), so this older one changes no state. Facts that add up (durations) still count.
      const superseded = async (participantId: string) => {
        if (ev.sequence === null || !ev.roomSid) return false;
        const newer = await tx.query(
          `SELECT 1 FROM telehealth_provider_events
            WHERE clinic_id = $1 AND session_id = $2 AND room_sid = $3 AND sequence > $4
              AND (participant_id = $5 OR kind = 'room-ended')
            LIMIT 1`,
          [clinicId, s.id, ev.roomSid, ev.sequence, participantId],
        );
        return Boolean(newer.rowCount);
      };
      const participant = async () => {
        if (!ev.identity || !UUID.test(ev.identity)) return null;
        const r = await tx.query<ParticipantRecord>(
          'SELECT * FROM telehealth_participants WHERE clinic_id = $1 AND session_id = $2 AND id = $3 FOR UPDATE',
          [clinicId, s.id, ev.identity],
        );
        return r.rows[0] ?? null;
      };
      const minutes = (sec: number | null) =>
        sec === null ? '' : `${Math.max(1, Math.round(sec / 60))} min (reported by the video service)`;
      switch (ev.kind) {
        case 'room-created':
          await tx.query('UPDATE telehealth_sessions SET room_sid = $3 WHERE clinic_id = $1 AND id = $2', [
            clinicId,
            s.id,
            ev.roomSid,
          ]);
          break;
        case 'participant-connected': {
          const p = await participant();
          if (!p || (await superseded(p.id))) break;
          if (s.status === 'ended' || !mayEnterRoom(p.role, p.state, s.status)) {
            evict = p.id;
            break;
          }
          if (p.state !== 'connected') {
            const next = await this.#setState(tx, s, p, 'connect');
            await this.#event(tx, s, 'connected', next, null, 'reported by the video service');
          }
          break;
        }
        case 'participant-disconnected': {
          const p = await participant();
          if (!p) break;
          if (ev.participantDurationSeconds !== null)
            await tx.query(
              'UPDATE telehealth_participants SET connected_seconds = connected_seconds + $3 WHERE clinic_id = $1 AND id = $2',
              [clinicId, p.id, ev.participantDurationSeconds],
            );
          if (s.status === 'open' && IN_ROOM.has(p.state) && !(await superseded(p.id))) {
            const next = await this.#setState(tx, s, p, 'leave');
            await this.#event(tx, s, 'left', next, null, minutes(ev.participantDurationSeconds));
          }
          break;
        }
        case 'room-ended': {
          await tx.query(
            'UPDATE telehealth_sessions SET room_duration_seconds = coalesce(room_duration_seconds, 0) + coalesce($3, 0) WHERE clinic_id = $1 AND id = $2',
            [clinicId, s.id, ev.roomDurationSeconds],
          );
          if (s.status === 'open') {
            const moved = await tx.query<{ id: string }>(
              `UPDATE telehealth_participants SET state = 'left', state_changed_at = now()
                WHERE clinic_id = $1 AND session_id = $2 AND state IN ('admitted', 'connected') AND role <> 'host'
                RETURNING id`,
              [clinicId, s.id],
            );
            for (const { id } of moved.rows)
              await this.#notify(tx, { c: clinicId, s: s.id, k: 'participant', id });
          }
          await this.#sessionChanged(tx, clinicId, s.id, 'update');
          await this.#event(tx, s, 'room_ended', null, null, minutes(ev.roomDurationSeconds));
          break;
        }
        case 'other':
          break;
      }
      return { received: true as const, duplicate: false };
    });
    if (evict) await this.deps.video.removeParticipant(ev.roomName, evict).catch(() => {});
    return outcome;
  }


  // -------------------------------------------------------------- the patient's link

  async #link(token: string) {
    const claims = this.tokens.verify(token);
    if (!claims) throw new AppError(INVALID_LINK.status, INVALID_LINK.code, INVALID_LINK.message);
    return this.#tx(claims.c, async (tx) => {
      const r = await tx.query<{
        id: string;
        session_id: string;
        participant_id: string;
        role: 'patient' | 'guest';
        opens_at: Date;
        expires_at: Date;
        revoked_reason: 'replaced' | 'removed' | 'denied' | null;
      }>('SELECT * FROM telehealth_links WHERE clinic_id = $1 AND id = $2', [claims.c, claims.l]);
      const link = r.rows[0];
      if (!link) throw new AppError(INVALID_LINK.status, INVALID_LINK.code, INVALID_LINK.message);
      const s = await this.#session(tx, claims.c, link.session_id);
      const clinic = await this.#clinicFacts(tx, claims.c);
      const refusal = linkRefusal(
        {
          window: { opensAt: link.opens_at, expiresAt: link.expires_at },
          revokedReason: link.revoked_reason,
          sessionStatus: s.status,
          // The link's own window (a portal link follows the clinic's setting, a staff link the default).
          opensMinutesBefore: Math.round((s.starts_at.getTime() - link.opens_at.getTime()) / 60_000),
        },
        this.#now(),
        (d) =>
          new Intl.DateTimeFormat('en-US', {
            timeZone: clinic.timeZone,
            weekday: 'short',
            month: 'short',
            day: 'numeric',
            hour: 'numeric',
            minute: '2-digit',
            timeZoneName: 'short',
          }).format(d),
      );
      if (refusal) throw new AppError(refusal.status, refusal.code, refusal.message);
      return { clinicId: claims.c, link, session: s, clinic };
    });
  }

  async checkLink(token: string): Promise<LinkInfo> {
    const { clinicId, link, session, clinic } = await this.#link(token);
    const p = await this.#tx(clinicId, (tx) =>
      this.#participantRow(tx, clinicId, session.id, link.participant_id),
    );
    const outcome = nextState(p.state, 'join', p.role, session.status);
    if (!outcome.ok) throw new AppError(outcome.status, outcome.code, outcome.message);
    return {
      clinicName: clinic.name,
      hostName: session.host_name,
      startsAt: session.starts_at.toISOString(),
      opensAt: link.opens_at.toISOString(),
      expiresAt: link.expires_at.toISOString(),
      role: link.role,
      suggestedName: p.role === 'guest' ? p.display_name : '',
    };
  }

  /**
   * Enter the waiting room. Whatever the participant was before (admitted, in the room), a join lands in
   * `waiting` with a new credential; the previous credential retires (its streams end) and a previous
   * connection is taken out of the provider's room.
   */
  async join(token: string, displayName: string): Promise<JoinResult> {
    const { clinicId, link, session } = await this.#link(token);
    const { credential, hash } = newParticipantCredential(clinicId);
    const wasInRoom = await this.#tx(clinicId, async (tx) => {
      const s = await this.#session(tx, clinicId, session.id, true);
      const p = await this.#participantRow(tx, clinicId, session.id, link.participant_id);
      const next = await this.#setState(tx, s, p, 'join');
      await tx.query(
        `UPDATE telehealth_participants SET display_name = $3, credential_hash = $4 WHERE clinic_id = $1 AND id = $2`,
        [clinicId, p.id, displayName, hash],
      );
      await this.#notify(tx, { c: clinicId, s: s.id, k: 'retired', id: p.id });
      await this.#notify(tx, { c: clinicId, s: s.id, k: 'participant', id: p.id });
      await this.#event(tx, s, 'joined_waiting', { ...next, display_name: displayName }, null);
      return IN_ROOM.has(p.state);
    });
    if (wasInRoom) await this.deps.video.removeParticipant(session.id, link.participant_id).catch(() => {});
    return { credential, snapshot: await this.snapshot(clinicId, session.id, link.participant_id) };
  }
}

/**
 * The patient's location (their emergency address, and home or elsewhere for the place of service) is
 * confirmed before the clinician lets them in: the issue asks for it at the start, and once the visit runs
 * it is easily forgotten. Guests (an interpreter, family) need no location of their own.
 */
function locationFirst(): AppError {
  return new AppError(
    409,
    'location_unconfirmed',
    'Confirm where the patient is (their address for emergencies, at home or somewhere else) before you admit them. Ask them in the chat, then use Links and patient location.',
  );
}
