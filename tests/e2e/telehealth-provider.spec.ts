import { expect, test } from '@playwright/test';
import { openHarness } from './support/harness';

/**
 * The direct WebRTC provider, proven in one Chromium page: two participants, each with its own
 * RTCPeerConnection, signaling through an in-page hub shaped like central's relay. Each must see the other's
 * video with frames actually decoding, and mute/camera-off/leave must reach the other side.
 */
test.use({
  launchOptions: {
    executablePath: process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
});

test('two direct-provider rooms connect and decode each other’s video', async ({ page }) => {
  await openHarness(page);
  const result = await page.evaluate(async () => {
    const h = window.harness;
    const hub = new h.LoopbackHub();
    const names: Record<string, string> = { 'a-clinician': 'Dr Lee', 'b-patient': 'Sam' };
    const direct = (id: string) =>
      h.createDirectProvider({ signaling: hub.channel(id), iceServers: [], statsIntervalMs: 300, peersToCall: () => hub.connected(id), nameOf: (p) => names[p] ?? p });
    const a = await direct('a-clinician').connect({
      name: 'Dr Lee',
      tracks: [h.syntheticCamera('A')],
    });
    const b = await direct('b-patient').connect({
      name: 'Sam',
      tracks: [h.syntheticCamera('B'), ...(await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()],
    });
    const waitFor = async (what: () => boolean, label: string) => {
      const until = Date.now() + 15_000;
      while (!what()) {
        if (Date.now() > until) throw new Error(`timed out: ${label}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor(() => a.snapshot().remote[0]?.videoTrack != null && b.snapshot().remote[0]?.videoTrack != null, 'remote tracks');
    const play = (track: MediaStreamTrack) => {
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = new MediaStream([track]);
      document.body.append(video);
      void video.play();
      return h.countFrames(video);
    };
    const atA = play(a.snapshot().remote[0]!.videoTrack!);
    const atB = play(b.snapshot().remote[0]!.videoTrack!);
    await waitFor(() => atA.count() > 10 && atB.count() > 10, 'frames decoding');

    const seen = { atA: a.snapshot().remote[0]!.name, atB: b.snapshot().remote[0]!.name };
    const audioAtA = a.snapshot().remote[0]!.audioEnabled;

    b.setMicrophoneEnabled(false);
    b.setCameraEnabled(false);
    await waitFor(() => a.snapshot().remote[0]!.audioEnabled === false && a.snapshot().remote[0]!.videoEnabled === false, 'mute seen');
    await waitFor(() => a.snapshot().remote[0]!.networkQuality !== null, 'quality measured');
    const quality = a.snapshot().remote[0]!.networkQuality;

    b.disconnect();
    await waitFor(() => a.snapshot().remote.length === 0, 'leave seen');
    const stateB = b.snapshot().state;
    a.disconnect();
    return { names: seen, audioAtA, quality, stateB, signals: hub.log.map((l) => `${l.from}>${l.type}`) };
  });
  expect(result.names).toEqual({ atA: 'Sam', atB: 'Dr Lee' });
  expect(result.audioAtA).toBe(true);
  expect(result.quality).toBeGreaterThanOrEqual(4);
  expect(result.stateB).toBe('disconnected');
  // One offer, one answer: the later joiner offered, the pair never raced.
  expect(result.signals.filter((t) => t.endsWith('>offer'))).toEqual(['b-patient>offer']);
  expect(result.signals.filter((t) => t.endsWith('>answer'))).toEqual(['a-clinician>answer']);
  expect(result.signals).toContain('b-patient>bye');
});

test('a participant that reloads pairs up again', async ({ page }) => {
  await openHarness(page);
  const frames = await page.evaluate(async () => {
    const h = window.harness;
    const hub = new h.LoopbackHub();
    const waitFor = async (what: () => boolean, label: string) => {
      const until = Date.now() + 15_000;
      while (!what()) {
        if (Date.now() > until) throw new Error(`timed out: ${label}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const direct = (id: string) =>
      h.createDirectProvider({ signaling: hub.channel(id), iceServers: [], peersToCall: () => hub.connected(id), nameOf: (p) => p });
    const a = await direct('z-host').connect({ name: 'Host', tracks: [h.syntheticCamera('A')] });
    let b = await direct('p-guest').connect({ name: 'Guest', tracks: [h.syntheticCamera('B')] });
    await waitFor(() => a.snapshot().remote[0]?.videoTrack != null, 'first pairing');
    // The page "reloads": the old room vanishes without a goodbye and a new one joins under the same id.
    const stale = a.snapshot().remote[0]!.videoTrack;
    b = await direct('p-guest').connect({ name: 'Guest', tracks: [h.syntheticCamera('B2')] });
    await waitFor(() => a.snapshot().remote.length === 1 && a.snapshot().remote[0]!.videoTrack !== stale && a.snapshot().remote[0]!.videoTrack != null, 'second pairing');
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = new MediaStream([a.snapshot().remote[0]!.videoTrack!]);
    document.body.append(video);
    void video.play();
    const counter = h.countFrames(video);
    await waitFor(() => counter.count() > 5, 'frames after rejoin');
    a.disconnect();
    b.disconnect();
    return counter.count();
  });
  expect(frames).toBeGreaterThan(5);
});

test('a group visit: three participants in a mesh each decode the other two', async ({ page }) => {
  await openHarness(page);
  const counts = await page.evaluate(async () => {
    const h = window.harness;
    const hub = new h.LoopbackHub();
    const waitFor = async (what: () => boolean, label: string) => {
      const until = Date.now() + 20_000;
      while (!what()) {
        if (Date.now() > until) throw new Error(`timed out: ${label}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const direct = (id: string) =>
      h.createDirectProvider({ signaling: hub.channel(id), iceServers: [], peersToCall: () => hub.connected(id), nameOf: (p) => p });
    const rooms: Awaited<ReturnType<ReturnType<typeof direct>['connect']>>[] = [];
    for (const id of ['host', 'patient', 'interpreter']) rooms.push(await direct(id).connect({ name: id, tracks: [h.syntheticCamera(id)] }));
    await waitFor(() => rooms.every((r) => r.snapshot().remote.length === 2 && r.snapshot().remote.every((p) => p.videoTrack != null)), 'mesh');
    const counters = rooms.flatMap((r) =>
      r.snapshot().remote.map((p) => {
        const video = document.createElement('video');
        video.muted = true;
        video.srcObject = new MediaStream([p.videoTrack!]);
        document.body.append(video);
        void video.play();
        return h.countFrames(video);
      }),
    );
    await waitFor(() => counters.every((c) => c.count() > 5), 'frames on all six streams');
    const result = counters.map((c) => c.count());
    rooms.forEach((r) => r.disconnect());
    return result;
  });
  expect(counts).toHaveLength(6);
  for (const n of counts) expect(n).toBeGreaterThan(5);
});
