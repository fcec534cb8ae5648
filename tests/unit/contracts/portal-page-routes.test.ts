import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { portalOpenPages, portalPages } from '../../../server/contracts/portal/endpoints';

/**
 * The unauthenticated walk (tests/integration/central/portal.test.ts) visits every page central guards,
 * from `portalPages`; it is only "every page" if that list matches the portal's router. A route added to
 * PortalApp.tsx without being listed would be served without the session check (the shell then shows the
 * sign-in by its 401s, but central must redirect first), so this test ties the two lists together.
 */
describe('portal page routes', () => {
  it('every route of the portal app is a guarded or an open page at central, and nothing else', () => {
    const src = fs.readFileSync(
      path.resolve(import.meta.dirname, '../../../renderer/portal/PortalApp.tsx'),
      'utf8',
    );
    const routes = [...src.matchAll(/<Route\s+path="([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((p) => p !== '*')
      .map((p) => `/portal${p === '/' ? '/' : p}`);
    expect(routes.length).toBeGreaterThan(3);
    expect([...routes].sort()).toEqual([...portalPages, ...portalOpenPages].sort());
  });
});
