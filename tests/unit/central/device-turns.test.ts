import { describe, expect, it } from 'vitest';
import { DeviceTurns } from '../../../server/central/services/replication/device-turns';

/** A promise with its resolve, to hold a push "in progress" for as long as the test wants. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('a device’s pushes on one node', () => {
  it('stores a batch that continues the one in progress only after it', async () => {
    const turns = new DeviceTurns();
    const order: string[] = [];
    const first = gate();
    const a = turns.inTurn('dev', 1, 1000, async () => {
      order.push('a starts');
      await first.opened;
      order.push('a ends');
    });
    const b = turns.inTurn('dev', 1001, 2000, async () => {
      order.push('b starts');
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['a starts']);
    first.open();
    await Promise.all([a, b]);
    expect(order).toEqual(['a starts', 'a ends', 'b starts']);
    expect(turns.size).toBe(0);
  });

  it('chains a third batch behind the second', async () => {
    const turns = new DeviceTurns();
    const order: number[] = [];
    const first = gate();
    const runs = [
      turns.inTurn('dev', 1, 10, async () => {
        await first.opened;
        order.push(1);
      }),
      turns.inTurn('dev', 11, 20, async () => void order.push(2)),
      turns.inTurn('dev', 21, 30, async () => void order.push(3)),
    ];
    first.open();
    await Promise.all(runs);
    expect(order).toEqual([1, 2, 3]);
  });

  it('does not hold back another device, a re-sent batch or one that does not continue it', async () => {
    const turns = new DeviceTurns();
    const first = gate();
    const started: string[] = [];
    const a = turns.inTurn('dev', 1, 1000, async () => {
      await first.opened;
    });
    const others = [
      turns.inTurn('other', 1001, 2000, async () => void started.push('other device')),
      turns.inTurn('dev', 1, 1000, async () => void started.push('re-sent')),
      turns.inTurn('dev', 5001, 6000, async () => void started.push('not continuing')),
    ];
    await Promise.all(others);
    expect(started.sort()).toEqual(['not continuing', 'other device', 're-sent']);
    first.open();
    await a;
    expect(turns.size).toBe(0);
  });

  it('releases the next batch when the one ahead fails, with that failure its own', async () => {
    const turns = new DeviceTurns();
    const a = turns.inTurn('dev', 1, 10, async () => {
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('the database refused it');
    });
    const b = turns.inTurn('dev', 11, 20, async () => 'b ran');
    await expect(a).rejects.toThrow('the database refused it');
    await expect(b).resolves.toBe('b ran');
    expect(turns.size).toBe(0);
  });
});
