import { permissionHelpText, type VisitLang } from '../i18n/visit-text';
import type { LocalMediaOptions } from '../provider/video-provider';

/**
 * Camera and microphone access shared by the device check and both providers. The browser asks for
 * permission once (in the device check); the tracks opened there are handed to the provider.
 */

export function videoConstraints(options: LocalMediaOptions): MediaTrackConstraints {
  const base: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 24 } };
  if (options.videoDeviceId) return { ...base, deviceId: { exact: options.videoDeviceId } };
  if (options.facingMode) return { ...base, facingMode: { ideal: options.facingMode } };
  return base;
}

export function audioConstraints(options: LocalMediaOptions): MediaTrackConstraints {
  const base: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  return options.audioDeviceId ? { ...base, deviceId: { exact: options.audioDeviceId } } : base;
}

export async function openLocalMedia(options: LocalMediaOptions, want = { audio: true, video: true }) {
  return navigator.mediaDevices.getUserMedia({
    audio: want.audio ? audioConstraints(options) : false,
    video: want.video ? videoConstraints(options) : false,
  });
}

/** A single new track of one kind (device switch mid-call). */
export async function openTrack(kind: 'audioinput' | 'videoinput', options: LocalMediaOptions) {
  const stream = await openLocalMedia(options, { audio: kind === 'audioinput', video: kind === 'videoinput' });
  const track = kind === 'audioinput' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  if (!track) throw new Error('The device gave no media.');
  return track;
}

export async function openScreenShare(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error('No screen was chosen.');
  track.contentHint = 'detail';
  return track;
}

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

export async function listDevices(): Promise<DeviceLists> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === 'videoinput'),
    microphones: all.filter((d) => d.kind === 'audioinput'),
    speakers: all.filter((d) => d.kind === 'audiooutput'),
  };
}

export type BrowserFamily = 'chrome' | 'edge' | 'firefox' | 'safari-ios' | 'safari-mac' | 'android' | 'other';

export function browserFamily(userAgent: string): BrowserFamily {
  if (/iPhone|iPad|iPod/.test(userAgent)) return 'safari-ios';
  if (/Android/.test(userAgent)) return 'android';
  if (/Edg\//.test(userAgent)) return 'edge';
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Chrome\/|Chromium\//.test(userAgent)) return 'chrome';
  if (/Safari\//.test(userAgent)) return 'safari-mac';
  return 'other';
}

/** What to do when camera or microphone permission was refused, in plain words for this browser. */
export function permissionHelp(family: BrowserFamily, lang: VisitLang = 'en'): string[] {
  return permissionHelpText(family, lang);
}

/** A sentence for a getUserMedia failure. */
export function mediaErrorMessage(error: unknown): { kind: 'denied' | 'missing' | 'busy' | 'other'; message: string } {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return { kind: 'denied', message: 'Your browser is blocking the camera or microphone.' };
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return { kind: 'missing', message: 'No camera or microphone was found. Plug one in, then try again.' };
  if (name === 'NotReadableError' || name === 'AbortError')
    return {
      kind: 'busy',
      message: 'Another app is using your camera or microphone. Close it (Zoom, Teams, FaceTime), then try again.',
    };
  return { kind: 'other', message: 'The camera or microphone could not start. Try again, or call the clinic.' };
}
