import type { Request, Response } from 'express';
import { TELEHEALTH_SSE_EVENT, type LiveEvent } from '../../../contracts/telehealth/live';
import type { ParticipantRole, ParticipantState } from '../../../contracts/telehealth';
import { IN_ROOM } from '../../../domain/telehealth/admission';
import type { CentralDb } from '../../db/pool';
import type { Logger } from '../../../platform/logging';
import type { LiveHub } from '../live';
import type { TelehealthNotice, TelehealthService } from './service';

/**
 * Session streams (server-sent events). Every change NOTIFYs `tessera_telehealth` at commit; each node's
 * LiveHub hears it and this hub hands it to that node's streams of the session, which load what changed
 * (in their own tenant transaction) and send it — in order, one at a time per stream. The first event of
 * every stream is a snapshot, so a reconnect or a reload starts from the truth, chat history included.
 */

export interface StreamViewer {
  clinicId: string;
  sessionId: string;
  participantId: string;
  role: ParticipantRole;
  /** Patients and guests: the credential the stream was opened with (a new join retires it). */
  credentialHash: string | null;
}

interface Stream {
  viewer: StreamViewer;
  push(n: TelehealthNotice): void;
}

const HEARTBEAT_MS = 15_000;
/** A participant leaving the room is news to those in it; someone else's waiting is not. */
const SEEN_BY_OTHERS: ReadonlySet<ParticipantState> = new Set([...IN_ROOM, 'left', 'removed']);

export class TelehealthHub {
  readonly #streams = new Map<string, Set<Stream>>();

  constructor(
    live: LiveHub,
    private readonly db: CentralDb,
    private readonly service: TelehealthService,
    private readonly logger: Logger,
  ) {
    live.onTelehealth((payload) => this.#dispatch(payload));
  }

  get connections(): number {
    let n = 0;
    for (const s of this.#streams.values()) n += s.size;
    return n;
  }

  #dispatch(payload: string) {
    let n: TelehealthNotice;
    try {
      n = JSON.parse(payload) as TelehealthNotice;
    } catch {
      return;
    }
    for (const s of this.#streams.get(n.s) ?? []) if (s.viewer.clinicId === n.c) s.push(n);
  }

  open(req: Request, res: Response, viewer: StreamViewer): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const set = this.#streams.get(viewer.sessionId) ?? new Set<Stream>();
    this.#streams.set(viewer.sessionId, set);
    let closed = false;
    let queue: Promise<void> = Promise.resolve();
    const send = (e: LiveEvent) => {
      if (!closed) res.write(`event: ${TELEHEALTH_SSE_EVENT}\ndata: ${JSON.stringify(e)}\n\n`);
    };
    const end = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      set.delete(stream);
      if (set.size === 0) this.#streams.delete(viewer.sessionId);
      res.end();
    };
    const enqueue = (fn: () => Promise<void>) => {
      queue = queue
        .then(() => (closed ? undefined : fn()))
        .catch((err: unknown) => {
          this.logger.warn({ errName: (err as Error).name }, 'telehealth stream failed; closing it');
          end();
        });
    };
    const { clinicId } = viewer;
    const handle = (n: TelehealthNotice) =>
      this.db.tx({ clinicId }, async (tx) => {
        switch (n.k) {
          case 'participant': {
            const p = await this.service.participantView(tx, clinicId, n.id);
            if (!p) return;
            const mine = p.id === viewer.participantId;
            if (viewer.role !== 'host' && !mine && p.role !== 'host' && !SEEN_BY_OTHERS.has(p.state)) return;
            send({ type: 'participant', participant: p });
            return;
          }
          case 'session':
            send({
              type: 'session',
              session: await this.service.sessionView(tx, clinicId, n.id, viewer.role === 'host'),
            });
            return;
          case 'chat': {
            const m = await this.service.chatView(tx, clinicId, n.id);
            if (m) send({ type: 'chat', message: m });
            return;
          }
          case 'signal': {
            if (n.to !== viewer.participantId) return;
            const signal = await this.service.signalView(tx, clinicId, n.id);
            if (signal) send({ type: 'signal', signal });
            return;
          }
          case 'retired': {
            if (n.id !== viewer.participantId || viewer.credentialHash === null) return;
            if (await this.service.credentialCurrent(tx, clinicId, n.id, viewer.credentialHash)) return;
            const p = await this.service.participantView(tx, clinicId, n.id);
            if (p?.state === 'denied') {
              // The page shows the clinician's message; the stream stays for it, nothing more comes.
              send({ type: 'participant', participant: p });
              return;
            }
            send({
              type: 'retired',
              code: p?.state === 'removed' ? 'link_revoked' : 'participant_retired',
              message:
                p?.state === 'removed'
                  ? 'You were removed from this visit. Contact the clinic if you think this is a mistake.'
                  : 'This visit was opened again in another window or device. Open your link again here to return to the waiting room.',
            });
            end();
          }
        }
      });
    const stream: Stream = { viewer, push: (n) => enqueue(() => handle(n)) };
    set.add(stream);
    enqueue(async () =>
      send({
        type: 'snapshot',
        snapshot: await this.service.snapshot(clinicId, viewer.sessionId, viewer.participantId),
      }),
    );
    const heartbeat = setInterval(() => {
      if (!closed) res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    req.on('close', end);
  }
}
