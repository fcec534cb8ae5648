import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { draftCacheKeys } from '../../db/schema';
import type { Actor, Store } from '../../db/store';

/**
 * The key each user's browser uses (AES-GCM) to encrypt its local copy of unsaved draft text, so note
 * text never sits in the browser profile in the clear; the key itself lives in the encrypted database.
 * It is per workstation, like the browser storage it protects, and never replicated.
 */
export function draftCacheKey(store: Store, actor: Actor & { userId: string }): string {
  const existing = store.orm
    .select()
    .from(draftCacheKeys)
    .where(eq(draftCacheKeys.userId, actor.userId))
    .get();
  if (existing) return existing.key;
  const key = crypto.randomBytes(32).toString('base64');
  store.write(actor, (w) => {
    w.orm
      .insert(draftCacheKeys)
      .values({ userId: actor.userId, key, createdAt: store.nowIso() })
      .onConflictDoNothing()
      .run();
  });
  return store.orm.select().from(draftCacheKeys).where(eq(draftCacheKeys.userId, actor.userId)).get()!.key;
}
