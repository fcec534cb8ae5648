import type { Localised } from '../questionnaires/instruments';

/**
 * Consent documents a clinic asks patients to sign in the portal (issue 11), in English and Spanish.
 * Each is versioned: the text of a published version never changes; a change to the wording is a new entry
 * with the next version, and a signature records the exact text it was given (the id, the version, the
 * language and the text itself, with its SHA-256), so the signed PDF shows what the patient saw.
 * `{clinic}` stands for the clinic's name. Data only; the portal shows it, central records the signature,
 * the workstation prints the PDF from the recorded copy.
 */

export const consentIds = ['treatment', 'telehealth'] as const;
export type ConsentId = (typeof consentIds)[number];

export interface ConsentDocument {
  id: ConsentId;
  version: number;
  title: Localised;
  /** Paragraphs. */
  body: readonly Localised[];
}

export const consents: Record<ConsentId, ConsentDocument> = {
  treatment: {
    id: 'treatment',
    version: 1,
    title: { en: 'Consent to treatment', es: 'Consentimiento para el tratamiento' },
    body: [
      {
        en: 'I agree to receive care from {clinic} and its clinicians. This may include talking about my health, exams, tests and treatment plans.',
        es: 'Acepto recibir atención de {clinic} y de sus profesionales. Esto puede incluir hablar de mi salud, exámenes, pruebas y planes de tratamiento.',
      },
      {
        en: 'My clinician will explain the care they suggest, why, and other choices I have. I may ask questions at any time. I may say no to any treatment, or stop it, at any time.',
        es: 'Mi profesional me explicará la atención que sugiere, por qué, y otras opciones que tengo. Puedo hacer preguntas en cualquier momento. Puedo decir que no a cualquier tratamiento, o dejarlo, en cualquier momento.',
      },
      {
        en: '{clinic} keeps my health information private, as the law requires. It is shared only to care for me, to get paid for that care, or when the law requires it.',
        es: '{clinic} mantiene privada mi información de salud, como exige la ley. Solo se comparte para atenderme, para cobrar esa atención o cuando la ley lo exige.',
      },
      {
        en: 'This consent lasts until I take it back in writing.',
        es: 'Este consentimiento dura hasta que yo lo retire por escrito.',
      },
    ],
  },
  telehealth: {
    id: 'telehealth',
    version: 1,
    title: { en: 'Consent to video visits', es: 'Consentimiento para visitas por video' },
    body: [
      {
        en: 'I agree to have some visits with {clinic} by secure video instead of in person.',
        es: 'Acepto tener algunas visitas con {clinic} por video seguro en lugar de en persona.',
      },
      {
        en: 'A video visit may stop if the connection fails. If that happens, the clinic will call me. Video visits are not for emergencies: in an emergency I will call 911.',
        es: 'Una visita por video puede cortarse si falla la conexión. Si eso pasa, la clínica me llamará. Las visitas por video no son para emergencias: en una emergencia llamaré al 911.',
      },
      {
        en: 'I will join from a private place. Nobody records the visit, unless everyone agrees first.',
        es: 'Me conectaré desde un lugar privado. Nadie graba la visita, a menos que todos estén de acuerdo antes.',
      },
      {
        en: 'I may ask for an in-person visit instead at any time.',
        es: 'Puedo pedir una visita en persona en cualquier momento.',
      },
    ],
  },
};

/** The text a patient reads and signs: title, then paragraphs, with the clinic's name filled in. */
export function consentText(
  id: ConsentId,
  language: 'en' | 'es',
  clinic: string,
): { title: string; text: string } {
  const doc = consents[id];
  return {
    title: doc.title[language],
    text: doc.body.map((p) => p[language].replaceAll('{clinic}', clinic)).join('\n\n'),
  };
}
