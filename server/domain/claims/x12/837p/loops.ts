import { el, type Segment } from '../segments';

/**
 * Which 837P loop each segment belongs to (005010X222A1). X12 has no loop markers; a loop is known from the
 * segment that opens it (HL with its level code, NM1 with its entity code, CLM, SBR after a claim, LX, SVD)
 * and from where the reader already is. The validator, `tessera x12 describe` and error messages all use this
 * one assignment, so an error says "loop 2010AA" the way the implementation guide does.
 */

export interface LocatedSegment {
  segment: Segment;
  loop: string;
}

/** Segments each loop may contain (besides the segment that opens it). */
export const LOOP_SEGMENTS: Record<string, readonly string[]> = {
  ISA: ['ISA'],
  GS: ['GS'],
  HEADER: ['ST', 'BHT'],
  '1000A': ['NM1', 'PER'],
  '1000B': ['NM1'],
  '2000A': ['HL', 'PRV', 'CUR'],
  '2010AA': ['NM1', 'N3', 'N4', 'REF', 'PER'],
  '2010AB': ['NM1', 'N3', 'N4'],
  '2010AC': ['NM1', 'N3', 'N4', 'REF'],
  '2000B': ['HL', 'SBR', 'PAT'],
  '2010BA': ['NM1', 'N3', 'N4', 'DMG', 'REF'],
  '2010BB': ['NM1', 'N3', 'N4', 'REF'],
  '2000C': ['HL', 'PAT'],
  '2010CA': ['NM1', 'N3', 'N4', 'DMG', 'REF'],
  '2300': ['CLM', 'DTP', 'PWK', 'CN1', 'AMT', 'REF', 'K3', 'NTE', 'CR1', 'CR2', 'CRC', 'HI', 'HCP'],
  '2310A': ['NM1', 'REF'],
  '2310B': ['NM1', 'PRV', 'REF'],
  '2310C': ['NM1', 'N3', 'N4', 'REF', 'PER'],
  '2310D': ['NM1', 'REF'],
  '2310E': ['NM1', 'N3', 'N4'],
  '2310F': ['NM1', 'N3', 'N4'],
  '2320': ['SBR', 'CAS', 'AMT', 'OI', 'MOA'],
  '2330A': ['NM1', 'N3', 'N4', 'REF'],
  '2330B': ['NM1', 'N3', 'N4', 'DTP', 'REF'],
  '2330C': ['NM1', 'REF'],
  '2330D': ['NM1', 'REF'],
  '2330E': ['NM1', 'REF'],
  '2330F': ['NM1', 'REF'],
  '2330G': ['NM1', 'REF'],
  '2400': [
    'LX', 'SV1', 'SV5', 'PWK', 'CR1', 'CR3', 'CRC', 'DTP', 'QTY', 'MEA', 'CN1', 'REF', 'AMT', 'K3', 'NTE', 'PS1', 'HCP',
  ],
  '2410': ['LIN', 'CTP', 'REF'],
  '2420A': ['NM1', 'PRV', 'REF'],
  '2420B': ['NM1', 'REF'],
  '2420C': ['NM1', 'N3', 'N4', 'REF'],
  '2420D': ['NM1', 'REF'],
  '2420E': ['NM1', 'N3', 'N4', 'REF', 'PER'],
  '2420F': ['NM1', 'REF'],
  '2420G': ['NM1', 'N3', 'N4'],
  '2420H': ['NM1', 'N3', 'N4'],
  '2430': ['SVD', 'CAS', 'DTP', 'AMT'],
  '2440': ['LQ', 'FRM'],
  TRAILER: ['SE'],
  GE: ['GE'],
  IEA: ['IEA'],
};

const CLAIM_PROVIDERS: Record<string, string> = { DN: '2310A', P3: '2310A', '82': '2310B', '77': '2310C', DQ: '2310D', PW: '2310E', '45': '2310F' };
const OTHER_PAYER_PARTIES: Record<string, string> = { IL: '2330A', PR: '2330B', DN: '2330C', P3: '2330C', '82': '2330D', '77': '2330E', DQ: '2330F', '85': '2330G' };
const LINE_PARTIES: Record<string, string> = { '82': '2420A', QB: '2420B', '77': '2420C', DQ: '2420D', DK: '2420E', DN: '2420F', P3: '2420F', PW: '2420G', '45': '2420H' };
const HL_LEVELS: Record<string, string> = { '20': '2000A', '22': '2000B', '23': '2000C' };

/** Assigns each segment its loop. Unknown placements get the loop the reader was in, for the validator to flag. */
export function locateLoops(segments: readonly Segment[]): LocatedSegment[] {
  let loop = 'ISA';
  // Where in the claim hierarchy we are, which decides what an NM1 or SBR opens.
  let level: 'header' | 'provider' | 'subscriber' | 'patient' | 'claim' | 'other' | 'line' = 'header';
  const out: LocatedSegment[] = [];
  for (const s of segments) {
    switch (s.id) {
      case 'ISA':
        loop = 'ISA';
        level = 'header';
        break;
      case 'GS':
        loop = 'GS';
        break;
      case 'ST':
        loop = 'HEADER';
        level = 'header';
        break;
      case 'SE':
        loop = 'TRAILER';
        break;
      case 'GE':
        loop = 'GE';
        break;
      case 'IEA':
        loop = 'IEA';
        break;
      case 'HL': {
        loop = HL_LEVELS[el(s, 3)] ?? `HL(${el(s, 3) || '?'})`;
        level = loop === '2000A' ? 'provider' : loop === '2000B' ? 'subscriber' : 'patient';
        break;
      }
      case 'CLM':
        loop = '2300';
        level = 'claim';
        break;
      case 'SBR':
        if (level === 'claim' || level === 'other') {
          loop = '2320';
          level = 'other';
        }
        break;
      case 'LX':
        loop = '2400';
        level = 'line';
        break;
      case 'LIN':
        if (level === 'line') loop = '2410';
        break;
      case 'SVD':
        if (level === 'line') loop = '2430';
        break;
      case 'LQ':
        if (level === 'line') loop = '2440';
        break;
      case 'NM1': {
        const entity = el(s, 1);
        const opened = nm1Loop(entity, level);
        if (opened) loop = opened;
        break;
      }
    }
    out.push({ segment: s, loop });
  }
  return out;
}

function nm1Loop(entity: string, level: string): string | null {
  if (entity === '41') return '1000A';
  if (entity === '40') return '1000B';
  switch (level) {
    case 'provider':
      return entity === '85' ? '2010AA' : entity === '87' ? '2010AB' : entity === 'PE' ? '2010AC' : null;
    case 'subscriber':
      return entity === 'IL' ? '2010BA' : entity === 'PR' ? '2010BB' : null;
    case 'patient':
      return entity === 'QC' ? '2010CA' : null;
    case 'claim':
      return CLAIM_PROVIDERS[entity] ?? null;
    case 'other':
      return OTHER_PAYER_PARTIES[entity] ?? null;
    case 'line':
      return LINE_PARTIES[entity] ?? null;
    default:
      return null;
  }
}
