/**
 * Short readable texts for the X12 codes the inbound parsers meet, so a biller reads "Deductible amount"
 * rather than `PR-1`.
 *
 * Provenance: the code values are those of the public code lists maintained by X12 — Claim Adjustment
 * Reason Codes (CARC) and Remittance Advice Remark Codes (RARC) published at x12.org/codes, Claim Status
 * Category Codes and Claim Status Codes (same site), and the code values listed in the 5010 implementation
 * guides for CLP02, CAS01, PLB03, 999 IK3/IK4/IK5/AK9, 271 EB01/EB06 and AAA03. The texts are ours: short
 * paraphrases written for this table, not copies of the official descriptions. Codes not in the table read
 * as "(code not in Tessera's table)" so a new payer code never breaks a file; the full official text is on
 * x12.org.
 */

const UNKNOWN = '(code not in Tessera’s table)';

function lookup(table: Record<string, string>, code: string): string {
  return table[code] ?? UNKNOWN;
}

/** CLP02 claim status. */
export const CLAIM_STATUS: Record<string, string> = {
  '1': 'Processed as primary',
  '2': 'Processed as secondary',
  '3': 'Processed as tertiary',
  '4': 'Denied',
  '19': 'Processed as primary, forwarded to another payer',
  '20': 'Processed as secondary, forwarded to another payer',
  '21': 'Processed as tertiary, forwarded to another payer',
  '22': 'Reversal of a previous payment',
  '23': 'Not our claim, forwarded to another payer',
  '25': 'Predetermination pricing only, no payment',
};
export const claimStatusText = (c: string) => lookup(CLAIM_STATUS, c);

/** CAS01 claim adjustment group. `CR` exists only in 4010 and is reported as such by the 835 parser. */
export const ADJUSTMENT_GROUP: Record<string, string> = {
  CO: 'Contractual obligation (provider writes off)',
  OA: 'Other adjustment',
  PI: 'Payer-initiated reduction',
  PR: 'Patient responsibility',
  CR: 'Correction or reversal (4010 only)',
};
export const adjustmentGroupText = (c: string) => lookup(ADJUSTMENT_GROUP, c);

/** Claim Adjustment Reason Codes (CARC) that practices meet most, plus every one in our sample files. */
export const CARC: Record<string, string> = {
  '1': 'Deductible amount',
  '2': 'Coinsurance amount',
  '3': 'Co-payment amount',
  '4': 'Procedure code inconsistent with the modifier, or a required modifier is missing',
  '5': 'Procedure code or bill type inconsistent with the place of service',
  '6': 'Procedure or revenue code inconsistent with the patient’s age',
  '11': 'Diagnosis inconsistent with the procedure',
  '16': 'Claim or service lacks information or has submission or billing errors',
  '18': 'Exact duplicate claim or service',
  '22': 'May be covered by another payer (coordination of benefits)',
  '23': 'Impact of prior payer(s) adjudication, including payments and adjustments',
  '26': 'Expenses incurred before coverage began',
  '27': 'Expenses incurred after coverage ended',
  '29': 'Time limit for filing has expired',
  '31': 'Patient cannot be identified as our insured',
  '42': 'Charges exceed the fee schedule or maximum allowable amount',
  '45': 'Charge exceeds the fee schedule, maximum allowable or contracted fee arrangement',
  '50': 'Not deemed a medical necessity by the payer',
  '59': 'Processed under multiple or concurrent procedure rules',
  '96': 'Non-covered charge(s)',
  '97': 'Benefit for this service is included in the payment for another service',
  '109': 'Claim or service not covered by this payer; send to the correct payer',
  '119': 'Benefit maximum for this period or occurrence has been reached',
  '197': 'Precertification, authorization or notification absent',
  '204': 'Service not covered under the patient’s current benefit plan',
  '242': 'Services not provided by network or primary care providers',
  '251': 'Attachment or other documentation required to adjudicate was missing or inadequate',
  '253': 'Sequestration — reduction of federal payment',
  A2: 'Contractual adjustment',
  A7: 'Presumptive payment adjustment',
};
export const carcText = (c: string) => lookup(CARC, c);

/** Remittance Advice Remark Codes (RARC) in our samples and common for professional claims. */
export const RARC: Record<string, string> = {
  MA01: 'Appeal rights: you may appeal this decision in writing within the stated time',
  MA02: 'Appeal rights notice for this determination',
  MA04: 'Secondary payment cannot be considered without the primary payer’s information',
  MA130: 'Claim has unprocessable information; submit a new claim with the complete information',
  M15: 'Separately billed services or tests have been bundled',
  M20: 'Missing or invalid HCPCS code',
  M51: 'Missing or invalid procedure code(s)',
  N4: 'Missing or incomplete prior insurance carrier’s EOB',
  N14: 'Payment based on a contractual amount or agreement, fee schedule or maximum allowable amount',
  N130: 'Consult plan benefit documents for information about restrictions for this service',
  N206: 'The supporting documentation does not match the information on the claim',
  N290: 'Missing or invalid rendering provider primary identifier',
};
export const rarcText = (c: string) => lookup(RARC, c);

/** PLB03-1 provider-level adjustment reasons. */
export const PLB_REASON: Record<string, string> = {
  '50': 'Late charge',
  '51': 'Interest penalty charge',
  '72': 'Authorized return (refund to the payer)',
  '90': 'Early payment allowance',
  AP: 'Acceleration of benefits',
  B2: 'Rebate',
  B3: 'Recovery allowance',
  BD: 'Bad debt adjustment',
  BN: 'Bonus',
  C5: 'Temporary allowance',
  CR: 'Capitation interest',
  CS: 'Adjustment',
  CT: 'Capitation payment',
  CV: 'Capital pass-through',
  FB: 'Forward balance',
  FC: 'Fund allocation',
  GO: 'Graduate medical education pass-through',
  IP: 'Incentive premium payment',
  IR: 'Internal Revenue Service withholding',
  IS: 'Interim settlement',
  J1: 'Non-reimbursable',
  L3: 'Penalty',
  L6: 'Interest owed',
  LE: 'Levy',
  LS: 'Lump sum',
  OA: 'Organ acquisition pass-through',
  OB: 'Offset for affiliated providers',
  PI: 'Periodic interim payment',
  PL: 'Payment final',
  RA: 'Retro-activity adjustment',
  RE: 'Return on equity',
  SL: 'Student loan repayment',
  TL: 'Third-party liability',
  WO: 'Overpayment recovery (recoupment)',
  WU: 'Unspecified recovery',
};
export const plbReasonText = (c: string) => lookup(PLB_REASON, c);

/** 277 Claim Status Category Codes (STC01-1). */
export const STATUS_CATEGORY: Record<string, string> = {
  A0: 'Acknowledgement: forwarded to another entity',
  A1: 'Acknowledgement: receipt',
  A2: 'Acknowledgement: accepted into the adjudication system',
  A3: 'Acknowledgement: returned as unprocessable',
  A4: 'Acknowledgement: not found',
  A5: 'Acknowledgement: split claim',
  A6: 'Acknowledgement: rejected for missing information',
  A7: 'Acknowledgement: rejected for invalid information',
  A8: 'Acknowledgement: rejected for relational field in error',
  E0: 'Response not possible: error in the submitted request',
  E1: 'Response not possible: system status',
  F0: 'Finalized',
  F1: 'Finalized: payment',
  F2: 'Finalized: denial',
  P0: 'Pending: adjudication details',
  P1: 'Pending: in process',
  R0: 'Requests for additional information: general',
};
export const statusCategoryText = (c: string) => lookup(STATUS_CATEGORY, c);

/** 277 Claim Status Codes (STC01-2) common on professional acknowledgements. */
export const STATUS_CODE: Record<string, string> = {
  '0': 'Cannot provide further status electronically',
  '3': 'Claim has been adjudicated and is awaiting payment',
  '19': 'Entity acknowledges receipt of the claim',
  '20': 'Accepted for processing',
  '21': 'Missing or invalid information',
  '33': 'Subscriber and subscriber id not found',
  '35': 'Claim or encounter not found',
  '97': 'Patient eligibility not found with the entity',
  '145': 'Entity’s name',
  '164': 'Entity’s contract or member number',
  '187': 'Date(s) of service',
  '247': 'Line information',
  '454': 'Procedure code for services rendered',
  '455': 'Procedure code modifier(s)',
  '460': 'Diagnosis code',
  '562': 'Entity’s National Provider Identifier (NPI)',
};
export const statusCodeText = (c: string) => lookup(STATUS_CODE, c);

/** Entity identifier codes used in STC01-3 and NM1-01. */
export const ENTITY: Record<string, string> = {
  '40': 'Receiver',
  '41': 'Submitter',
  '77': 'Service location',
  '82': 'Rendering provider',
  '85': 'Billing provider',
  '87': 'Pay-to provider',
  DN: 'Referring provider',
  IL: 'Subscriber',
  PR: 'Payer',
  QC: 'Patient',
};
export const entityText = (c: string) => lookup(ENTITY, c);

/** 999 IK304 segment syntax error codes. */
export const IK3_ERROR: Record<string, string> = {
  '1': 'Unrecognized segment id',
  '2': 'Unexpected segment',
  '3': 'Required segment missing',
  '4': 'Loop occurs over maximum times',
  '5': 'Segment exceeds maximum use',
  '6': 'Segment not in defined transaction set',
  '7': 'Segment not in proper sequence',
  '8': 'Segment has data element errors',
  I4: 'Implementation “not used” segment present',
  I6: 'Implementation dependent segment missing',
  I7: 'Implementation loop occurs under minimum times',
  I8: 'Implementation segment below minimum use',
  I9: 'Implementation dependent “not used” segment present',
};
export const ik3ErrorText = (c: string) => lookup(IK3_ERROR, c);

/** 999 IK403 element syntax error codes. */
export const IK4_ERROR: Record<string, string> = {
  '1': 'Required data element missing',
  '2': 'Conditional required data element missing',
  '3': 'Too many data elements',
  '4': 'Data element too short',
  '5': 'Data element too long',
  '6': 'Invalid character in data element',
  '7': 'Invalid code value',
  '8': 'Invalid date',
  '9': 'Invalid time',
  '10': 'Exclusion condition violated',
  '12': 'Too many repetitions',
  '13': 'Too many components',
  I10: 'Implementation “not used” data element present',
  I11: 'Implementation too few repetitions',
  I12: 'Implementation pattern match failure',
  I13: 'Implementation dependent “not used” data element present',
  I6: 'Code value not used in implementation',
  I9: 'Implementation dependent data element missing',
};
export const ik4ErrorText = (c: string) => lookup(IK4_ERROR, c);

/** 999 IK501 / AK901 acknowledgement codes. */
export const ACK_CODE: Record<string, string> = {
  A: 'Accepted',
  E: 'Accepted, but errors were noted',
  M: 'Rejected, message authentication code failed',
  P: 'Partially accepted: at least one transaction set was rejected',
  R: 'Rejected',
  W: 'Rejected, assurance failed validity tests',
  X: 'Rejected, content after decryption could not be analysed',
};
export const ackCodeText = (c: string) => lookup(ACK_CODE, c);

/** 999 IK502–IK506 transaction set syntax error codes. */
export const IK5_ERROR: Record<string, string> = {
  '1': 'Transaction set not supported',
  '2': 'Transaction set trailer missing',
  '3': 'Transaction set control number in header and trailer do not match',
  '4': 'Number of included segments does not match the actual count',
  '5': 'One or more segments in error',
  '6': 'Missing or invalid transaction set identifier',
  '7': 'Missing or invalid transaction set control number',
  '23': 'Transaction set control number not unique within the functional group',
  I5: 'Implementation: one or more segments in error',
  I6: 'Implementation convention not supported',
};
export const ik5ErrorText = (c: string) => lookup(IK5_ERROR, c);

/** 999 AK905–AK909 functional group syntax error codes. */
export const AK9_ERROR: Record<string, string> = {
  '1': 'Functional group not supported',
  '2': 'Functional group version not supported',
  '3': 'Functional group trailer missing',
  '4': 'Group control number in header and trailer do not match',
  '5': 'Number of included transaction sets does not match the actual count',
  '6': 'Group control number violates syntax',
  '19': 'Functional group control number not unique within the interchange',
};
export const ak9ErrorText = (c: string) => lookup(AK9_ERROR, c);

/** 271 EB01 eligibility or benefit information. */
export const BENEFIT_INFO: Record<string, string> = {
  '1': 'Active coverage',
  '2': 'Active: full risk capitation',
  '3': 'Active: services capitated',
  '5': 'Active: pending investigation',
  '6': 'Inactive',
  '7': 'Inactive: pending eligibility update',
  '8': 'Inactive: pending investigation',
  A: 'Co-insurance',
  B: 'Co-payment',
  C: 'Deductible',
  G: 'Out-of-pocket (stop loss)',
  I: 'Non-covered',
  L: 'Primary care provider',
  R: 'Other or additional payer',
  U: 'Contact the following entity for eligibility',
  V: 'Cannot process',
};
export const benefitInfoText = (c: string) => lookup(BENEFIT_INFO, c);

/** 271 EB03 service type codes a therapy or primary-care practice asks about. */
export const SERVICE_TYPE: Record<string, string> = {
  '1': 'Medical care',
  '30': 'Health benefit plan coverage',
  '33': 'Chiropractic',
  '35': 'Dental care',
  '47': 'Hospital',
  '48': 'Hospital inpatient',
  '50': 'Hospital outpatient',
  '86': 'Emergency services',
  '88': 'Pharmacy',
  '98': 'Professional (physician) visit, office',
  A4: 'Psychiatric',
  A6: 'Psychotherapy',
  AL: 'Vision (optometry)',
  MH: 'Mental health',
  UC: 'Urgent care',
};
export const serviceTypeText = (c: string) => lookup(SERVICE_TYPE, c);

/** 271 EB06 time period qualifiers. */
export const TIME_PERIOD: Record<string, string> = {
  '6': 'Hour',
  '7': 'Day',
  '21': 'Years',
  '22': 'Service year',
  '23': 'Calendar year',
  '24': 'Year to date',
  '25': 'Contract',
  '26': 'Episode',
  '27': 'Visit',
  '29': 'Remaining',
  '32': 'Lifetime',
  '33': 'Lifetime remaining',
  '34': 'Month',
  '35': 'Week',
};
export const timePeriodText = (c: string) => lookup(TIME_PERIOD, c);

/** 271 AAA03 request validation reject reasons. */
export const REJECT_REASON: Record<string, string> = {
  '15': 'Required application data missing',
  '41': 'Authorization or access restrictions',
  '42': 'Unable to respond at the current time',
  '43': 'Invalid or missing provider identification',
  '44': 'Invalid or missing provider name',
  '51': 'Provider not on file',
  '52': 'Service dates not within the provider’s plan enrollment',
  '56': 'Inappropriate date',
  '57': 'Invalid or missing date(s) of service',
  '58': 'Invalid or missing date of birth',
  '62': 'Date of service not within the allowable inquiry period',
  '63': 'Date of service in the future',
  '64': 'Invalid or missing patient id',
  '65': 'Invalid or missing patient name',
  '67': 'Patient not found',
  '71': 'Date of birth does not match the payer’s record',
  '72': 'Invalid or missing subscriber or member id',
  '73': 'Invalid or missing subscriber name',
  '75': 'Subscriber not found',
  '76': 'Duplicate subscriber id',
  '78': 'Subscriber not in the group or plan identified',
  '79': 'Invalid participant identification',
  T4: 'Payer name or identifier missing',
};
export const rejectReasonText = (c: string) => lookup(REJECT_REASON, c);
