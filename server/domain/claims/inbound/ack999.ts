/**
 * 999 Implementation Acknowledgment (005010X231A1) → which functional group (our 837 batch, by GS06) and
 * which transaction sets (by ST02) were accepted or rejected, and for a rejection the segment and element in
 * error with the code's text, so the biller reads "segment NM1 at position 17 of transaction 0028:
 * Unrecognized segment id" rather than `IK3*NM*17**1`.
 */
import { el } from '../x12/segments';
import { ackCodeText, ak9ErrorText, ik3ErrorText, ik4ErrorText, ik5ErrorText } from './codes';
import { type Finding, readInterchange } from './interchange';

export type ElementError = {
  /** IK401-1: position of the element in the segment; IK401-2 the component, when given. */
  elementPosition: string;
  componentPosition: string;
  /** IK402 data element reference number. */
  elementReference: string;
  code: string;
  text: string;
  /** IK404: a copy of the bad value, when the sender included one. */
  badValue: string;
};

export type SegmentError = {
  segmentId: string;
  /** IK302: position of the segment in the acknowledged transaction set (ST = 1). */
  segmentPosition: string;
  /** IK303: loop identifier, when given. */
  loopId: string;
  code: string;
  text: string;
  elements: ElementError[];
  /** A sentence for the biller. */
  message: string;
};

export type SetAcknowledgment = {
  /** AK201, e.g. 837. */
  transactionType: string;
  /** AK202: the ST02 of our transaction set. */
  controlNumber: string;
  version: string;
  /** IK501: A, E, M, R, W, X. */
  status: string;
  statusText: string;
  accepted: boolean;
  errors: { code: string; text: string }[];
  segmentErrors: SegmentError[];
};

export type GroupAcknowledgment = {
  /** AK101 functional identifier (HC for claims). */
  functionalId: string;
  /** AK102: the GS06 of our batch. */
  groupControlNumber: string;
  version: string;
  /** AK901: A, E, P, R … */
  status: string;
  statusText: string;
  /** True for A and E (accepted, with errors noted); P means some sets were rejected. */
  accepted: boolean;
  setsIncluded: number;
  setsReceived: number;
  setsAccepted: number;
  errors: { code: string; text: string }[];
  sets: SetAcknowledgment[];
};

export type Ack999 = {
  /** ISA13 of the 999 itself. */
  interchangeControlNumber: string;
  groups: GroupAcknowledgment[];
  findings: Finding[];
};

const accepts = (code: string) => code === 'A' || code === 'E';

export function parse999(text: string): Ack999 {
  const ix = readInterchange(text);
  const findings = [...ix.findings];
  const groups: GroupAcknowledgment[] = [];
  for (const set of ix.sets) {
    if (set.type !== '999') {
      findings.push({
        severity: 'error',
        position: set.st.position,
        message: `Transaction set ${set.controlNumber} is a ${set.type}, not a 999; skipped.`,
      });
      continue;
    }
    let group: GroupAcknowledgment | null = null;
    let ack: SetAcknowledgment | null = null;
    let seg: SegmentError | null = null;
    for (const s of set.body) {
      switch (s.id) {
        case 'AK1':
          group = {
            functionalId: el(s, 1),
            groupControlNumber: el(s, 2),
            version: el(s, 3),
            status: '',
            statusText: '',
            accepted: false,
            setsIncluded: 0,
            setsReceived: 0,
            setsAccepted: 0,
            errors: [],
            sets: [],
          };
          groups.push(group);
          break;
        case 'AK2':
          seg = null;
          ack = {
            transactionType: el(s, 1),
            controlNumber: el(s, 2),
            version: el(s, 3) || group?.version || '',
            status: '',
            statusText: '',
            accepted: false,
            errors: [],
            segmentErrors: [],
          };
          if (group) group.sets.push(ack);
          else findings.push({ severity: 'error', position: s.position, message: 'AK2 before any AK1.' });
          break;
        case 'IK3':
          if (!ack) break;
          seg = {
            segmentId: el(s, 1),
            segmentPosition: el(s, 2),
            loopId: el(s, 3),
            code: el(s, 4),
            text: ik3ErrorText(el(s, 4)),
            elements: [],
            message: '',
          };
          seg.message = `Segment ${seg.segmentId} at position ${seg.segmentPosition} of transaction ${ack.controlNumber}${seg.loopId ? ` (loop ${seg.loopId})` : ''}: ${seg.text}.`;
          ack.segmentErrors.push(seg);
          break;
        case 'IK4': {
          if (!seg) break;
          const [elementPosition = '', componentPosition = ''] = el(s, 1).split(ix.delimiters.component);
          const e: ElementError = {
            elementPosition,
            componentPosition,
            elementReference: el(s, 2),
            code: el(s, 3),
            text: ik4ErrorText(el(s, 3)),
            badValue: el(s, 4),
          };
          seg.elements.push(e);
          seg.message += ` Element ${seg.segmentId}${elementPosition.padStart(2, '0')}${componentPosition ? `-${componentPosition}` : ''}: ${e.text}.`;
          break;
        }
        case 'IK5':
          if (!ack) break;
          ack.status = el(s, 1);
          ack.statusText = ackCodeText(ack.status);
          ack.accepted = accepts(ack.status);
          for (let i = 2; i <= 6; i++)
            if (el(s, i)) ack.errors.push({ code: el(s, i), text: ik5ErrorText(el(s, i)) });
          ack = null;
          seg = null;
          break;
        case 'AK9':
          if (!group) break;
          group.status = el(s, 1);
          group.statusText = ackCodeText(group.status);
          group.accepted = accepts(group.status);
          group.setsIncluded = Number(el(s, 2));
          group.setsReceived = Number(el(s, 3));
          group.setsAccepted = Number(el(s, 4));
          for (let i = 5; i <= 9; i++)
            if (el(s, i)) group.errors.push({ code: el(s, i), text: ak9ErrorText(el(s, i)) });
          if (group.setsReceived !== group.sets.length)
            findings.push({
              severity: 'warning',
              position: s.position,
              message: `AK903 says ${group.setsReceived} transaction sets were received; the 999 acknowledges ${group.sets.length}.`,
            });
          break;
        default:
          break;
      }
    }
    for (const g of groups) {
      if (!g.status)
        findings.push({
          severity: 'error',
          position: set.st.position,
          message: `Group ${g.groupControlNumber} has no AK9.`,
        });
      for (const a of g.sets)
        if (!a.status)
          findings.push({
            severity: 'error',
            position: set.st.position,
            message: `Transaction ${a.controlNumber} has no IK5.`,
          });
      if (g.version && !g.version.startsWith('005010X222'))
        findings.push({
          severity: 'warning',
          position: set.st.position,
          message: `The acknowledged group ${g.groupControlNumber} is ${g.version}, not an 837P (005010X222A1).`,
        });
    }
  }
  return { interchangeControlNumber: ix.sets[0]?.interchangeControlNumber ?? '', groups, findings };
}
