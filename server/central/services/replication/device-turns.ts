/**
 * A workstation keeps two push batches in flight (docs/sync.md, "Push"): the second reaches
 * central while the first is being stored, so its body is read and checked meanwhile instead of after. Central
 * takes a device's mutation ids only in order without a gap (push.ts, requireContiguous), so on this node a
 * batch that continues the one in progress waits for it before its own transaction starts.
 *
 * This is only the common case made cheap; order itself is kept by the database. A batch whose predecessor
 * went to another node (several API processes behind one address) waits on the device row's lock if that
 * transaction has begun, or finds the gap and is answered `mutation_gap`; the workstation sends it again once
 * its predecessor has been answered. A predecessor that fails releases its follower, which then finds the gap.
 */
export class DeviceTurns {
  /** Per device, the last push to arrive on this node and the id its batch ends with. */
  readonly #tail = new Map<string, { lastId: number; done: Promise<void> }>();

  async inTurn<T>(deviceId: string, firstId: number, lastId: number, fn: () => Promise<T>): Promise<T> {
    const before = this.#tail.get(deviceId);
    const wait = before && before.lastId === firstId - 1 ? before.done : null;
    let finished!: () => void;
    const entry = { lastId, done: new Promise<void>((resolve) => (finished = resolve)) };
    this.#tail.set(deviceId, entry);
    try {
      if (wait) await wait;
      return await fn();
    } finally {
      finished();
      if (this.#tail.get(deviceId) === entry) this.#tail.delete(deviceId);
    }
  }

  /** Devices with a push on this node now (for tests: nothing is left behind). */
  get size(): number {
    return this.#tail.size;
  }
}
