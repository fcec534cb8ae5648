import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from '../../support/workstation';

/**
 * The browser keeps unsent note text per origin, and the origin includes the port: a data folder's server
 * comes back on the port it had, so that text is found again after a restart.
 */
let running: TestServer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

function hold(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

describe('the port of a data folder', () => {
  it('is the same after a restart, and moves (remembered again) only when another program holds it', async () => {
    const dataDir = tempDir();
    running = await startTestServer({ dataDir });
    const { keyHex } = running;
    const first = running.server.port;
    await running.stop();

    running = await startTestServer({ dataDir, keyHex });
    expect(running.server.port).toBe(first);
    await running.stop();

    const squatter = await hold(first);
    try {
      running = await startTestServer({ dataDir, keyHex });
      const moved = running.server.port;
      expect(moved).not.toBe(first);
      expect(running.logs.some((l) => l.includes('"level":40') && l.includes('port this data folder used before'))).toBe(true);
      await running.stop();
      running = await startTestServer({ dataDir, keyHex });
      expect(running.server.port).toBe(moved);
    } finally {
      squatter.close();
    }
  });

  it('is per data folder: another folder gets its own port', async () => {
    const a = await startTestServer();
    const b = await startTestServer();
    try {
      expect(a.server.port).not.toBe(b.server.port);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
