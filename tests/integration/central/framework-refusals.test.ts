import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentral, type TestCentral } from '../../support/central';

/**
 * Central's error handler keeps the framework's own refusals 4xx, like the workstation's: a malformed
 * percent-encoded path parameter and a body that lies about its Content-Encoding were 500s before.
 */

let central: TestCentral;
beforeAll(async () => {
  central = await startTestCentral();
});
afterAll(() => central.destroy());

const read = async (res: Response) => {
  const text = await res.text();
  return { status: res.status, text, code: (JSON.parse(text) as { error: { code: string } }).error.code };
};

describe('central framework refusals', () => {
  it('answers a malformed percent-encoded path parameter with 400', async () => {
    const res = await read(await fetch(`${central.url}/v1/admin/clinics/%E0%A4%A/devices`));
    expect(res.status).toBe(400);
    expect(res.code).toBe('bad_path');
    expect(res.text).not.toContain('%E0%A4%A');
  });

  it('answers a lying or unsupported Content-Encoding with 400 or 415', async () => {
    const post = (body: string | Buffer, encoding: string) =>
      fetch(`${central.url}/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: body as string,
      }).then(read);
    const lying = await post('{"code": "not compressed"}', 'gzip');
    expect(lying.status).toBe(400);
    expect(lying.code).toBe('bad_encoding');
    const unsupported = await post('{}', 'x-nonsense');
    expect(unsupported.status).toBe(415);
    expect(unsupported.code).toBe('unsupported_encoding');
    // An honest gzip body gets past the framework (and is then judged on its content).
    const honest = await post(zlib.gzipSync('{}'), 'gzip');
    expect(honest.status).toBeGreaterThanOrEqual(400);
    expect(honest.status).toBeLessThan(500);
    expect(honest.code).not.toBe('bad_encoding');
  });
});
