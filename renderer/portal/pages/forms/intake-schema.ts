import { z } from 'zod';
import { contactRelationships } from '../../../../server/contracts/forms';
import { normalizePhone } from '../../../../server/contracts/patients';
import type { PickedFile } from '../uploads/FilePicker';

/**
 * The intake as the page checks it before sending: the same rules as central's contract
 * (server/contracts/forms), with message keys of the portal's catalogue so each sentence shows in the
 * patient's language under its field. Central checks again and has the last word.
 */
const text = (max: number) => z.string().trim().max(max, 'f.err.tooLong');
const phone = (required: boolean) =>
  z
    .string()
    .trim()
    .refine((v) => (v ? normalizePhone(v) !== null : !required), 'f.err.phone');
const yesNo = z.enum(['yes', 'no'], { message: 'f.err.yesNo' });

export const intakeFormSchema = z.object({
  demographics: z.object({
    firstNameToUse: text(100),
    addressLine1: text(200),
    addressLine2: text(200),
    city: text(100),
    state: text(50).refine((v) => !v || /^[A-Za-z]{2}$/.test(v), 'f.err.state'),
    postalCode: text(20),
    phoneMobile: phone(false),
    phoneHome: phone(false),
    email: text(254).refine((v) => !v || z.email().safeParse(v).success, 'f.err.email'),
  }),
  emergencyContact: z.object({
    name: z.string().trim().min(2, 'f.err.contactName').max(120, 'f.err.tooLong'),
    relationship: z.enum(contactRelationships, { message: 'f.err.relationship' }),
    phone: phone(true),
  }),
  history: z
    .object({
      reason: z.string().trim().min(3, 'f.err.reason').max(2000, 'f.err.tooLong'),
      takesMedicines: yesNo,
      medicines: text(2000),
      hasAllergies: yesNo,
      allergies: text(2000),
      priorCounseling: yesNo,
      otherHistory: text(4000),
    })
    .superRefine((v, ctx) => {
      if (v.takesMedicines === 'yes' && !v.medicines)
        ctx.addIssue({ code: 'custom', path: ['medicines'], message: 'f.err.medicines' });
      if (v.hasAllergies === 'yes' && !v.allergies)
        ctx.addIssue({ code: 'custom', path: ['allergies'], message: 'f.err.allergies' });
    }),
  /** Photos of the insurance card, read in the page (FilePicker); either side may be left out. */
  insuranceCard: z.object({
    front: z.custom<PickedFile | null>(),
    back: z.custom<PickedFile | null>(),
  }),
});
export type IntakeFormValues = z.input<typeof intakeFormSchema>;
