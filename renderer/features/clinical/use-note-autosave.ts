import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../../server/contracts/api';
import type { EditorPresence, Note, NoteContent, NoteFieldValue } from '../../../server/contracts/clinical';
import { ApiError, call, fillPath } from '../../api/client';
import { clearLocalDraft, readLocalDraft, writeLocalDraft, type LocalDraft } from './draft-cache';

/**
 * Drafts save themselves: a save goes out one second after typing pauses and at the latest two seconds after
 * the first unsaved keystroke, and at once when a field loses focus, the window is hidden or the page is
 * left. Every change is also written (encrypted) to this browser's storage, so a crash or a lost connection
 * loses at most what was typed in the last moment, and the copy is offered back when the note reopens.
 */
export const DEBOUNCE_MS = 1000;
export const MAX_WAIT_MS = 2000;
const PRESENCE_MS = 15_000;
const RETRY_MS = 5000;

export type SaveState =
  | { kind: 'saved'; at: string }
  | { kind: 'unsaved' }
  | { kind: 'saving' }
  | { kind: 'offline'; message: string }
  | { kind: 'conflict'; message: string }
  | { kind: 'refused'; message: string; fields: Record<string, string> };

export interface DraftValues {
  title: string;
  content: NoteContent;
}

const newWindowId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

export function useNoteAutosave(note: Note, userId: string, editable: boolean) {
  const [values, setValues] = useState<DraftValues>({ title: note.title, content: note.content });
  const [state, setState] = useState<SaveState>({ kind: 'saved', at: note.lastSaved.at });
  const [editors, setEditors] = useState<EditorPresence[]>(note.editors);
  const [restored, setRestored] = useState<'restored' | { older: LocalDraft } | null>(null);
  const [windowId] = useState(newWindowId);

  const version = useRef(note.version);
  const latest = useRef(values);
  const dirty = useRef(false);
  const inFlight = useRef<Promise<void> | null>(null);
  const debounce = useRef<ReturnType<typeof setTimeout> | null>(null);
  const firstUnsavedAt = useRef<number | null>(null);
  const maxWait = useRef<ReturnType<typeof setTimeout> | null>(null);
  const retry = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saveRef = useRef<() => Promise<void>>(async () => undefined);

  const clearTimers = () => {
    if (debounce.current) clearTimeout(debounce.current);
    if (maxWait.current) clearTimeout(maxWait.current);
    if (retry.current) clearTimeout(retry.current);
    debounce.current = maxWait.current = retry.current = null;
  };

  const save = useCallback(async (): Promise<void> => {
    if (!editable) return;
    if (inFlight.current) {
      // One save at a time, in order; the changes made meanwhile go in the next one.
      await inFlight.current;
      if (!dirty.current) return;
    }
    if (!dirty.current) return;
    clearTimers();
    firstUnsavedAt.current = null;
    dirty.current = false;
    const sending = latest.current;
    setState({ kind: 'saving' });
    const run = (async () => {
      try {
        const result = await call('saveNoteDraft', {
          params: { id: note.id },
          body: { baseVersion: version.current, title: sending.title, content: sending.content, windowId },
        });
        version.current = result.version;
        setEditors(result.editors);
        if (dirty.current) setState({ kind: 'unsaved' });
        else {
          setState({ kind: 'saved', at: result.savedAt });
          clearLocalDraft(userId, note.id);
        }
      } catch (err) {
        dirty.current = true;
        if (err instanceof ApiError && err.status === 409)
          setState({ kind: 'conflict', message: err.message });
        else if (err instanceof ApiError && err.status === 400)
          setState({ kind: 'refused', message: err.message, fields: err.fields });
        else {
          setState({ kind: 'offline', message: err instanceof Error ? err.message : 'Not saved yet.' });
          // The server was unreachable or the session ended (the lock screen is up): the text is safe on
          // this computer; keep trying, so it reaches the workstation as soon as it can.
          if (retry.current) clearTimeout(retry.current);
          retry.current = setTimeout(() => void saveRef.current(), RETRY_MS);
        }
      }
    })();
    inFlight.current = run;
    await run;
    inFlight.current = null;
  }, [editable, note.id, userId, windowId]);

  useEffect(() => {
    saveRef.current = save;
  }, [save]);

  const schedule = useCallback(() => {
    if (debounce.current) clearTimeout(debounce.current);
    debounce.current = setTimeout(() => void save(), DEBOUNCE_MS);
    if (firstUnsavedAt.current === null) {
      firstUnsavedAt.current = Date.now();
      maxWait.current = setTimeout(() => void save(), MAX_WAIT_MS);
    }
  }, [save]);

  const change = useCallback(
    (next: DraftValues) => {
      latest.current = next;
      dirty.current = true;
      setValues(next);
      setState((s) => (s.kind === 'conflict' ? s : { kind: 'unsaved' }));
      void writeLocalDraft(userId, note.id, {
        baseVersion: version.current,
        ...next,
        savedAt: new Date().toISOString(),
      }).catch(() => {
        // Storage full or unavailable: the server copy still saves; nothing to tell the user yet.
      });
      schedule();
    },
    [note.id, schedule, userId],
  );

  const setField = useCallback(
    (id: string, value: NoteFieldValue) =>
      change({
        ...latest.current,
        content: { ...latest.current.content, fields: { ...latest.current.content.fields, [id]: value } },
      }),
    [change],
  );
  const setTitle = useCallback((title: string) => change({ ...latest.current, title }), [change]);
  const setContent = useCallback((content: NoteContent) => change({ ...latest.current, content }), [change]);

  /** After a conflict: keep this window's text and save it over the newer version. */
  const overwrite = useCallback(async () => {
    const fresh = await call('getNote', { params: { id: note.id } });
    version.current = fresh.version;
    dirty.current = true;
    setState({ kind: 'unsaved' });
    await save();
  }, [note.id, save]);

  // Reopening: offer back a local copy that the server never received.
  useEffect(() => {
    if (!editable) return;
    let cancelled = false;
    void readLocalDraft(userId, note.id).then((local) => {
      if (cancelled || !local) return;
      const same =
        JSON.stringify({ title: local.title, content: local.content }) ===
        JSON.stringify({ title: note.title, content: note.content });
      if (same) clearLocalDraft(userId, note.id);
      else if (local.baseVersion === note.version) {
        change({ title: local.title, content: local.content });
        setRestored('restored');
      } else setRestored({ older: local });
    });
    return () => {
      cancelled = true;
    };
    // Once per opened note: later versions are this window's own saves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [note.id]);

  const restoreOlderCopy = useCallback(() => {
    if (restored && restored !== 'restored') {
      change({ title: restored.older.title, content: restored.older.content });
      setRestored('restored');
    }
  }, [change, restored]);
  const dismissOlderCopy = useCallback(() => {
    clearLocalDraft(userId, note.id);
    setRestored(null);
  }, [note.id, userId]);

  // Leaving the page or hiding the window: send what is pending now, even as the page goes away.
  useEffect(() => {
    if (!editable) return;
    const url = fillPath(api.saveNoteDraft.path, { id: note.id });
    const presenceUrl = fillPath(api.noteEditorPresence.path, { id: note.id });
    const beacon = () => {
      if (dirty.current && !inFlight.current) {
        dirty.current = false;
        void fetch(url, {
          method: 'PUT',
          keepalive: true,
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ baseVersion: version.current, ...latest.current, windowId }),
        }).catch(() => undefined);
      }
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden') beacon();
    };
    const onPageHide = () => {
      beacon();
      void fetch(presenceUrl, {
        method: 'POST',
        keepalive: true,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ windowId, closing: true }),
      }).catch(() => undefined);
    };
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', onPageHide);
      clearTimers();
      // Navigating away inside the app: save what is pending, and say this window left.
      if (dirty.current) void save();
      void call('noteEditorPresence', { params: { id: note.id }, body: { windowId, closing: true } }).catch(
        () => undefined,
      );
    };
  }, [editable, note.id, save, windowId]);

  // Presence: tell the server this window has the draft open, and learn who else has.
  useEffect(() => {
    if (!editable) return;
    const ping = () =>
      void call('noteEditorPresence', { params: { id: note.id }, body: { windowId } })
        .then((r) => setEditors(r.editors))
        .catch(() => undefined);
    ping();
    const timer = setInterval(ping, PRESENCE_MS);
    return () => clearInterval(timer);
  }, [editable, note.id, windowId]);

  return {
    values,
    state,
    editors,
    restored,
    setField,
    setTitle,
    setContent,
    /** Save now (a field lost focus, or before signing). */
    flush: save,
    overwrite,
    restoreOlderCopy,
    dismissOlderCopy,
    version: () => version.current,
    isDirty: () => dirty.current || inFlight.current !== null,
  };
}
