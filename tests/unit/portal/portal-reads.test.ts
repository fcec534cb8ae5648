import { afterEach, describe, expect, it, vi } from 'vitest';
import { portal, portalReads } from '../../../renderer/portal/api';

/** A fetch that answers when told to, so the test can look while the read is under way. */
function heldFetch() {
  const answers: ((r: Response | Error) => void)[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(
      () =>
        new Promise<Response>((resolve, reject) =>
          answers.push((r) => (r instanceof Error ? reject(r) : resolve(r))),
        ),
    ),
  );
  return answers;
}

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('the portal’s reads under way (what SettledGate waits for)', () => {
  it('counts a read from its start to its answer, and tells listeners at both ends', async () => {
    const answers = heldFetch();
    const heard = vi.fn();
    const unsubscribe = portalReads.subscribe(heard);
    expect(portalReads.busy()).toBe(false);
    const threads = portal('portalThreads');
    const questionnaires = portal('portalQuestionnaires');
    expect(portalReads.busy()).toBe(true);
    answers[0]!(json({ threads: [] }));
    await threads;
    expect(portalReads.busy()).toBe(true); // the other read is still out
    answers[1]!(json({ questionnaires: [] }));
    await questionnaires;
    expect(portalReads.busy()).toBe(false);
    expect(heard).toHaveBeenCalledTimes(4);
    unsubscribe();
  });

  it('ends a read that failed (offline, or refused) as well as one that answered', async () => {
    const answers = heldFetch();
    const offline = portal('portalThreads');
    answers[0]!(new Error('network down'));
    await expect(offline).rejects.toMatchObject({ code: 'offline' });
    const refused = portal('portalThreads');
    answers[1]!(
      new Response(JSON.stringify({ error: { code: 'forbidden', message: 'No.' } }), { status: 403 }),
    );
    await expect(refused).rejects.toMatchObject({ status: 403 });
    expect(portalReads.busy()).toBe(false);
  });

  it('does not count a change the patient made (a POST): only reads keep a page hidden', async () => {
    const answers = heldFetch();
    const sent = portal('portalSignOut');
    expect(portalReads.busy()).toBe(false);
    answers[0]!(json({ ok: true }));
    await sent;
  });
});
