/**
 * Our own 999 and 277CA (tests/fixtures/claims, synthetic) for what the public samples lack: a 999 for an
 * 837P batch that is partially accepted with segment AND element errors, and a 277CA with two claims, one
 * accepted, one rejected, keyed by the patient control numbers we sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse277CA } from '../../../server/domain/claims/inbound/ack277ca';
import { parse999 } from '../../../server/domain/claims/inbound/ack999';

const read = (f: string) => fs.readFileSync(path.resolve(__dirname, '../../fixtures/claims', f), 'utf8');

describe('999 partial acceptance', () => {
  it('says which transaction set was rejected, at which segment and element, in words', () => {
    const ack = parse999(read('ack-partial.999'));
    expect(ack.findings).toEqual([]);
    const g = ack.groups[0]!;
    expect(g).toMatchObject({
      groupControlNumber: '4101',
      status: 'P',
      accepted: false,
      setsIncluded: 2,
      setsReceived: 2,
      setsAccepted: 1,
    });
    expect(g.statusText).toBe('Partially accepted: at least one transaction set was rejected');
    expect(g.sets.map((s) => [s.controlNumber, s.status, s.accepted])).toEqual([
      ['0001', 'A', true],
      ['0002', 'R', false],
    ]);
    const rejected = g.sets[1]!;
    expect(rejected.segmentErrors.map((e) => e.message)).toEqual([
      'Segment NM1 at position 23 of transaction 0002 (loop 2010BA): Segment has data element errors. Element NM109: Invalid code value.',
      'Segment SV1 at position 41 of transaction 0002 (loop 2400): Segment has data element errors. Element SV101-2: Required data element missing.',
    ]);
    expect(rejected.segmentErrors[0]!.elements[0]).toMatchObject({
      elementPosition: '9',
      elementReference: '67',
      code: '7',
      badValue: 'ZZ',
    });
  });
});

describe('277CA with two claims', () => {
  it('one accepted, one rejected for the subscriber’s member number, each by patient control number', () => {
    const ack = parse277CA(read('ack-two-claims.277'));
    expect(ack.findings).toEqual([]);
    expect(ack.batchStatuses.map((s) => [s.category, s.code, s.amountCents])).toEqual([['A1', '19', 35000]]);
    expect(ack.claims.map((c) => [c.patientControlNumber, c.outcome])).toEqual([
      ['TSR-1001', 'accepted'],
      ['TSR-1002', 'rejected'],
    ]);
    expect(ack.claims[0]).toMatchObject({
      payerClaimControlNumber: 'PC0000001001',
      serviceDateFrom: '2026-11-02',
      serviceDateTo: '2026-11-02',
    });
    expect(ack.claims[1]!.statuses[0]!.message).toBe(
      'Acknowledgement: rejected for invalid information — Entity’s contract or member number (Subscriber)',
    );
    expect(ack.claims[1]!.clearinghouseTraceNumber).toBe('CH-778899');
  });
});
