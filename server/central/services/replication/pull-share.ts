/**
 * One snapshot for the pulls that ask the same question. When a clinic's head moves, the live channel
 * tells every workstation of the clinic at once, and each pulls the same page (the same cursor — the head
 * they all had — and the same page size): twenty desks were twenty identical transactions. This node
 * answers them from one read, shared while it is still the newest this node knows of:
 *
 * - a read in flight is joined only if no newer head was heard since it started (its snapshot is taken
 *   after it started, so it holds every change this node had heard of when the joiner arrived);
 * - a finished read is reused only while its head is at least the highest head this node has heard for
 *   the clinic (heads are heard from every commit's notification, on every node, and from this node's own
 *   pushes), and for at most `ttlMs`;
 * - nothing is shared while the node cannot hear notifications (`listening` null): each pull reads; and
 *   when it hears again (another connection), all it knew is forgotten, since changes made in between
 *   were not heard.
 *
 * So a pull is answered with a snapshot at least as new as every change this node had heard of when the
 * pull arrived — what a read of its own could promise, short of a change committed on another node whose
 * notification has not reached this one yet (milliseconds; the workstation pulls again when the live
 * channel tells it of a head its cursor has not reached, see SyncEngine's `#pullAgainIfShort`).
 */

export interface SharedPage {
  head: number;
  epoch: string;
  schemaHighWater: number;
  json: string;
  rows: number;
}

interface Entry {
  /** The highest head heard when the read started. */
  heardAtStart: number;
  at: number;
  page: Promise<SharedPage>;
  settled: SharedPage | null;
}

const MAX_CLINICS = 10_000;

export class PullShare {
  readonly #heads = new Map<string, number>();
  readonly #pages = new Map<string, Map<string, Entry>>();
  #since: number | null = null;

  constructor(
    /** The live channel's connection (LiveHub.listeningSince): null while it hears nothing. */
    private readonly listening: () => number | null,
    private readonly ttlMs = 2_000,
    private readonly now = () => Date.now(),
  ) {}

  /** A head committed for the clinic (a notification, or this node's own push). */
  heard(clinicId: string, head: number): void {
    const known = this.#heads.get(clinicId) ?? -1;
    if (head <= known) return;
    if (this.#heads.size >= MAX_CLINICS && !this.#heads.has(clinicId)) {
      this.#heads.clear();
      this.#pages.clear();
    }
    this.#heads.set(clinicId, head);
    // Pages older than this head are not shared any more (a read in flight stays with those it serves).
    const pages = this.#pages.get(clinicId);
    for (const [key, e] of pages ?? []) if (e.settled && e.settled.head < head) pages!.delete(key);
  }

  /** The page for (clinic, epoch, cursor, limit): shared when the rules above allow, else read by `read`. */
  async page(
    clinicId: string,
    epoch: string,
    cursor: number,
    limit: number,
    read: () => Promise<SharedPage>,
  ): Promise<SharedPage> {
    const since = this.listening();
    if (since !== this.#since) {
      this.#since = since;
      this.#heads.clear();
      this.#pages.clear();
    }
    if (since === null) {
      return read();
    }
    const heard = this.#heads.get(clinicId) ?? -1;
    const key = `${epoch}|${cursor}|${limit}`;
    let clinic = this.#pages.get(clinicId);
    const e = clinic?.get(key);
    if (e && this.now() - e.at < this.ttlMs) {
      const fresh = e.settled ? e.settled.head >= heard : e.heardAtStart >= heard;
      if (fresh) {
        return e.page;
      }
    }
    const entry: Entry = { heardAtStart: heard, at: this.now(), page: read(), settled: null };
    if (!clinic || clinic.size > 100) this.#pages.set(clinicId, (clinic = new Map()));
    clinic.set(key, entry);
    try {
      const page = await entry.page;
      entry.settled = page;
      if (page.epoch !== epoch) this.#pages.get(clinicId)?.delete(key);
      else this.heard(clinicId, page.head);
      return page;
    } catch (err) {
      // A failed read is not shared with anyone arriving later.
      if (this.#pages.get(clinicId)?.get(key) === entry) this.#pages.get(clinicId)!.delete(key);
      throw err;
    }
  }
}
