import type { NoteContent } from '../../../server/contracts/clinical';
import { call } from '../../api/client';

/**
 * The local copy of a draft's unsaved text, kept in this browser's storage so a crash, a closed window or a
 * lost connection loses nothing typed. It is encrypted (AES-GCM) with a per-user key that the workstation
 * server keeps in its encrypted database, so the browser profile never holds note text in the clear.
 */
export interface LocalDraft {
  /** The server version the edits started from. */
  baseVersion: number;
  title: string;
  content: NoteContent;
  savedAt: string;
}

let keyPromise: Promise<CryptoKey> | null = null;
let keyOwner: string | null = null;

function cacheKey(userId: string): Promise<CryptoKey> {
  if (!keyPromise || keyOwner !== userId) {
    keyOwner = userId;
    keyPromise = call('getDraftCacheKey').then(({ key }) =>
      crypto.subtle.importKey(
        'raw',
        Uint8Array.from(atob(key), (c) => c.charCodeAt(0)),
        'AES-GCM',
        false,
        ['encrypt', 'decrypt'],
      ),
    );
    keyPromise.catch(() => {
      keyPromise = null;
    });
  }
  return keyPromise;
}

const storageKey = (userId: string, noteId: string) => `tessera.draft.${userId}.${noteId}`;
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export async function writeLocalDraft(userId: string, noteId: string, draft: LocalDraft): Promise<void> {
  const key = await cacheKey(userId);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(draft));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
  // Large notes: encode in chunks so the argument list stays within engine limits.
  let body = '';
  for (let i = 0; i < sealed.length; i += 0x8000)
    body += String.fromCharCode(...sealed.subarray(i, i + 0x8000));
  localStorage.setItem(storageKey(userId, noteId), JSON.stringify({ iv: toBase64(iv), data: btoa(body) }));
}

export async function readLocalDraft(userId: string, noteId: string): Promise<LocalDraft | null> {
  const raw = localStorage.getItem(storageKey(userId, noteId));
  if (!raw) return null;
  try {
    const { iv, data } = JSON.parse(raw) as { iv: string; data: string };
    const key = await cacheKey(userId);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv) }, key, fromBase64(data));
    return JSON.parse(new TextDecoder().decode(plain)) as LocalDraft;
  } catch {
    // Unreadable (another key, damaged): it cannot be restored, so it is not kept either.
    localStorage.removeItem(storageKey(userId, noteId));
    return null;
  }
}

export function clearLocalDraft(userId: string, noteId: string): void {
  localStorage.removeItem(storageKey(userId, noteId));
}
