import { DateTime } from 'luxon';
import type { PatientDocument } from '../../../contracts/billing/documents';
import { composeFamilyStatement, formatDate, type LedgerItem } from '../../../domain/billing/documents';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import {
  guarantorBillTo,
  localDateIn,
  patientAccount,
  patientOnDocument,
  patientRowForDocs,
} from './document-data';
import { getDocumentSettings, howToPayOf, letterheadOf } from './document-settings';
import { accountGuarantor } from './guarantor';
import type { PatientDocuments, StoredDocument } from './patient-documents';

/**
 * A guarantor's combined ("family") statement (docs/billing.md, "Guarantor accounts"): one document for
 * every account the guarantor answers for, made from any of those accounts on the screen, or by the
 * statement run when it bills per guarantor. It is kept in the documents of every account it covers (each
 * account's documents list shows it), and each covered patient's record is audited.
 */

/** What every statement of one printing shares: letterhead, how to pay, the dates. */
export interface StatementContext {
  head: StoredDocument['letterhead'];
  howToPay: ReturnType<typeof howToPayOf>;
  localDateOf: (iso: string) => string;
  today: string;
  dueDate: string;
  printedOn: string;
}

export function statementContext(store: Store): StatementContext {
  const settings = getDocumentSettings(store);
  const { timeZone: zone, ...head } = letterheadOf(store, settings);
  const today = DateTime.fromJSDate(store.now(), { zone }).toISODate()!;
  return {
    head,
    howToPay: howToPayOf(store, settings),
    localDateOf: localDateIn(zone),
    today,
    dueDate: DateTime.fromISO(today).plus({ days: settings.dueDays }).toISODate()!,
    printedOn: formatDate(today),
  };
}

export interface Family {
  billTo: { name: string; addressLines: string[] };
  /** The accounts, in the order the family account lists them. */
  patientIds: string[];
}

/**
 * The family a patient's guarantor answers for, when there is one: two or more accounts (see
 * `accountGuarantor`). Null for a patient who is their own guarantor or the only account of theirs.
 */
export function familyOf(store: Store, actor: Actor, patientId: string): Family | null {
  const g = accountGuarantor(store, actor, patientId, true);
  if (g.accounts.length < 2 || !g.guarantor) return null;
  // Printed in a stable order (the guarantor's own account first, then by name), whichever account asked.
  const accounts = [...g.accounts].sort(
    (a, b) =>
      Number(b.relationship === 'self') - Number(a.relationship === 'self') ||
      a.name.localeCompare(b.name) ||
      a.mrn.localeCompare(b.mrn),
  );
  // Addressed the same way whichever account asked: as the guarantor's own record has them when they are
  // a patient, else as the first account's guarantor details say.
  const first = patientRowForDocs(store, accounts[0]!.patientId);
  const billTo = !first
    ? g.billTo
    : accounts[0]!.relationship === 'self'
      ? { name: patientOnDocument(first).name, addressLines: patientOnDocument(first).addressLines }
      : guarantorBillTo(store, first);
  const name = [g.guarantor.lastName, g.guarantor.firstName].filter(Boolean).join(', ');
  return { billTo: billTo ?? { name, addressLines: [] }, patientIds: accounts.map((a) => a.patientId) };
}

/** Compose a family statement from each account's entries up to the end of `to`. */
export function composeFamilyContent(
  store: Store,
  ctx: StatementContext,
  family: Family,
  range: { from: string; to: string },
  itemsOf: (patientId: string) => LedgerItem[],
): { stored: StoredDocument; title: string; amountCents: number } {
  const accounts = family.patientIds.map((pid) => {
    const row = patientRowForDocs(store, pid);
    if (!row) throw new AppError(404, 'not_found', 'An account of this family was not found.');
    return { patient: patientOnDocument(row), entries: itemsOf(pid) };
  });
  const { document, figures } = composeFamilyStatement({
    billTo: family.billTo,
    accounts,
    from: range.from,
    to: range.to,
    statementDate: ctx.today,
    dueDate: ctx.dueDate,
    howToPay: ctx.howToPay,
    localDateOf: ctx.localDateOf,
  });
  return {
    stored: { letterhead: ctx.head, composed: document, printedOn: ctx.printedOn },
    title: `Family statement ${formatDate(range.from)} – ${formatDate(range.to)}`,
    amountCents: figures.amountDueCents,
  };
}

/** Keep one made family statement in every covered account's documents; answers the copies. */
export function keepFamilyStatement(
  files: PatientDocuments,
  family: Family,
  made: { stored: StoredDocument; title: string; amountCents: number },
  meta: { createdAt: string; createdBy: string | null; runId: string | null },
  opts: { flush?: boolean } = {},
): PatientDocument[] {
  return family.patientIds.map((pid) =>
    files.save(
      pid,
      made.stored,
      {
        kind: 'family_statement',
        title: made.title,
        amountCents: made.amountCents,
        coversPatientIds: family.patientIds,
        ...meta,
      },
      opts,
    ),
  );
}

/**
 * Make the family statement of the guarantor of `patientId` for a date range and keep it (audited as an
 * export of each covered account). Answers the copy kept in `patientId`'s documents.
 */
export function saveFamilyStatement(
  store: Store,
  files: PatientDocuments,
  actor: Actor & { userId: string },
  patientId: string,
  range: { from: string; to: string },
): PatientDocument {
  const family = familyOf(store, actor, patientId);
  if (!family)
    throw new AppError(
      409,
      'no_family_account',
      'This patient’s guarantor answers for no other account, so there is no family statement to make. Print the patient’s own statement instead.',
    );
  const ctx = statementContext(store);
  const made = composeFamilyContent(store, ctx, family, range, (pid) =>
    patientAccount(store, pid).items.filter((i) => ctx.localDateOf(i.postedAt) <= range.to),
  );
  const kept = keepFamilyStatement(files, family, made, {
    createdAt: store.nowIso(),
    createdBy: actor.userId,
    runId: null,
  });
  for (const doc of kept)
    store.audit(actor, {
      action: 'record.export',
      patientId: doc.patientId,
      detail: {
        what: 'family_statement',
        format: 'pdf',
        saved: true,
        documentId: doc.id,
        from: range.from,
        to: range.to,
        accounts: family.patientIds.length,
      },
    });
  return kept.find((d) => d.patientId === patientId) ?? kept[0]!;
}
