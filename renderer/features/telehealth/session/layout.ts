import type { ParticipantView, RoomSnapshot } from '../provider/video-provider';

export type LayoutName = 'grid' | 'speaker' | 'fullscreen';

export interface StageTile {
  participant: ParticipantView;
  isLocal: boolean;
  showScreen: boolean;
}

/**
 * Which tile is large in speaker/fullscreen layouts: a shared screen first (anyone's), then the pinned
 * participant, then whoever spoke last, then the first remote participant, else yourself.
 */
export function pickStage(snapshot: RoomSnapshot, pinnedId: string | null): { main: StageTile; others: StageTile[] } {
  const everyone: StageTile[] = [
    ...snapshot.remote.map((p) => ({ participant: p, isLocal: false, showScreen: false })),
  ];
  const sharer = snapshot.remote.find((p) => p.screenTrack) ?? null;
  const screenTile = sharer ? { participant: sharer, isLocal: false, showScreen: true } : null;
  const pinned = snapshot.remote.find((p) => p.id === pinnedId) ?? null;
  const speaker = snapshot.remote.find((p) => p.id === snapshot.dominantSpeakerId) ?? null;
  const first = snapshot.remote[0] ?? null;
  const local: StageTile = { participant: snapshot.local, isLocal: true, showScreen: false };
  if (screenTile) return { main: screenTile, others: everyone };
  const chosen = pinned ?? speaker ?? first;
  if (!chosen) return { main: local, others: [] };
  return { main: { participant: chosen, isLocal: false, showScreen: false }, others: everyone.filter((t) => t.participant.id !== chosen.id) };
}

/** Grid: columns × rows closest to square for n tiles (1 → 1×1, 2 → 2×1, 3–4 → 2×2, 5–6 → 3×2, …). */
export function gridShape(n: number): { columns: number; rows: number } {
  const count = Math.max(1, n);
  const columns = Math.ceil(Math.sqrt(count));
  return { columns, rows: Math.ceil(count / columns) };
}

/** Keep a floating panel inside its container. */
export function clampPosition(
  pos: { x: number; y: number },
  size: { width: number; height: number },
  bounds: { width: number; height: number },
) {
  return {
    x: Math.min(Math.max(0, pos.x), Math.max(0, bounds.width - size.width)),
    y: Math.min(Math.max(0, pos.y), Math.max(0, bounds.height - size.height)),
  };
}
