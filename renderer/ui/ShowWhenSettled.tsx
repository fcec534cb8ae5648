import { useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Loading } from './Page';

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
 * as its own children.
 */
export function ShowWhenSettled({ label, children }: { label: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (shown) return;
    const check = () => {
      if (queryClient.isFetching() === 0) setShown(true);
    };
    // Every change of a read (started, answered, failed) is a moment to look; the first look is after this
    // render's effects, by when the sections' own effects (which run first) have started their reads.
    const unsubscribe = queryClient.getQueryCache().subscribe(check);
    const first = window.setTimeout(check, 0);
    return () => {
      unsubscribe();
      window.clearTimeout(first);
    };
  }, [shown, queryClient]);
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
