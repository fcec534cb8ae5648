/**
 * What an 837P batch is made of, in claims terms rather than segments: the builder (build.ts) turns this into
 * X12 5010 005010X222A1 and nothing else in the product writes 837 segments. Money is integer cents; dates
 * are YYYY-MM-DD calendar dates; diagnosis codes may be written with or without the ICD-10 dot.
 */

export interface Address {
  line1: string;
  line2?: string | null;
  city: string;
  /** Two-letter state or province code. */
  state: string;
  /** 5 or 9 digits (a 9-digit ZIP+4 is required for the billing provider). */
  postalCode: string;
}

export interface Envelope {
  /** ISA05/ISA06 and GS02: the id the clearinghouse assigned the practice (qualifier ZZ unless told). */
  senderId: string;
  senderQualifier?: string;
  /** ISA07/ISA08 and GS03: the clearinghouse's id. */
  receiverId: string;
  receiverQualifier?: string;
  /** ISA13 (1–999,999,999), unique per sender; also GS06 and ST02 are derived from the control numbers. */
  interchangeControlNumber: number;
  groupControlNumber: number;
  /** 'P' production, 'T' test (ISA15). */
  usage: 'P' | 'T';
  /** When the batch was made: date YYYY-MM-DD and time HH:MM (clinic-local, as X12 has no time zone). */
  createdDate: string;
  createdTime: string;
  /** BHT03: the batch's own reference, echoed back in the 999 and 277CA. */
  batchReference: string;
}

export interface Submitter {
  /** Loop 1000A: the practice (or billing service) sending the file. */
  name: string;
  id: string;
  contactName: string;
  contactPhone: string;
}

export interface Receiver {
  /** Loop 1000B: the clearinghouse. */
  name: string;
  id: string;
}

export interface BillingProvider {
  organizationName: string;
  npi: string;
  /** 9-digit EIN (REF*EI). */
  taxId: string;
  taxonomy: string;
  address: Address;
}

export interface PayToProvider {
  /** Loop 2010AB: only when payments go to a different address than the billing provider's. */
  address: Address;
}

export type Gender = 'M' | 'F' | 'U';

export interface Person {
  lastName: string;
  firstName: string;
  middleName?: string | null;
  dateOfBirth: string;
  gender: Gender;
  address: Address;
}

/** X12 individual relationship codes (SBR02/PAT01): self 18, spouse 01, child 19, other G8. */
export type RelationshipCode = '18' | '01' | '19' | 'G8';
/** SBR01: payer responsibility sequence. */
export type PayerResponsibility = 'P' | 'S' | 'T';

export interface Payer {
  name: string;
  /** The payer id the clearinghouse publishes for this payer (NM109 with qualifier PI). */
  payerId: string;
}

export interface Subscriber extends Person {
  memberId: string;
  groupNumber?: string | null;
  /** SBR09 claim filing indicator: CI commercial, MB Medicare B, MC Medicaid, BL Blue Cross, HM HMO, … */
  claimFilingIndicator: string;
}

/** A claim adjustment group (CAS): group code and its reasons (CARC, amount in cents, optional quantity). */
export interface Adjustment {
  /** 5010 groups are CO, OA, PI, PR (CR is 4010's; OI is kept for callers that still say it). */
  group: 'CO' | 'OA' | 'PR' | 'OI' | 'PI' | 'CR';
  reasons: { reason: string; amountCents: number; quantity?: number }[];
}

/** The primary's adjudication of one line, reported on the secondary claim (loop 2430). */
export interface LineAdjudication {
  /** The other payer's id, as in its 2330B NM109. */
  payerId: string;
  paidCents: number;
  procedureCode: string;
  modifiers: string[];
  units: number;
  adjustments: Adjustment[];
  adjudicationDate: string;
}

/** Another payer on the claim (loops 2320/2330A/2330B): for a secondary claim, the primary. */
export interface OtherCoverage {
  responsibility: PayerResponsibility;
  relationship: RelationshipCode;
  subscriber: { lastName: string; firstName: string; memberId: string };
  groupNumber?: string | null;
  claimFilingIndicator: string;
  payer: Payer;
  /** What that payer paid on the whole claim (AMT*D). */
  paidCents: number;
  /** Claim-level adjustments (when the payer adjudicated at claim level; line-level ones go on the lines). */
  adjustments: Adjustment[];
  /** What the patient still owes after that payer (AMT*EAF), when known. */
  remainingPatientLiabilityCents?: number | null;
  /** Claim-level adjudication date (DTP*573 in 2330B); lines carry their own. */
  adjudicationDate?: string | null;
}

export interface RenderingProvider {
  lastName: string;
  firstName: string;
  npi: string;
  taxonomy: string;
}

export interface ServiceLine {
  procedureCode: string;
  /** Up to 4 (SV101-3..6). */
  modifiers: string[];
  chargeCents: number;
  units: number;
  /** Written in SV105 only when it differs from the claim's place of service. */
  placeOfService: string;
  /** 1-based pointers into the claim's diagnoses (up to 4). */
  diagnosisPointers: number[];
  dateOfService: string;
  /** REF*6R: our id for the line, echoed in the 835 so remittance lines match without guessing. */
  lineControlNumber: string;
  /** The other payers' adjudication of this line (secondary claims). */
  adjudications?: LineAdjudication[];
}

/** CLM05-3: 1 original, 7 replacement of a prior claim, 8 void of a prior claim. */
export type ClaimFrequency = '1' | '7' | '8';

export interface Claim {
  /** CLM01, up to 38 characters: our claim's id, echoed in 277CA and 835 (CLP01). */
  patientControlNumber: string;
  frequency: ClaimFrequency;
  /** REF*F8: the payer's claim control number of the claim being replaced or voided. */
  payerClaimNumber?: string | null;
  placeOfService: string;
  responsibility: PayerResponsibility;
  relationship: RelationshipCode;
  subscriber: Subscriber;
  /** The patient when not the subscriber (loop 2000C/2010CA). */
  patient?: Person | null;
  payer: Payer;
  /** ICD-10-CM codes, first is the principal diagnosis (ABK), up to 12. */
  diagnoses: string[];
  renderingProvider?: RenderingProvider | null;
  otherCoverages?: OtherCoverage[];
  lines: ServiceLine[];
}

export interface Batch {
  envelope: Envelope;
  submitter: Submitter;
  receiver: Receiver;
  billingProvider: BillingProvider;
  payToProvider?: PayToProvider | null;
  claims: Claim[];
}
