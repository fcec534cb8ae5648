/**
 * One wake-up per clinic per window. Every commit that advances a clinic's change sequence is a NOTIFY, and
 * every workstation of the clinic pulls when told: with ten staff working, a clinic's twenty workstations
 * would each pull several times a second, all at the same instant, mostly to fetch one change each. Instead
 * the first change after a quiet window is told at once (an isolated change still reaches the other desks in
 * milliseconds), and the changes that follow within the window are told together, once, when it ends, with
 * the latest head. Nothing is missed: the last head heard is always told (a trailing event is never
 * dropped), and the workstation's cursor and slow timer stay as they are (docs/sync.md).
 */

/** How long a busy clinic's wake-ups are held together; a change is told at most this late. */
export const LIVE_COALESCE_MS = 1000;

interface ClinicWake {
  /** The latest head heard (not compared: after a restore a new epoch's head may be lower). */
  head: number;
  /** When the last event was told (performance.now()), or -Infinity. */
  toldAt: number;
  timer: NodeJS.Timeout | null;
}

export class WakeCoalescer {
  readonly #clinics = new Map<string, ClinicWake>();

  constructor(
    private readonly tell: (clinicId: string, head: number) => void,
    private readonly windowMs = LIVE_COALESCE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A change to `clinicId` up to `head` was committed (from any node). */
  heard(clinicId: string, head: number): void {
    let c = this.#clinics.get(clinicId);
    if (!c) {
      c = { head, toldAt: -Infinity, timer: null };
      this.#clinics.set(clinicId, c);
    }
    c.head = head;
    if (c.timer) return; // told when the window ends, with the latest head
    const wait = c.toldAt + this.windowMs - this.now();
    if (wait <= 0) return this.#tell(clinicId, c);
    c.timer = setTimeout(() => {
      c.timer = null;
      this.#tell(clinicId, c);
    }, wait);
    c.timer.unref();
  }

  #tell(clinicId: string, c: ClinicWake) {
    c.toldAt = this.now();
    this.tell(clinicId, c.head);
  }

  /** Pending wake-ups are dropped (the process is stopping; nobody is subscribed any more). */
  stop(): void {
    for (const c of this.#clinics.values()) if (c.timer) clearTimeout(c.timer);
    this.#clinics.clear();
  }
}
