/**
 * Matching an 835 to our claims: each CLP to a claim by patient control number (CLP01 echoes the CLM01 we
 * sent), then each service line (SVC) to one of that claim's lines.
 *
 * Payers drop or change modifiers (OpenEMR's classic failure: a `95` or `GT` that vanished on the way back
 * left the line unposted). Lines are therefore matched in passes, strictest first, every pass over all the
 * still-unmatched lines of the claim before the next looser pass runs, so a loose match can never take a
 * line a strict match wanted:
 *   0. `line-control-number` — REF*6R echoes a line's control number we sent;
 *   1. `code-modifiers` — procedure code and the same set of modifiers (and the date, when the ERA sends one);
 *   2. `code-charge-date` — procedure code, charge and date: the modifier was dropped or changed;
 *   3. `code-charge` — procedure code and charge, date not sent or shifted;
 *   4. `charge-date` — charge and date: the payer changed the code itself and did not send SVC06;
 *   5. `charge` — the charge alone, only when exactly one of the claim's open lines has it.
 * The code compared is the one we submitted: SVC06 when the payer sent it (it did recode), else SVC01.
 * Charges are compared as magnitudes so a reversal (negated amounts) matches its original line.
 * A pass assigns a line only when one candidate is left, or when the candidates are indistinguishable
 * (same code, modifiers, charge and date — two identical visits' lines), where the first is taken.
 * Otherwise the ERA line stays unmatched with the reason, for the assisted-posting worklist.
 * Invariant (property-tested): within one CLP no claim line is assigned twice.
 */
import type { EraClaim, EraLine, Remittance } from './era835';

/** The minimal view of our claim that matching needs; the claims service maps its rows to this. */
export type ClaimForMatching = {
  claimId: string;
  patientControlNumber: string;
  lines: ClaimLineForMatching[];
};

export type ClaimLineForMatching = {
  id: string;
  procedureCode: string;
  modifiers: string[];
  chargeCents: number;
  units: number;
  /** ISO date. */
  serviceDate: string;
  /** The REF*6R line item control number we sent, when we sent one. */
  lineControlNumber?: string;
};

export type LineMatchMethod =
  'line-control-number' | 'code-modifiers' | 'code-charge-date' | 'code-charge' | 'charge-date' | 'charge';

export type LineMatch = {
  /** Index into the ERA claim's `lines`. */
  eraLineIndex: number;
  lineId: string | null;
  method: LineMatchMethod | null;
  /** Why it did not match (a sentence for the worklist), or null when matched. */
  reason: string | null;
};

export type ClaimMatch = {
  /** Index into the remittance's `claims`. */
  eraClaimIndex: number;
  claimId: string | null;
  reason: string | null;
  lines: LineMatch[];
};

export type RemittanceMatch = {
  claims: ClaimMatch[];
  /** Every CLP found its claim and every SVC its line. */
  complete: boolean;
};

const norm = (s: string) => s.trim().toUpperCase();
const modKey = (mods: readonly string[]) => [...mods].map(norm).filter(Boolean).sort().join(',');

type EraLineKey = { code: string; mods: string; charge: number; date: string | null; control: string };

function eraKey(l: EraLine): EraLineKey {
  const p = l.submittedProcedure ?? l.procedure;
  return {
    code: norm(p.code),
    mods: modKey(p.modifiers),
    charge: Math.abs(l.chargeCents),
    date: l.serviceDateFrom,
    control: norm(l.lineControlNumber),
  };
}

const PASSES: { method: LineMatchMethod; fits: (e: EraLineKey, c: ClaimLineForMatching) => boolean }[] = [
  {
    method: 'line-control-number',
    fits: (e, c) => e.control !== '' && norm(c.lineControlNumber ?? '') === e.control,
  },
  {
    method: 'code-modifiers',
    fits: (e, c) =>
      norm(c.procedureCode) === e.code &&
      modKey(c.modifiers) === e.mods &&
      (e.date === null || e.date === c.serviceDate),
  },
  {
    method: 'code-charge-date',
    fits: (e, c) =>
      norm(c.procedureCode) === e.code &&
      c.chargeCents === e.charge &&
      e.date !== null &&
      e.date === c.serviceDate,
  },
  { method: 'code-charge', fits: (e, c) => norm(c.procedureCode) === e.code && c.chargeCents === e.charge },
  {
    method: 'charge-date',
    fits: (e, c) => c.chargeCents === e.charge && e.date !== null && e.date === c.serviceDate,
  },
  { method: 'charge', fits: (e, c) => c.chargeCents === e.charge },
];

const sameLine = (a: ClaimLineForMatching, b: ClaimLineForMatching) =>
  norm(a.procedureCode) === norm(b.procedureCode) &&
  modKey(a.modifiers) === modKey(b.modifiers) &&
  a.chargeCents === b.chargeCents &&
  a.serviceDate === b.serviceDate;

/** Picks one candidate or none: prefer equal charge, then equal date; identical leftovers take the first. */
function choose(e: EraLineKey, candidates: ClaimLineForMatching[]): ClaimLineForMatching | null {
  let c = candidates;
  if (c.length > 1 && c.some((x) => x.chargeCents === e.charge))
    c = c.filter((x) => x.chargeCents === e.charge);
  if (c.length > 1 && e.date !== null && c.some((x) => x.serviceDate === e.date))
    c = c.filter((x) => x.serviceDate === e.date);
  if (c.length === 1) return c[0]!;
  if (c.length > 1 && c.every((x) => sameLine(x, c[0]!))) return c[0]!;
  return null;
}

export function matchLines(era: EraClaim, claim: ClaimForMatching): LineMatch[] {
  const result: LineMatch[] = era.lines.map((_, i) => ({
    eraLineIndex: i,
    lineId: null,
    method: null,
    reason: null,
  }));
  const keys = era.lines.map(eraKey);
  const used = new Set<string>();
  const ambiguous = new Set<number>();
  for (const pass of PASSES) {
    for (let i = 0; i < keys.length; i++) {
      if (result[i]!.lineId !== null) continue;
      const candidates = claim.lines.filter((c) => !used.has(c.id) && pass.fits(keys[i]!, c));
      if (!candidates.length) continue;
      const pick = choose(keys[i]!, candidates);
      if (!pick) {
        ambiguous.add(i);
        continue;
      }
      used.add(pick.id);
      ambiguous.delete(i);
      result[i] = { eraLineIndex: i, lineId: pick.id, method: pass.method, reason: null };
    }
  }
  for (const r of result)
    if (r.lineId === null)
      r.reason = ambiguous.has(r.eraLineIndex)
        ? 'More than one line of the claim could be this service line; choose it by hand.'
        : 'No line of the claim has this procedure code or charge.';
  return result;
}

/** Matches every CLP of a remittance to a claim and its SVC lines to the claim's lines. */
export function matchRemittance(rem: Remittance, claims: readonly ClaimForMatching[]): RemittanceMatch {
  const byPcn = new Map<string, ClaimForMatching[]>();
  for (const c of claims) {
    const k = norm(c.patientControlNumber);
    const list = byPcn.get(k);
    if (list) list.push(c);
    else byPcn.set(k, [c]);
  }
  const out: ClaimMatch[] = rem.claims.map((era, eraClaimIndex) => {
    const found = byPcn.get(norm(era.patientControlNumber)) ?? [];
    if (found.length !== 1) {
      const reason =
        found.length === 0
          ? 'No claim has this patient control number.'
          : 'More than one claim has this patient control number; choose the claim by hand.';
      return {
        eraClaimIndex,
        claimId: null,
        reason,
        lines: era.lines.map((_, i) => ({
          eraLineIndex: i,
          lineId: null,
          method: null,
          reason: 'The claim is not matched.',
        })),
      };
    }
    const claim = found[0]!;
    return { eraClaimIndex, claimId: claim.claimId, reason: null, lines: matchLines(era, claim) };
  });
  const complete = out.every((c) => c.claimId !== null && c.lines.every((l) => l.lineId !== null));
  return { claims: out, complete };
}
