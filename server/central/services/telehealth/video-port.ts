import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient.js';
import type { IceServer, PreflightAccess, RoomAccess } from '../../../contracts/telehealth';

/**
 * The video provider behind a small port. Twilio: access tokens (AccessToken + VideoGrant for one room,
 * signed with an API key whose secret lives only here) and rooms/participants through the REST API with
 * the official client. Direct: browser WebRTC, nothing to call; the ICE servers come from configuration.
 * Room names are session ids and identities participant ids: nothing about the patient reaches Twilio.
 */
export interface VideoPort {
  readonly provider: 'twilio' | 'direct';
  /** Room access for one identity in one room, valid for `ttlSeconds`. */
  roomAccess(roomName: string, identity: string, ttlSeconds: number): RoomAccess;
  /** Access for the network test only: a throw-away room, never the visit's. */
  preflightAccess(identity: string): PreflightAccess;
  /**
   * Make sure the room exists (a group room, recording off) before anyone is told to connect;
   * `statusCallback`: where the provider posts the room's events (null: none).
   */
  ensureRoom(roomName: string, opts?: { statusCallback?: string | null }): Promise<void>;
  /** Disconnect a participant from the room now (removal is enforced, not just hidden). */
  removeParticipant(roomName: string, identity: string): Promise<void>;
  /** End the room for everyone. */
  endRoom(roomName: string): Promise<void>;
}

export interface TwilioSettings {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** The account's Auth Token: Twilio signs status callbacks with it. Null: no callbacks are requested. */
  authToken?: string | null;
  /**
   * Where the REST calls go instead of https://video.twilio.com (the recorded-contract double in tests;
   * never set in production).
   */
  apiBase?: string | null;
}

/** Twilio's RequestClient, pointed at another origin (the test double) when one is configured. */
export class RedirectingClient extends RequestClient {
  constructor(private readonly base: string) {
    super({ timeout: 10_000 });
  }
  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = new URL(opts.uri);
    const base = new URL(this.base);
    target.protocol = base.protocol;
    target.host = base.host;
    return super.request({ ...opts, uri: target.href });
  }
}

const isNotFound = (err: unknown) => (err as { status?: number }).status === 404;

export class TwilioVideo implements VideoPort {
  readonly provider = 'twilio' as const;
  readonly #client: twilio.Twilio;

  constructor(private readonly settings: TwilioSettings) {
    this.#client = twilio(settings.apiKeySid, settings.apiKeySecret, {
      accountSid: settings.accountSid,
      ...(settings.apiBase && { httpClient: new RedirectingClient(settings.apiBase) }),
    });
  }

  #token(identity: string, room: string, ttlSeconds: number): { token: string; expiresAt: string } {
    const { AccessToken } = twilio.jwt;
    const token = new AccessToken(
      this.settings.accountSid,
      this.settings.apiKeySid,
      this.settings.apiKeySecret,
      {
        identity,
        ttl: ttlSeconds,
      },
    );
    token.addGrant(new AccessToken.VideoGrant({ room }));
    return { token: token.toJwt(), expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() };
  }

  roomAccess(roomName: string, identity: string, ttlSeconds: number): RoomAccess {
    return { provider: 'twilio', roomName, identity, ...this.#token(identity, roomName, ttlSeconds) };
  }

  preflightAccess(identity: string): PreflightAccess {
    return { provider: 'twilio', ...this.#token(identity, `preflight-${identity}`, 600) };
  }

  async ensureRoom(roomName: string, opts: { statusCallback?: string | null } = {}): Promise<void> {
    try {
      const room = await this.#client.video.v1.rooms(roomName).fetch();
      if (room.status === 'in-progress') return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      await this.#client.video.v1.rooms.create({
        uniqueName: roomName,
        type: 'group',
        recordParticipantsOnConnect: false,
        maxParticipants: 12,
        // Room and participant events come back signed (X-Twilio-Signature; needs the Auth Token).
        ...(opts.statusCallback && this.settings.authToken
          ? { statusCallback: opts.statusCallback, statusCallbackMethod: 'POST' }
          : {}),
      });
    } catch (err) {
      // Another node made it a moment ago (53113: a room with that name exists): what we wanted.
      if ((err as { code?: number }).code !== 53113) throw err;
    }
  }

  async removeParticipant(roomName: string, identity: string): Promise<void> {
    try {
      await this.#client.video.v1.rooms(roomName).participants(identity).update({ status: 'disconnected' });
    } catch (err) {
      // Not connected (or the room is gone): nothing to remove.
      if (!isNotFound(err)) throw err;
    }
  }

  async endRoom(roomName: string): Promise<void> {
    try {
      await this.#client.video.v1.rooms(roomName).update({ status: 'completed' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** Browser-to-browser WebRTC; central relays the signaling (live channel) and gives out the ICE servers. */
export class DirectVideo implements VideoPort {
  readonly provider = 'direct' as const;
  constructor(private readonly iceServers: IceServer[]) {}

  roomAccess(roomName: string, identity: string, ttlSeconds: number): RoomAccess {
    return {
      provider: 'direct',
      iceServers: this.iceServers,
      roomName,
      identity,
      expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString(),
    };
  }
  preflightAccess(): PreflightAccess {
    return { provider: 'direct', iceServers: this.iceServers };
  }
  async ensureRoom(): Promise<void> {}
  async removeParticipant(): Promise<void> {
    // The relay stops forwarding to a removed participant and their stream ends (see the service).
  }
  async endRoom(): Promise<void> {}
}
