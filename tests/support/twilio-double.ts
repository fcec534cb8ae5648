import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { doubleListener } from './double-http';

/**
 * A recorded-contract double of Twilio's Video REST API (https://video.twilio.com/v1), on loopback. The
 * real `twilio` client talks to it (central's TESSERA_TWILIO_API_BASE / settings.twilio.apiBase), so the
 * test covers what the client really sends: paths, HTTP Basic auth with the API key, form fields. Answers
 * have the shape of Twilio's (snake_case JSON, 404 `{ code: 20404 }`, 53113 for a duplicate room name),
 * as recorded from the API reference for Rooms and Room Participants.
 */

export interface RecordedCall {
  method: string;
  path: string;
  form: Record<string, string>;
  /** The Basic-auth user (the API key SID). */
  user: string | null;
  /** The Basic-auth password matched the expected API key secret. */
  authenticated: boolean;
}

interface Room {
  sid: string;
  uniqueName: string;
  status: 'in-progress' | 'completed';
  type: string;
  maxParticipants: number;
  recordParticipantsOnConnect: boolean;
  created: string;
  participants: Map<string, { sid: string; identity: string; status: 'connected' | 'disconnected' }>;
}

const ACCOUNT = 'AC' + 'a'.repeat(32);

export class TwilioDouble {
  readonly calls: RecordedCall[] = [];
  readonly rooms = new Map<string, Room>();
  #server: http.Server | null = null;
  url = '';

  constructor(readonly credentials: { accountSid: string; apiKeySid: string; apiKeySecret: string }) {}

  async start(): Promise<this> {
    this.#server = http.createServer(doubleListener((req, res) => this.#handle(req, res)));
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (this.#server) await new Promise<void>((r) => this.#server!.close(() => r()));
    this.#server = null;
  }

  /** As if a browser connected to the room with this identity (what twilio-video would do). */
  connect(roomName: string, identity: string): void {
    const room = this.#room(roomName);
    if (!room) throw new Error(`no room ${roomName}`);
    room.participants.set(identity, { sid: sid('PA'), identity, status: 'connected' });
  }

  connected(roomName: string): string[] {
    const room = this.#room(roomName);
    return room
      ? [...room.participants.values()].filter((p) => p.status === 'connected').map((p) => p.identity)
      : [];
  }

  #room(sidOrName: string): Room | undefined {
    for (const r of this.rooms.values())
      if (r.sid === sidOrName || r.uniqueName === sidOrName) {
        // A unique name addresses the in-progress room only (Twilio: a completed room's name is free again).
        if (r.sid === sidOrName || r.status === 'in-progress') return r;
      }
    return undefined;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [user, pass] = auth ? Buffer.from(auth[1]!, 'base64').toString('utf8').split(':') : [null, null];
    const authenticated = user === this.credentials.apiKeySid && pass === this.credentials.apiKeySecret;
    this.calls.push({
      method: req.method ?? '',
      path: url.pathname,
      form,
      user: user ?? null,
      authenticated,
    });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: number, message: string) =>
      send(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    if (!authenticated) return error(401, 20003, 'Authenticate');

    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // /v1/Rooms
    if (parts[0] !== 'v1' || parts[1] !== 'Rooms')
      return error(404, 20404, 'The requested resource was not found');
    if (parts.length === 2 && req.method === 'POST') {
      const name = form.UniqueName ?? '';
      if (name && this.#room(name)) return error(400, 53113, 'Room exists');
      const room: Room = {
        sid: sid('RM'),
        uniqueName: name || sid('RM'),
        status: 'in-progress',
        type: form.Type ?? 'group',
        maxParticipants: Number(form.MaxParticipants ?? 50),
        recordParticipantsOnConnect: form.RecordParticipantsOnConnect === 'true',
        created: new Date().toISOString(),
        participants: new Map(),
      };
      this.rooms.set(room.sid, room);
      return send(201, this.#roomJson(room));
    }
    const room = parts[2] ? this.#room(parts[2]) : undefined;
    if (!room) return error(404, 20404, `The requested resource /Rooms/${parts[2]} was not found`);
    if (parts.length === 3) {
      if (req.method === 'GET') return send(200, this.#roomJson(room));
      if (req.method === 'POST') {
        if (form.Status === 'completed') {
          room.status = 'completed';
          for (const p of room.participants.values()) p.status = 'disconnected';
        }
        return send(200, this.#roomJson(room));
      }
    }
    if (parts[3] === 'Participants' && parts[4]) {
      const p = [...room.participants.values()].find(
        (x) => (x.sid === parts[4] || x.identity === parts[4]) && x.status === 'connected',
      );
      if (!p)
        return error(
          404,
          20404,
          `The requested resource /Rooms/${room.sid}/Participants/${parts[4]} was not found`,
        );
      if (req.method === 'POST' && form.Status === 'disconnected') p.status = 'disconnected';
      return send(200, {
        sid: p.sid,
        room_sid: room.sid,
        account_sid: ACCOUNT,
        status: p.status,
        identity: p.identity,
        date_created: room.created,
        date_updated: new Date().toISOString(),
        start_time: room.created,
        end_time: p.status === 'disconnected' ? new Date().toISOString() : null,
        duration: null,
        url: `https://video.twilio.com/v1/Rooms/${room.sid}/Participants/${p.sid}`,
        links: {},
      });
    }
    return error(404, 20404, 'The requested resource was not found');
  }

  #roomJson(r: Room) {
    return {
      sid: r.sid,
      status: r.status,
      date_created: r.created,
      date_updated: new Date().toISOString(),
      account_sid: this.credentials.accountSid,
      enable_turn: true,
      unique_name: r.uniqueName,
      status_callback: null,
      status_callback_method: 'POST',
      end_time: r.status === 'completed' ? new Date().toISOString() : null,
      duration: null,
      type: r.type,
      max_participants: r.maxParticipants,
      max_participant_duration: 14400,
      max_concurrent_published_tracks: 170,
      record_participants_on_connect: r.recordParticipantsOnConnect,
      video_codecs: ['VP8', 'H264'],
      media_region: 'us1',
      audio_only: false,
      empty_room_timeout: 5,
      unused_room_timeout: 5,
      large_room: false,
      url: `https://video.twilio.com/v1/Rooms/${r.sid}`,
      links: {
        participants: `https://video.twilio.com/v1/Rooms/${r.sid}/Participants`,
        recordings: `https://video.twilio.com/v1/Rooms/${r.sid}/Recordings`,
      },
    };
  }
}

const sid = (prefix: string) => prefix + crypto.randomBytes(16).toString('hex');

/** Made-up credentials in Twilio's formats (never real ones in tests). */
export function fakeTwilioCredentials() {
  return {
    accountSid: 'AC' + crypto.randomBytes(16).toString('hex'),
    apiKeySid: 'SK' + crypto.randomBytes(16).toString('hex'),
    apiKeySecret: crypto.randomBytes(24).toString('hex'),
    /** The account's Auth Token (signs status callbacks): 32 hex digits like Twilio's. */
    authToken: crypto.randomBytes(16).toString('hex'),
  };
}
