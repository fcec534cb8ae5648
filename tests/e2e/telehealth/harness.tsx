// Bundled by tests/e2e/support/harness.ts into a page without a server. Exposes the telehealth providers and
// components on window.harness so the Playwright specs can drive them in a real Chromium.
import '../../../renderer/ui/styles.css';
import { createDirectProvider } from '../../../renderer/features/telehealth/provider/direct-provider';
import { LoopbackHub } from './loopback-signaling';
import { countFrames, syntheticCamera } from './frames';
import { calls, mountComponent } from './mount';
import * as mount from './mount';

const harness = {
  LoopbackHub,
  createDirectProvider,
  countFrames,
  syntheticCamera,
  mount: mountComponent,
  calls,
  room: () => mount.currentRoom,
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
