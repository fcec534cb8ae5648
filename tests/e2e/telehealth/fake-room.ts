import { RoomStore, emptyParticipant } from '../../../renderer/features/telehealth/provider/room-store';
import type { VideoRoom } from '../../../renderer/features/telehealth/provider/video-provider';
import { syntheticCamera } from './frames';

/** A VideoRoom with synthetic camera tracks, driven from the test (state changes, arrivals) and recording calls. */
export class FakeVideoRoom implements VideoRoom {
  readonly store: RoomStore;
  readonly calls: string[] = [];
  constructor(remoteNames: string[]) {
    this.store = new RoomStore({ ...emptyParticipant('me', 'Dr Lena Lee'), videoTrack: syntheticCamera('You'), networkQuality: 5 });
    remoteNames.forEach((name, i) =>
      this.store.upsertRemote(`p${i}`, {
        ...emptyParticipant(`p${i}`, name),
        videoTrack: syntheticCamera(name),
        networkQuality: (5 - (i % 4)) as 5,
      }),
    );
    this.store.update({ state: 'connected' });
  }
  subscribe = (l: () => void) => this.store.subscribe(l);
  snapshot = () => this.store.snapshot();
  setMicrophoneEnabled(enabled: boolean) {
    this.calls.push(`mic:${enabled}`);
    this.store.updateLocal({ audioEnabled: enabled });
  }
  setCameraEnabled(enabled: boolean) {
    this.calls.push(`camera:${enabled}`);
    this.store.updateLocal({ videoEnabled: enabled });
  }
  async switchDevice(kind: string, options: { videoDeviceId?: string; audioDeviceId?: string }) {
    this.calls.push(`switch:${kind}:${options.videoDeviceId ?? options.audioDeviceId}`);
  }
  async startScreenShare() {
    this.calls.push('share:start');
    this.store.updateLocal({ screenTrack: syntheticCamera('Screen') });
  }
  stopScreenShare() {
    this.calls.push('share:stop');
    this.store.updateLocal({ screenTrack: null });
  }
  forgetParticipant(id: string) {
    this.calls.push(`forget:${id}`);
  }
  disconnect(reason = 'left') {
    this.calls.push(`disconnect:${reason}`);
  }
}
