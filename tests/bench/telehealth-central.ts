/**
 * Central's share of `npm run bench telehealth`: how long a waiting-room change takes to reach the other
 * side (target p95 < 300 ms) over the real path — patient → central → NOTIFY → the host's stream relayed by
 * the workstation, and host → workstation → central → the patient's stream. The telehealth bench (tele-ui)
 * calls `measureWaitingRoom()`; `run()` prints it alone.
 */
import { releasePostgres } from '../support/postgres';
import { startTelehealthStack } from '../support/telehealth';
import type { BenchOptions } from './run';
import { report, summarise, type Timing } from './stats';

interface Stream {
  next(pred: (e: { type: string; participant?: { id: string; state: string } }) => boolean): Promise<void>;
  close(): void;
}

function stream(url: string, headers: Record<string, string>): Stream {
  const ac = new AbortController();
  const waiters: { pred: (e: never) => boolean; resolve: () => void }[] = [];
  void (async () => {
    const res = await fetch(url, { headers, signal: ac.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const data = buf
          .slice(0, i)
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5))
          .join('');
        buf = buf.slice(i + 2);
        if (!data) continue;
        const e = JSON.parse(data) as never;
        for (const w of [...waiters])
          if (w.pred(e)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
      }
    }
  })().catch(() => {});
  return {
    next: (pred) => new Promise<void>((resolve) => waiters.push({ pred: pred as never, resolve })),
    close: () => ac.abort(),
  };
}

export async function measureWaitingRoom(rounds: number): Promise<{ join: Timing; admit: Timing }> {
  const stack = await startTelehealthStack({ provider: 'direct' });
  try {
    const link = await stack.patientLink();
    const cookie = [...stack.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const host = stream(
      `${stack.workstation.t.server.origin}/api/telehealth/sessions/${link.sessionId}/events`,
      {
        cookie,
      },
    );
    const join: number[] = [];
    const admit: number[] = [];
    const answered: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const seenWaiting = host.next(
        (e) =>
          e.type === 'participant' &&
          e.participant?.id === link.participantId &&
          e.participant.state === 'waiting',
      );
      const t0 = performance.now();
      const res = await fetch(`${stack.central.url}/v1/telehealth/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: link.token, displayName: 'Bench Patient' }),
      });
      const { credential } = (await res.json()) as { credential: string };
      answered.push(performance.now() - t0);
      await seenWaiting;
      join.push(performance.now() - t0);

      const patient = stream(`${stack.central.url}/v1/telehealth/participant/events`, {
        authorization: `Bearer ${credential}`,
      });
      await patient.next((e) => e.type === 'snapshot');
      const seenAdmitted = patient.next(
        (e) => e.type === 'participant' && e.participant?.state === 'admitted',
      );
      const t1 = performance.now();
      await stack.client.call('telehealthAdmit', {
        params: { sessionId: link.sessionId, participantId: link.participantId },
      });
      await seenAdmitted;
      admit.push(performance.now() - t1);
      patient.close();
    }
    host.close();
    report('  of which the join request itself', summarise(answered));
    return { join: summarise(join), admit: summarise(admit) };
  } finally {
    await stack.stop();
  }
}

export async function run({ scale }: BenchOptions): Promise<void> {
  const rounds = Math.max(5, Math.round(50 * scale));
  try {
    const { join, admit } = await measureWaitingRoom(rounds);
    report('patient joins → host sees them waiting (via workstation)', join, 300);
    report('host admits (via workstation) → patient sees it', admit, 300);
  } finally {
    await releasePostgres();
  }
}
