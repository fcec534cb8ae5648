import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Loading } from './Page';

/** Whether reads are under way, and a way to hear when that may have changed. */
export interface ReadActivity {
  busy(): boolean;
  subscribe(listener: () => void): () => void;
}

/**
 * For a screen made of sections that each read their own data: the sections mount at once (so their reads
 * start together) but stay hidden behind one "Loading…" line until no read is under way, then show
 * together, once. Without it each section grew as its answer landed and moved the ones below it, so a
 * click aimed at a button could land on its neighbour (the chart and the check-in board showed that; they
 * own their reads and wait for them directly).
 *
 * Shown once, never hidden again: later reads (a live refresh, a section's own "Show more") change the
 * screen as the user asked. Hidden with `visibility` rather than `display: none`, so the sections lay out
 * and measure as they will look; the wrapper is `display: contents`, so the page's layout sees the sections
 * as its own children. The desktop's reads are TanStack Query's (`ShowWhenSettled`); the patient portal's
 * are its own calls (portal/api.ts, `portalReads`).
 */
export function SettledGate({
  label,
  reads,
  children,
}: {
  label: string;
  reads: ReadActivity;
  children: ReactNode;
}) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (shown) return;
    const check = () => {
      if (!reads.busy()) setShown(true);
    };
    // Every change of a read (started, answered, failed) is a moment to look; the first look is after this
    // render's effects, by when the sections' own effects (which run first) have started their reads.
    const unsubscribe = reads.subscribe(check);
    const first = window.setTimeout(check, 0);
    return () => {
      unsubscribe();
      window.clearTimeout(first);
    };
  }, [shown, reads]);
  return (
    <>
      {shown ? null : <Loading label={label} />}
      <div
        style={shown ? { display: 'contents' } : { display: 'contents', visibility: 'hidden' }}
        aria-hidden={!shown || undefined}
      >
        {children}
      </div>
    </>
  );
}

/** `SettledGate` over the desktop's reads: every TanStack Query read of the screen. */
export function ShowWhenSettled({ label, children }: { label: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const reads = useMemo<ReadActivity>(
    () => ({
      busy: () => queryClient.isFetching() > 0,
      subscribe: (listener) => queryClient.getQueryCache().subscribe(listener),
    }),
    [queryClient],
  );
  return (
    <SettledGate label={label} reads={reads}>
      {children}
    </SettledGate>
  );
}
