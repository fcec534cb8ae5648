import type { OutgoingMail } from './mailer';

/**
 * The words of a reminder. Nothing clinical: the clinic's name, the date and time (in the clinic's zone),
 * and links. No patient name, no clinician, no appointment type (a type can say what the visit is for).
 * In the patient's preferred language when it is Spanish, else English.
 */
export type ReminderLanguage = 'en' | 'es';

export const languageOf = (tag: unknown): ReminderLanguage =>
  typeof tag === 'string' && /^es(-|$)/i.test(tag) ? 'es' : 'en';

export function whenText(startsAt: string, timeZone: string, lang: ReminderLanguage): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(startsAt));
}

export interface ReminderLinks {
  confirm: string;
  cancel: string;
  /** E-mail only (texts stop with STOP). */
  unsubscribe?: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function reminderMail(
  to: string,
  clinicName: string,
  when: string,
  links: Required<ReminderLinks>,
  lang: ReminderLanguage,
): OutgoingMail {
  const t =
    lang === 'es'
      ? {
          subject: `${clinicName}: recordatorio de su cita`,
          intro: `Le recordamos su cita en ${clinicName} el ${when}.`,
          confirm: 'Confirmar la cita',
          cancel: 'Cancelar la cita',
          noReply: 'No responda a este correo. Si tiene preguntas, llame a la clínica.',
          stop: 'Dejar de recibir recordatorios por correo',
        }
      : {
          subject: `${clinicName}: appointment reminder`,
          intro: `This is a reminder of your appointment at ${clinicName} on ${when}.`,
          confirm: 'Confirm the appointment',
          cancel: 'Cancel the appointment',
          noReply: 'Please do not reply to this e-mail. If you have questions, call the clinic.',
          stop: 'Stop appointment reminders by e-mail',
        };
  const text = [
    t.intro,
    '',
    `${t.confirm}: ${links.confirm}`,
    `${t.cancel}: ${links.cancel}`,
    '',
    t.noReply,
    `${t.stop}: ${links.unsubscribe}`,
  ].join('\n');
  const html = `<p lang="${lang}">${escapeHtml(t.intro)}</p>
<p lang="${lang}"><a href="${escapeHtml(links.confirm)}">${escapeHtml(t.confirm)}</a> · <a href="${escapeHtml(links.cancel)}">${escapeHtml(t.cancel)}</a></p>
<p lang="${lang}">${escapeHtml(t.noReply)}</p>
<p lang="${lang}"><a href="${escapeHtml(links.unsubscribe)}">${escapeHtml(t.stop)}</a></p>`;
  return { to, subject: t.subject, text, html };
}

export function reminderSms(
  clinicName: string,
  when: string,
  links: ReminderLinks,
  lang: ReminderLanguage,
): string {
  return lang === 'es'
    ? `${clinicName}: recordatorio de su cita el ${when}. Confirmar: ${links.confirm} Cancelar: ${links.cancel} Responda STOP para no recibir más.`
    : `${clinicName}: reminder of your appointment on ${when}. Confirm: ${links.confirm} Cancel: ${links.cancel} Reply STOP to opt out.`;
}
