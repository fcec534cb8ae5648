import type { LiveEvent } from '../../server/contracts/telehealth/live';
import { waitFor } from './sync';

/** A live stream read with fetch (as the join page does): every event kept in order. */
export function openStream(url: string, headers: Record<string, string>) {
  const events: LiveEvent[] = [];
  const ac = new AbortController();
  let status = 0;
  const done = (async () => {
    const res = await fetch(url, { headers, signal: ac.signal });
    status = res.status;
    if (!res.ok || !res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('');
          if (data) events.push(JSON.parse(data) as LiveEvent);
        }
      }
    } catch {
      /* aborted */
    }
  })().catch(() => {});
  return {
    events,
    status: () => status,
    close: () => ac.abort(),
    ended: done,
    waitFor: <T extends LiveEvent>(what: string, pred: (e: LiveEvent) => boolean) =>
      waitFor(what, () => events.find(pred) as T | undefined),
  };
}
