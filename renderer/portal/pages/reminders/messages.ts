/**
 * The words of a reminder's link page (confirm, cancel, stop e-mails), English and Spanish; merged into
 * the portal's catalogue (../../i18n.tsx). Plain language; the page shows the clinic and the time only.
 */
export const remindersEn = {
  'rem.title.confirm': 'Confirm your appointment',
  'rem.title.cancel': 'Cancel your appointment',
  'rem.title.unsubscribe': 'Stop reminders by e-mail',
  'rem.when': 'Your appointment at {clinic}:',
  'rem.busy': 'Checking your link…',
  'rem.confirm': 'Yes, I will be there',
  'rem.cancel': 'Cancel this appointment',
  'rem.unsubscribe': 'Stop e-mail reminders',
  'rem.unsubscribeHelp':
    'You will not get appointment reminders from {clinic} by e-mail any more. The clinic can still call you.',
  'rem.cancelHelp':
    'The time becomes free for someone else. To book again, call the clinic or use the patient portal.',
  'rem.confirmBusy': 'Confirming…',
  'rem.cancelBusy': 'Cancelling…',
  'rem.unsubscribeBusy': 'Saving…',
  'rem.done.confirm': 'Thank you. Your appointment is confirmed. {clinic} will see it.',
  'rem.done.cancel': 'Your appointment is cancelled. {clinic} will see it.',
  'rem.done.unsubscribe': 'Done. You will not get appointment reminders by e-mail any more.',
  'rem.tooLate':
    'It is too late to cancel online: the clinic asks for {hours} hours’ notice. Please call the clinic.',
  'rem.closed':
    'This appointment was changed or cancelled, or it has started. Please call the clinic if you have questions.',
  'rem.noToken': 'This link is incomplete. Open the whole link from the message.',
  'rem.portal': 'Go to the patient portal',
  'rem.noReply': 'Replies to reminder messages are not read. Call the clinic with any questions.',
  'code.link_invalid':
    'This link does not work any more: it was for an appointment that has passed, or it is not complete. Call the clinic, or sign in to the patient portal, to see your appointments.',
} as const;

export const remindersEs: Record<keyof typeof remindersEn, string> = {
  'rem.title.confirm': 'Confirme su cita',
  'rem.title.cancel': 'Cancele su cita',
  'rem.title.unsubscribe': 'Dejar de recibir recordatorios por correo',
  'rem.when': 'Su cita en {clinic}:',
  'rem.busy': 'Revisando su enlace…',
  'rem.confirm': 'Sí, voy a ir',
  'rem.cancel': 'Cancelar esta cita',
  'rem.unsubscribe': 'No enviar más recordatorios por correo',
  'rem.unsubscribeHelp':
    'Ya no recibirá recordatorios de citas de {clinic} por correo. La clínica todavía puede llamarle.',
  'rem.cancelHelp':
    'La hora queda libre para otra persona. Para hacer una cita nueva, llame a la clínica o use el portal del paciente.',
  'rem.confirmBusy': 'Confirmando…',
  'rem.cancelBusy': 'Cancelando…',
  'rem.unsubscribeBusy': 'Guardando…',
  'rem.done.confirm': 'Gracias. Su cita está confirmada. {clinic} lo verá.',
  'rem.done.cancel': 'Su cita está cancelada. {clinic} lo verá.',
  'rem.done.unsubscribe': 'Listo. Ya no recibirá recordatorios de citas por correo.',
  'rem.tooLate':
    'Ya es tarde para cancelar por internet: la clínica pide {hours} horas de aviso. Llame a la clínica, por favor.',
  'rem.closed': 'Esta cita cambió, se canceló o ya empezó. Llame a la clínica si tiene preguntas.',
  'rem.noToken': 'Este enlace está incompleto. Abra el enlace completo del mensaje.',
  'rem.portal': 'Ir al portal del paciente',
  'rem.noReply': 'Nadie lee las respuestas a los recordatorios. Llame a la clínica si tiene preguntas.',
  'code.link_invalid':
    'Este enlace ya no funciona: era para una cita que ya pasó, o no está completo. Llame a la clínica, o entre al portal del paciente, para ver sus citas.',
};
