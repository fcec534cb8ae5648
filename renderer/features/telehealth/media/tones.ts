/** Short sounds made with Web Audio (no audio files to ship or fetch). */

let context: AudioContext | null = null;
function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  return context;
}

/** Two soft notes: someone is waiting. */
export function playChime(): void {
  const ctx = audio();
  if (!ctx) return;
  void ctx.resume().catch(() => undefined);
  const start = ctx.currentTime;
  [660, 880].forEach((freq, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + i * 0.18);
    gain.gain.exponentialRampToValueAtTime(0.2, start + i * 0.18 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.18 + 0.3);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + i * 0.18);
    osc.stop(start + i * 0.18 + 0.32);
  });
}

/**
 * The speaker test: a one-second tone through the chosen output (setSinkId where the browser has it).
 * Resolves when the tone has finished.
 */
export async function playTestTone(sinkId?: string): Promise<void> {
  const ctx = new AudioContext();
  try {
    const withSink = ctx as AudioContext & { setSinkId?: (id: string) => Promise<void> };
    if (sinkId && withSink.setSinkId) await withSink.setSinkId(sinkId).catch(() => undefined);
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 440;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    osc.stop();
  } finally {
    void ctx.close();
  }
}

/**
 * Microphone level 0..1 (RMS of the waveform), sampled on animation frames; returns a stop function.
 */
export function meterLevel(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
  const ctx = new AudioContext();
  const source = ctx.createMediaStreamSource(new MediaStream([track]));
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const data = new Float32Array(analyser.fftSize);
  // A context made before the page saw a click may start suspended and then reads silence; ask it to run.
  if (ctx.state === 'suspended') void ctx.resume();
  let frame = 0;
  let shown = 0;
  const loop = () => {
    analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const v of data) sum += v * v;
    const level = Math.min(1, Math.sqrt(sum / data.length) * 4);
    // Meter ballistics: rise at once, fall over about a second, so a word (or a short test beep) stays
    // readable instead of flickering between frames.
    shown = Math.max(level, shown * 0.95);
    onLevel(shown);
    frame = requestAnimationFrame(loop);
  };
  frame = requestAnimationFrame(loop);
  return () => {
    cancelAnimationFrame(frame);
    source.disconnect();
    void ctx.close();
  };
}
