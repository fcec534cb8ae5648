import path from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util/out/DebugLogger.js';
import { describe, expect, it } from 'vitest';

/**
 * Installers cannot be built on these machines (Electron's binary is not downloadable), so the configuration
 * is checked the way electron-builder itself checks it before building: against its JSON schema. Then the
 * settings IT and security rely on are asserted one by one.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const load = () => getConfig(root, path.join(root, 'electron-builder.yml'), null);

describe('electron-builder.yml', () => {
  it('matches electron-builder’s schema', async () => {
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('a misspelt option is caught by the same check', async () => {
    const config = await load();
    (config.nsis as Record<string, unknown>).oneClik = false;
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/configuration\.nsis/);
  });

  it('builds per-machine NSIS and MSI with a fixed upgrade code, DMG + zip, AppImage and deb', async () => {
    const c = await load();
    const targets = (list: unknown) => (list as { target: string }[]).map((t) => t.target);
    expect(targets(c.win?.target)).toEqual(['nsis', 'msi']);
    expect(c.nsis).toMatchObject({ oneClick: false, perMachine: true, deleteAppDataOnUninstall: false });
    expect(c.msi).toMatchObject({ perMachine: true, upgradeCode: '8f3c2a71-5d4e-4b9a-9c61-2e7d0b4a6f15' });
    expect(targets(c.mac?.target)).toEqual(['dmg', 'zip']);
    expect(targets(c.linux?.target)).toEqual(['AppImage', 'deb']);
  });

  it('signs and verifies updates by publisher name, hardens macOS, and flips the fuses', async () => {
    const c = await load();
    expect(c.win?.verifyUpdateCodeSignature).toBe(true);
    expect(c.win?.signtoolOptions?.publisherName).toEqual(['Tessera Health, Inc.']);
    expect(c.mac).toMatchObject({ hardenedRuntime: true, entitlements: 'resources/entitlements.mac.plist' });
    expect(c.mac?.extendInfo).toMatchObject({
      NSCameraUsageDescription: expect.stringMatching(/telehealth/),
      NSMicrophoneUsageDescription: expect.stringMatching(/telehealth/),
    });
    expect(c.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(c.publish).toMatchObject({ provider: 'generic', url: '${env.TESSERA_UPDATE_URL}' });
  });

  it('holds no secret: signing material comes from the environment', async () => {
    const text = JSON.stringify(await load());
    expect(text).not.toMatch(/certificatePassword|cscKeyPassword|-----BEGIN|apiKey/i);
  });
});
