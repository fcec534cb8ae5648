import type { PreflightAccess, RoomAccess } from '../../../../server/contracts/telehealth';
import { createDirectProvider, testIceReachability } from '../provider/direct-provider';
import { createTwilioProvider } from '../provider/twilio-provider';
import type { NetworkStep, NetworkTestResult, VideoProvider } from '../provider/video-provider';
import type { RelaySignaling } from './relay-signaling';

/** The provider for a room access grant from central (Twilio token, or ICE servers for direct WebRTC). */
export function providerFor(
  access: RoomAccess,
  deps: { signaling: () => RelaySignaling; peersToCall: () => string[]; nameOf: (id: string) => string },
): VideoProvider {
  if (access.provider === 'twilio') {
    return createTwilioProvider({ token: access.token, roomName: access.roomName, nameOf: deps.nameOf });
  }
  return createDirectProvider({
    signaling: deps.signaling(),
    iceServers: access.iceServers as RTCIceServer[],
    peersToCall: deps.peersToCall,
    nameOf: deps.nameOf,
  });
}

/** The device check's network test from a preflight grant. */
export function networkTestFor(access: PreflightAccess): (onProgress: (step: NetworkStep) => void) => Promise<NetworkTestResult> {
  if (access.provider === 'twilio') {
    const provider = createTwilioProvider({ token: access.token, roomName: 'preflight', preflightToken: access.token });
    return (onProgress) => provider.testNetwork(onProgress);
  }
  return (onProgress) => testIceReachability(access.iceServers as RTCIceServer[], onProgress);
}
