import type { Letterhead } from './model';
import { formatCents, formatDate, type ComposedDocument } from './model';
import type { PatientOnDocument } from './statement';
import type { ProviderOnDocument } from './superbill';

/**
 * A good-faith estimate for an uninsured or self-pay patient under the No Surprises Act (PHS Act §2799B-6,
 * 45 CFR 149.610). The estimate must reach the patient in writing:
 * - within 1 business day of scheduling, when the service is scheduled at least 3 business days ahead;
 * - within 3 business days of scheduling, when it is scheduled at least 10 business days ahead;
 * - within 3 business days of a request (a question about cost counts as a request).
 * It lists the expected items and services with their service codes and expected charges, the diagnosis
 * codes when known, the providers with NPI and TIN and where the care happens, items that need separate
 * scheduling, and the disclaimers (estimate only; not a contract; the right to dispute a bill $400 or
 * more above the estimate within 120 calendar days of the bill). The provider keeps a copy for 6 years.
 */

/** Monday to Friday; federal holidays are not excluded (an earlier deadline is never late). */
export function isBusinessDay(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d !== 0 && d !== 6;
}

export function addBusinessDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isBusinessDay(d.toISOString().slice(0, 10))) left--;
  }
  return d.toISOString().slice(0, 10);
}

/** Business days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function businessDaysBetween(from: string, to: string): number {
  let n = 0;
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (d < end) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isBusinessDay(d.toISOString().slice(0, 10))) n++;
  }
  return n;
}

export type GfeTrigger =
  | { kind: 'scheduled'; scheduledOn: string; serviceDate: string }
  | { kind: 'requested'; requestedOn: string };

export interface GfeDeadline {
  /** The last day the estimate may reach the patient, or null when the rule sets none (scheduled < 3 business days ahead). */
  dueBy: string | null;
  rule: string;
}

export function gfeDeadline(trigger: GfeTrigger): GfeDeadline {
  if (trigger.kind === 'requested') {
    return {
      dueBy: addBusinessDays(trigger.requestedOn, 3),
      rule: 'Requested: provide within 3 business days of the request.',
    };
  }
  const ahead = businessDaysBetween(trigger.scheduledOn, trigger.serviceDate);
  if (ahead >= 10) {
    return {
      dueBy: addBusinessDays(trigger.scheduledOn, 3),
      rule: 'Scheduled at least 10 business days ahead: provide within 3 business days of scheduling.',
    };
  }
  if (ahead >= 3) {
    return {
      dueBy: addBusinessDays(trigger.scheduledOn, 1),
      rule: 'Scheduled at least 3 business days ahead: provide within 1 business day of scheduling.',
    };
  }
  return {
    dueBy: null,
    rule: 'Scheduled fewer than 3 business days ahead: no estimate is required by the rule; give one if the patient asks.',
  };
}

export interface GfeItem {
  code: string;
  description: string;
  units: number;
  unitFeeCents: number;
  /** Expected number of visits of this kind in the estimate's period (e.g. 12 weekly sessions). */
  quantity: number;
}

export interface GfeInput {
  clinic: Letterhead;
  patient: PatientOnDocument & { contact: string };
  provider: ProviderOnDocument & { taxId: string; location: string };
  primaryService: string;
  trigger: GfeTrigger;
  issuedDate: string;
  /** The expected date of service, when scheduled. */
  serviceDate: string | null;
  items: GfeItem[];
  diagnoses: { code: string; description: string }[];
  /** Items or services reasonably expected that must be scheduled separately (with their own estimates). */
  separatelyScheduled: string[];
}

export const DISPUTE_THRESHOLD_CENTS = 40_000;

export function composeGoodFaithEstimate(input: GfeInput): {
  document: ComposedDocument;
  figures: { totalCents: number; deadline: GfeDeadline; disputeThresholdCents: number };
} {
  const lineTotal = (i: GfeItem) => i.unitFeeCents * i.units * i.quantity;
  const totalCents = input.items.reduce((s, i) => s + lineTotal(i), 0);
  const deadline = gfeDeadline(input.trigger);
  const p = input.provider;
  const document: ComposedDocument = {
    kind: 'good_faith_estimate',
    title: 'Good Faith Estimate for Health Care Items and Services',
    header: [
      ['Patient', input.patient.name],
      ['Date of birth', formatDate(input.patient.dateOfBirth)],
      ['Contact', input.patient.contact || 'Not on file'],
      ['Estimate date', formatDate(input.issuedDate)],
      ...(input.serviceDate
        ? ([['Expected date of service', formatDate(input.serviceDate)]] as [string, string][])
        : []),
    ],
    sections: [
      {
        blocks: [
          {
            kind: 'callout',
            label: 'Total estimated cost',
            value: formatCents(totalCents),
            note: `For: ${input.primaryService}`,
          },
        ],
      },
      {
        heading: 'Provider',
        blocks: [
          {
            kind: 'facts',
            facts: [
              ['Provider', `${p.name}${p.credentials ? `, ${p.credentials}` : ''}`],
              ['NPI', p.npi || 'Not on file'],
              ['TIN', p.taxId || 'Not on file'],
              ['Where the care is given', p.location || input.clinic.addressLines.join(', ')],
            ],
          },
        ],
      },
      {
        heading: 'Expected items and services',
        blocks: [
          {
            kind: 'table',
            table: {
              columns: [
                { header: 'Service code', weight: 1 },
                { header: 'Description', weight: 3.4 },
                { header: 'Units', weight: 0.6, align: 'right' },
                { header: 'Visits', weight: 0.6, align: 'right' },
                { header: 'Charge each', weight: 1.1, align: 'right' },
                { header: 'Expected total', weight: 1.2, align: 'right' },
              ],
              rows: input.items.map((i) => [
                i.code,
                i.description,
                String(i.units),
                String(i.quantity),
                formatCents(i.unitFeeCents * i.units),
                formatCents(lineTotal(i)),
              ]),
              totals: [['', 'Total estimated cost', '', '', '', formatCents(totalCents)]],
              empty: 'No items or services listed.',
            },
          },
          ...(input.diagnoses.length
            ? [
                {
                  kind: 'facts' as const,
                  facts: [
                    ['Diagnosis codes', input.diagnoses.map((d) => `${d.code} ${d.description}`).join('; ')],
                  ] as [string, string][],
                },
              ]
            : []),
          ...(input.separatelyScheduled.length
            ? [
                {
                  kind: 'paragraphs' as const,
                  paragraphs: [
                    `These items or services are expected but must be scheduled separately; you will receive a separate Good Faith Estimate for them: ${input.separatelyScheduled.join('; ')}.`,
                  ],
                },
              ]
            : []),
        ],
      },
      {
        heading: 'Disclaimer',
        blocks: [
          {
            kind: 'paragraphs',
            paragraphs: [
              'This Good Faith Estimate shows the costs of items and services that are reasonably expected for your health care needs for an item or service. The estimate is based on information known at the time the estimate was created.',
              'The Good Faith Estimate does not include any unknown or unexpected costs that may arise during treatment. You could be charged more if complications or special circumstances occur. There may be other items or services we recommend that are not included here; they would be scheduled separately.',
              `If you are billed for more than this Good Faith Estimate, you have the right to dispute the bill. If your bill is ${formatCents(DISPUTE_THRESHOLD_CENTS)} or more above this estimate for this provider, federal law allows you to dispute the bill.`,
              'You may contact the provider listed to let them know the billed charges are higher than the Good Faith Estimate. You can ask them to update the bill to match the Good Faith Estimate, ask to negotiate the bill, or ask if there is financial assistance available.',
              'You may also start a dispute resolution process with the U.S. Department of Health and Human Services (HHS). If you choose to use the dispute resolution process, you must start the dispute process within 120 calendar days (about 4 months) of the date on the original bill. There is a $25 fee to use the dispute process. If the agency reviewing your dispute agrees with you, you will have to pay the price on this Good Faith Estimate. If the agency disagrees with you and agrees with the provider, you will have to pay the higher amount.',
              'To learn more and get a form to start the dispute process, go to www.cms.gov/nosurprises or call 1-800-985-3059.',
              'The Good Faith Estimate is not a contract and does not require you to obtain the items or services from any of the providers listed. Keep a copy or picture of this Good Faith Estimate.',
            ],
          },
        ],
      },
      {
        heading: 'When this estimate is due',
        blocks: [
          {
            kind: 'facts',
            facts: [
              ['Rule', deadline.rule],
              [
                'Give to the patient by',
                deadline.dueBy ? formatDate(deadline.dueBy) : 'No deadline under the rule',
              ],
            ],
          },
        ],
      },
    ],
    footerNote: 'Good Faith Estimate',
  };
  return { document, figures: { totalCents, deadline, disputeThresholdCents: DISPUTE_THRESHOLD_CENTS } };
}
