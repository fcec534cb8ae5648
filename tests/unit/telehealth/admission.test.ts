import { describe, expect, it } from 'vitest';
import { participantRoles, participantStates, type Participant } from '../../../server/contracts/telehealth';
import {
  linkRefusal,
  linkWindow,
  mayEnterRoom,
  maySignal,
  nextState,
  visibleTo,
} from '../../../server/domain/telehealth/admission';

/** The waiting room's rules, walked over every state, role and act. */

describe('admission', () => {
  it('a join always lands in the waiting room, whatever came before, except after removal or denial', () => {
    for (const state of participantStates) {
      const out = nextState(state, 'join', 'patient', 'open');
      if (state === 'removed') expect(out).toMatchObject({ ok: false, code: 'link_revoked' });
      else if (state === 'denied') expect(out).toMatchObject({ ok: false, code: 'link_denied' });
      else expect(out).toEqual({ ok: true, state: 'waiting' });
    }
  });

  it('room access only for the host and admitted or connected participants of an open session', () => {
    for (const role of participantRoles)
      for (const state of participantStates) {
        const expected = role === 'host' || state === 'admitted' || state === 'connected';
        expect(mayEnterRoom(role, state, 'open'), `${role} ${state}`).toBe(expected);
        expect(mayEnterRoom(role, state, 'ended')).toBe(false);
      }
  });

  it('only a waiting participant is admitted or turned away; connecting needs admission', () => {
    for (const state of participantStates) {
      const admit = nextState(state, 'admit', 'guest', 'open');
      if (state === 'waiting') expect(admit).toEqual({ ok: true, state: 'admitted' });
      else if (state === 'admitted' || state === 'connected') expect(admit).toEqual({ ok: true, state });
      else expect(admit.ok).toBe(false);
      const deny = nextState(state, 'deny', 'guest', 'open');
      expect(deny.ok).toBe(state === 'waiting');
      const connect = nextState(state, 'connect', 'patient', 'open');
      if (state === 'admitted' || state === 'connected')
        expect(connect).toEqual({ ok: true, state: 'connected' });
      else expect(connect).toMatchObject({ ok: false, code: 'not_admitted' });
    }
  });

  it('nothing happens in an ended session; the host is never in the waiting room', () => {
    for (const act of ['join', 'admit', 'deny', 'remove', 'connect', 'leave'] as const) {
      expect(nextState('waiting', act, 'patient', 'ended')).toMatchObject({ ok: false, code: 'visit_ended' });
      const host = nextState('admitted', act, 'host', 'open');
      expect(host.ok).toBe(act === 'connect' || act === 'leave');
    }
  });

  it('signaling needs both ends in the room', () => {
    const waiting = { role: 'patient' as const, state: 'waiting' as const };
    const admitted = { role: 'patient' as const, state: 'admitted' as const };
    const host = { role: 'host' as const, state: 'connected' as const };
    expect(maySignal(admitted, host, 'open')).toBe(true);
    expect(maySignal(host, admitted, 'open')).toBe(true);
    expect(maySignal(waiting, host, 'open')).toBe(false);
    expect(maySignal(host, waiting, 'open')).toBe(false);
    expect(maySignal(admitted, host, 'ended')).toBe(false);
  });

  it('a patient sees the host and those in the room, never others in the waiting room', () => {
    const p = (id: string, role: Participant['role'], state: Participant['state']): Participant => ({
      id,
      role,
      state,
      displayName: id,
      stateChangedAt: '',
      waitingSince: null,
      deniedMessage: null,
    });
    const all = [
      p('h', 'host', 'connected'),
      p('me', 'patient', 'waiting'),
      p('g1', 'guest', 'waiting'),
      p('g2', 'guest', 'connected'),
    ];
    expect(visibleTo({ id: 'me', role: 'patient' }, all).map((x) => x.id)).toEqual(['h', 'me', 'g2']);
    expect(visibleTo({ id: 'h', role: 'host' }, all)).toHaveLength(4);
  });
});

describe('join link window', () => {
  const start = new Date('2026-03-02T15:00:00Z');
  const window = linkWindow(start, 30, 60);
  const facts = { window, revokedReason: null, sessionStatus: 'open' as const, opensMinutesBefore: 30 };
  const fmt = (d: Date) => d.toISOString();

  it('works from 30 minutes before the start to the configured time after it', () => {
    expect(window.opensAt.toISOString()).toBe('2026-03-02T14:30:00.000Z');
    expect(window.expiresAt.toISOString()).toBe('2026-03-02T16:00:00.000Z');
    expect(linkRefusal(facts, new Date('2026-03-02T14:29:59Z'), fmt)).toMatchObject({ code: 'link_not_yet' });
    expect(linkRefusal(facts, new Date('2026-03-02T14:30:00Z'), fmt)).toBeNull();
    expect(linkRefusal(facts, new Date('2026-03-02T15:59:59Z'), fmt)).toBeNull();
    expect(linkRefusal(facts, new Date('2026-03-02T16:00:00Z'), fmt)).toMatchObject({ code: 'link_expired' });
  });

  it('says what to do for each refusal, the most specific first', () => {
    const at = new Date('2026-03-02T15:00:00Z');
    expect(linkRefusal({ ...facts, revokedReason: 'removed' }, at, fmt)?.message).toMatch(/removed/);
    expect(linkRefusal({ ...facts, revokedReason: 'replaced' }, at, fmt)?.message).toMatch(
      /most recent link/,
    );
    expect(linkRefusal({ ...facts, revokedReason: 'denied' }, at, fmt)?.code).toBe('link_denied');
    expect(linkRefusal({ ...facts, sessionStatus: 'ended' }, at, fmt)?.code).toBe('visit_ended');
    expect(linkRefusal(facts, new Date('2026-03-02T14:00:00Z'), fmt)?.message).toBe(
      'This visit opens at 2026-03-02T14:30:00.000Z (30 minutes before it starts). Come back to this link then.',
    );
  });
});
