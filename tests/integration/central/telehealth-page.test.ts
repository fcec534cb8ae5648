import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentral, type TestCentral } from '../../support/central';
import { tempDir } from '../../support/workstation';

/**
 * Central serves the patient's join page (tele-ui's Vite entry, built to dist/telehealth/ with base
 * /telehealth/) under a strict CSP of its own: no inline code, nothing from elsewhere, never framed,
 * camera and microphone for this origin only.
 */

let central: TestCentral;
let dir: string;

beforeAll(async () => {
  dir = tempDir('tessera-telehealth-page-');
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><title>Video visit</title><script type="module" src="/telehealth/assets/join.js"></script>',
  );
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'join.js'), 'console.log("join")');
  central = await startTestCentral({
    config: {
      telehealth: {
        provider: 'twilio',
        twilio: null,
        iceServers: [],
        publicUrl: null,
        opensMinutesBefore: 30,
        closesMinutesAfter: 60,
        pageDir: dir,
      },
    },
  });
});
afterAll(async () => {
  await central?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the join page', () => {
  it('is served with a strict content security policy', async () => {
    const res = await fetch(`${central.url}/telehealth/join`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Video visit</title>');
    const csp = res.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives['default-src']).toBe("'none'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['style-src']).toBe("'self'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['base-uri']).toBe("'none'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['media-src']).toContain('mediastream:');
    // Twilio's signaling and media services, and nothing else outside central.
    expect(directives['connect-src']).toBe("'self' https://*.twilio.com wss://*.twilio.com");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('permissions-policy')).toContain('camera=(self)');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('serves its assets, and nothing outside its folder', async () => {
    const asset = await fetch(`${central.url}/telehealth/assets/join.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    const escape = await fetch(`${central.url}/telehealth/..%2f..%2fpackage.json`);
    expect(escape.status).toBe(404);
    const api = await fetch(`${central.url}/telehealth/nothing-here`);
    expect(api.status).toBe(404);
  });

  it('says so plainly when the page has not been built', async () => {
    fs.renameSync(path.join(dir, 'index.html'), path.join(dir, 'index.off'));
    try {
      const res = await fetch(`${central.url}/telehealth/join`);
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/not installed on this server yet/);
    } finally {
      fs.renameSync(path.join(dir, 'index.off'), path.join(dir, 'index.html'));
    }
  });
});
