/**
 * 270 Eligibility Benefit Inquiry (005010X279A1) for a day's appointments: one interchange, one functional
 * group, one transaction set per payer (2000A information source), the practice as information receiver
 * (2000B), and per appointment a subscriber (2000C) — or, when the patient is the subscriber's dependent
 * without an own member id, a dependent (2000D) under the subscriber. Every request carries our trace
 * (TRN*1) so the 271 answer links back to the appointment without patient data in the trace.
 * Written with the one segment writer (../x12/segments.ts); segment counts and control numbers are computed.
 */
import { type Delimiters, defaultDelimiters, writeSegment } from '../x12/segments';

export type EligibilityPerson = {
  lastName: string;
  firstName: string;
  birthDate: string;
  gender?: 'M' | 'F' | 'U';
};

export type EligibilityInquiry = {
  /** Our trace for this request (TRN02, ≤ 50 characters), e.g. the appointment id; never patient data. */
  traceNumber: string;
  payer: { name: string; payerId: string };
  memberId: string;
  subscriber: EligibilityPerson;
  /** Set when the patient is a dependent of the subscriber (has no own member id). */
  dependent?: EligibilityPerson & { relationshipCode?: string };
  /** ISO date of the appointment. */
  serviceDate: string;
  /** EQ01 service type codes; defaults to 30 (health benefit plan coverage). */
  serviceTypes?: string[];
};

export type Batch270 = {
  sender: { qualifier: string; id: string };
  receiver: { qualifier: string; id: string };
  /** GS02/GS03 application codes; default to the ISA ids. */
  applicationSender?: string;
  applicationReceiver?: string;
  provider: { organizationName: string; npi: string };
  /** 10-character originating company identifier for TRN03 (1 + the practice's TIN is the usual choice). */
  originatorId: string;
  interchangeControlNumber: number;
  groupControlNumber: number;
  /** ISO timestamp of creation (ISA09/10, GS04/05, BHT04/05). */
  createdAt: string;
  usage: 'P' | 'T';
  inquiries: EligibilityInquiry[];
};

export class Eligibility270Error extends Error {}

const pad = (v: string, n: number) => v.padEnd(n, ' ').slice(0, n);
const digits = (iso: string) => iso.replace(/-/g, '');
/** X12 text: upper case, no delimiter characters. */
const clean = (v: string, d: Delimiters) =>
  v
    .toUpperCase()
    .split('')
    .filter((c) => c !== d.element && c !== d.component && c !== d.segment && c !== d.repetition)
    .join('')
    .trim();

function check(batch: Batch270): void {
  if (!batch.inquiries.length) throw new Eligibility270Error('There are no appointments to ask about.');
  if (!/^\d{10}$/.test(batch.provider.npi))
    throw new Eligibility270Error('The provider NPI must be 10 digits.');
  if (
    !Number.isInteger(batch.interchangeControlNumber) ||
    batch.interchangeControlNumber < 1 ||
    batch.interchangeControlNumber > 999_999_999
  )
    throw new Eligibility270Error('The interchange control number must be 1–999999999.');
  for (const q of batch.inquiries) {
    if (!q.traceNumber || q.traceNumber.length > 50)
      throw new Eligibility270Error('Each request needs a trace number of at most 50 characters.');
    if (!q.memberId) throw new Eligibility270Error('Each request needs the member id.');
    if (!q.payer.payerId) throw new Eligibility270Error('Each request needs the payer id.');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(q.serviceDate))
      throw new Eligibility270Error('The service date must be an ISO date.');
  }
}

export function build270(batch: Batch270, d: Delimiters = defaultDelimiters): string {
  check(batch);
  const w = (id: string, els: (string | undefined)[]) => writeSegment(id, els, d);
  const [date, time] = [digits(batch.createdAt.slice(0, 10)), batch.createdAt.slice(11, 16).replace(':', '')];
  const icn = String(batch.interchangeControlNumber).padStart(9, '0');
  const out: string[] = [];
  out.push(
    w('ISA', [
      '00',
      pad('', 10),
      '00',
      pad('', 10),
      pad(batch.sender.qualifier, 2),
      pad(batch.sender.id, 15),
      pad(batch.receiver.qualifier, 2),
      pad(batch.receiver.id, 15),
      date.slice(2),
      time,
      d.repetition,
      '00501',
      icn,
      '0',
      batch.usage,
      d.component,
    ]),
  );
  out.push(
    w('GS', [
      'HS',
      batch.applicationSender ?? batch.sender.id,
      batch.applicationReceiver ?? batch.receiver.id,
      date,
      time,
      String(batch.groupControlNumber),
      'X',
      '005010X279A1',
    ]),
  );
  // One transaction set per payer, in first-seen order.
  const byPayer = new Map<string, EligibilityInquiry[]>();
  for (const q of batch.inquiries) {
    const list = byPayer.get(q.payer.payerId);
    if (list) list.push(q);
    else byPayer.set(q.payer.payerId, [q]);
  }
  let setNo = 0;
  for (const inquiries of byPayer.values()) {
    setNo++;
    const st = String(setNo).padStart(4, '0');
    const body: string[] = [];
    body.push(w('BHT', ['0022', '13', `${batch.groupControlNumber}-${setNo}`, date, time]));
    let hl = 0;
    const source = ++hl;
    body.push(w('HL', [String(source), '', '20', '1']));
    body.push(
      w('NM1', [
        'PR',
        '2',
        clean(inquiries[0]!.payer.name, d),
        '',
        '',
        '',
        '',
        'PI',
        inquiries[0]!.payer.payerId,
      ]),
    );
    const receiver = ++hl;
    body.push(w('HL', [String(receiver), String(source), '21', '1']));
    body.push(
      w('NM1', [
        '1P',
        '2',
        clean(batch.provider.organizationName, d),
        '',
        '',
        '',
        '',
        'XX',
        batch.provider.npi,
      ]),
    );
    for (const q of inquiries) {
      const sub = ++hl;
      const hasDependent = Boolean(q.dependent);
      body.push(w('HL', [String(sub), String(receiver), '22', hasDependent ? '1' : '0']));
      const person = (p: EligibilityPerson, entity: 'IL' | '03', withId: boolean) => {
        if (!hasDependent || entity === '03')
          body.push(w('TRN', ['1', clean(q.traceNumber, d), batch.originatorId]));
        body.push(
          w('NM1', [
            entity,
            '1',
            clean(p.lastName, d),
            clean(p.firstName, d),
            '',
            '',
            '',
            withId ? 'MI' : '',
            withId ? q.memberId : '',
          ]),
        );
        body.push(w('DMG', ['D8', digits(p.birthDate), p.gender ?? '']));
        if (entity === '03' && q.dependent?.relationshipCode)
          body.push(w('INS', ['N', q.dependent.relationshipCode]));
      };
      person(q.subscriber, 'IL', true);
      if (!q.dependent) {
        body.push(w('DTP', ['291', 'D8', digits(q.serviceDate)]));
        for (const t of q.serviceTypes ?? ['30']) body.push(w('EQ', [t]));
      } else {
        const dep = ++hl;
        body.push(w('HL', [String(dep), String(sub), '23', '0']));
        person(q.dependent, '03', false);
        body.push(w('DTP', ['291', 'D8', digits(q.serviceDate)]));
        for (const t of q.serviceTypes ?? ['30']) body.push(w('EQ', [t]));
      }
    }
    out.push(w('ST', ['270', st, '005010X279A1']), ...body, w('SE', [String(body.length + 2), st]));
  }
  out.push(w('GE', [String(setNo), String(batch.groupControlNumber)]));
  out.push(w('IEA', ['1', icn]));
  return out.join('\n');
}
