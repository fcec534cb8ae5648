import type { EditorPresence, PersonRef } from '../../../contracts/clinical';
import type { Store } from '../../db/store';

/**
 * Who has a note open for editing. Windows on this workstation report themselves (every few seconds
 * while the editor is open, and with each autosave); other workstations are seen through the note's
 * last save. Kept in memory: presence is a hint, never a lock, and has no business in the record.
 */
const WINDOW_STALE_MS = 45_000;
const REMOTE_RECENT_MS = 60_000;

interface WindowSeen {
  user: PersonRef;
  at: number;
}

const byStore = new WeakMap<Store, Map<string, Map<string, WindowSeen>>>();

function windowsOf(store: Store, noteId: string): Map<string, WindowSeen> {
  let notes = byStore.get(store);
  if (!notes) byStore.set(store, (notes = new Map()));
  let windows = notes.get(noteId);
  if (!windows) notes.set(noteId, (windows = new Map()));
  return windows;
}

export function touchEditor(store: Store, noteId: string, windowId: string, user: PersonRef): void {
  windowsOf(store, noteId).set(windowId, { user, at: store.now().getTime() });
}

export function leaveEditor(store: Store, noteId: string, windowId: string): void {
  windowsOf(store, noteId).delete(windowId);
}

/** Everyone editing the note other than the asking window. */
export function editorsOf(
  store: Store,
  note: {
    id: string;
    lastSavedAt: string;
    lastSavedWorkstation: string;
    lastSavedBy: PersonRef;
    status: string;
  },
  exceptWindowId: string | null,
): EditorPresence[] {
  if (note.status !== 'draft') return [];
  const now = store.now().getTime();
  const windows = windowsOf(store, note.id);
  const out: EditorPresence[] = [];
  for (const [windowId, seen] of windows) {
    if (now - seen.at > WINDOW_STALE_MS) {
      windows.delete(windowId);
      continue;
    }
    if (windowId === exceptWindowId) continue;
    out.push({ user: seen.user, where: 'another_window', lastSeenAt: new Date(seen.at).toISOString() });
  }
  const savedAt = Date.parse(note.lastSavedAt);
  if (note.lastSavedWorkstation !== store.workstationId && now - savedAt < REMOTE_RECENT_MS) {
    out.push({ user: note.lastSavedBy, where: 'another_workstation', lastSeenAt: note.lastSavedAt });
  }
  return out;
}
