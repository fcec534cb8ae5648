import { liveEventSchema, TELEHEALTH_SSE_EVENT, type LiveEvent } from '../../../../server/contracts/telehealth/live';

export type StreamStatus = 'connecting' | 'open' | 'retrying' | 'closed';

export interface LiveStreamOptions {
  url: string;
  /** Patient page: `Authorization: Bearer <credential>` (EventSource cannot send headers, so fetch is used). */
  headers?: Record<string, string>;
  onEvent(event: LiveEvent): void;
  onStatus?(status: StreamStatus): void;
  /** A refusal (401/403/404/410): the stream is not reopened; `message` is the server's sentence. */
  onRefused?(status: number, code: string, message: string): void;
}

/**
 * The session's live channel (server-sent events read with fetch and a stream reader). A broken stream is
 * reopened after a short pause (1 s, then up to 5 s); its first event is a fresh snapshot, so nothing is
 * missed. A phone that comes back from the background reopens at once.
 */
export function openLiveStream(options: LiveStreamOptions): { close(): void; reopen(): void } {
  let closed = false;
  let controller: AbortController | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const run = async () => {
    controller = new AbortController();
    options.onStatus?.(attempt === 0 ? 'connecting' : 'retrying');
    try {
      const response = await fetch(options.url, {
        headers: { Accept: 'text/event-stream', ...options.headers },
        credentials: 'same-origin',
        signal: controller.signal,
        cache: 'no-store',
      });
      if (!response.ok) {
        if ([401, 403, 404, 409, 410].includes(response.status)) {
          const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
          closed = true;
          options.onStatus?.('closed');
          options.onRefused?.(response.status, body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? 'This visit is no longer available.');
          return;
        }
        throw new Error(`HTTP ${response.status}`);
      }
      if (!response.body) throw new Error('no body');
      attempt = 0;
      options.onStatus?.('open');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
          dispatch(block);
        }
      }
    } catch {
      // Aborted, or the network dropped: reopen below unless closed.
    }
    if (closed) return;
    attempt += 1;
    options.onStatus?.('retrying');
    timer = setTimeout(() => void run(), Math.min(5000, 1000 * attempt));
  };

  const dispatch = (block: string) => {
    let name = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    }
    if (name !== TELEHEALTH_SSE_EVENT || data.length === 0) return;
    try {
      const parsed = liveEventSchema.safeParse(JSON.parse(data.join('\n')));
      if (parsed.success) options.onEvent(parsed.data);
      else console.warn('telehealth: unexpected live event', parsed.error.issues);
    } catch {
      // Not JSON: ignore.
    }
  };

  void run();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      controller?.abort();
      options.onStatus?.('closed');
    },
    reopen() {
      if (closed) return;
      if (timer) clearTimeout(timer);
      controller?.abort();
    },
  };
}
