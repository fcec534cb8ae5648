/** Frames decoded so far on a video element, counted with requestVideoFrameCallback. */
export function countFrames(video: HTMLVideoElement): { count: () => number } {
  let frames = 0;
  const tick = () => {
    frames += 1;
    video.requestVideoFrameCallback(tick);
  };
  video.requestVideoFrameCallback(tick);
  return { count: () => frames };
}

/** A canvas-drawn moving picture as a camera track (tests that need video without a camera). */
export function syntheticCamera(label: string): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const ctx = canvas.getContext('2d')!;
  let n = 0;
  const draw = () => {
    n += 1;
    ctx.fillStyle = `hsl(${(n * 7) % 360} 60% 40%)`;
    ctx.fillRect(0, 0, 320, 240);
    ctx.fillStyle = '#fff';
    ctx.font = '28px sans-serif';
    ctx.fillText(`${label} ${n}`, 20, 130);
  };
  draw();
  setInterval(draw, 40);
  const track = canvas.captureStream(25).getVideoTracks()[0]!;
  return track;
}
