import { billingEn, billingEs } from './pages/billing/messages';
import { signinEn, signinEs } from './signin/messages';
import { formsEn, formsEs } from './pages/forms/messages';
import { requestsEn, requestsEs } from './pages/appointments/messages';
import { bookingEn, bookingEs } from './pages/booking/messages';
import { remindersEn, remindersEs } from './pages/reminders/messages';
import { uploadsEn, uploadsEs } from './pages/uploads/messages';
import { trackingEn, trackingEs } from './pages/tracking/messages';
import { attachEn, attachEs } from './pages/messages/messages';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/**
 * The portal's small message catalogue, English and Spanish, in plain language. The language follows the
 * browser until the patient picks one (kept in this browser only). Central's refusals are shown by their
 * code when the catalogue has a sentence for it; otherwise central's own (English) sentence.
 */
export type Lang = 'en' | 'es';

const enBase = {
  'app.title': 'Patient portal',
  'lang.switch': 'Español',
  'lang.switchLabel': 'Ver en español',
  'nav.appointments': 'Appointments',
  'nav.activity': 'Account activity',
  'nav.signOut': 'Sign out',
  'nav.main': 'Portal',
  'login.title': 'Sign in',
  'login.email': 'E-mail',
  'login.password': 'Password',
  'login.code': 'Code from your authenticator app',
  'login.codeHint': '6 digits. It changes every 30 seconds.',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'login.noSession': 'For your privacy, you were signed out. Please sign in again.',
  'login.idle': 'You were signed out because the page was not used for a while.',
  'login.signedOut': 'You are signed out.',
  'login.help':
    'No account yet? Your clinic sends you an invitation by e-mail. Lost your authenticator? Call your clinic.',
  'setup.title': 'Set up your portal account',
  'setup.intro': '{clinic} invited you. This takes two steps.',
  'setup.proxyIntro': '{clinic} invited you to help manage a family member’s care. This takes two steps.',
  'setup.step1': 'Step 1: choose a password',
  'setup.password': 'New password',
  'setup.passwordHint': 'At least 12 characters. A short sentence is easy to remember.',
  'setup.confirm': 'Type the password again',
  'setup.step2': 'Step 2: add an authenticator app',
  'setup.step2Help':
    'Open an authenticator app (such as Google Authenticator or Microsoft Authenticator), scan this picture, or type the key by hand.',
  'setup.qrAlt': 'QR code to scan with your authenticator app',
  'setup.key': 'Key',
  'setup.code': 'Code the app shows now',
  'setup.submit': 'Finish set-up',
  'setup.busy': 'Setting up…',
  'setup.loading': 'Checking your link…',
  'setup.noToken':
    'This link is incomplete. Open the whole link from your e-mail, or ask your clinic for a new invitation.',
  'appts.title': 'Your appointments',
  'appts.hello': 'Hello, {name}',
  'appts.helloProxy': 'Hello, {proxy}. You are viewing {name}’s appointments.',
  'appts.upcoming': 'Upcoming',
  'appts.past': 'Past and cancelled',
  'appts.noneUpcoming': 'You have no upcoming appointments. Request one below, or call your clinic.',
  'appts.nonePast': 'No past appointments yet.',
  'appts.with': 'with {provider}',
  'appts.video': 'Video visit',
  'appts.inPerson': 'In person',
  'appts.cancel': 'Cancel appointment',
  'appts.cancelBy': 'You can cancel online until {time}.',
  'appts.cannotCancel': 'To change or cancel this appointment, please call the clinic.',
  'appts.policy': 'The clinic asks for {hours} hours’ notice to cancel online.',
  'appts.status.cancelled': 'Cancelled',
  'appts.status.no_show': 'Missed',
  'appts.status.checked_out': 'Done',
  'appts.status.scheduled': 'Scheduled',
  'appts.confirmTitle': 'Cancel this appointment?',
  'appts.reason': 'Reason (optional)',
  'appts.confirm': 'Yes, cancel it',
  'appts.keep': 'Keep appointment',
  'appts.cancelled': 'Your appointment is cancelled. The clinic has been told.',
  'appts.join': 'Join video visit',
  'appts.joinHelp': 'You will wait in the waiting room until your clinician lets you in.',
  'activity.title': 'Account activity',
  'activity.intro': 'Every time your account was used. If something looks wrong, call your clinic.',
  'activity.none': 'No activity yet.',
  'activity.refused': 'refused',
  'action.invitation.sent': 'Invitation sent by the clinic',
  'action.invitation.opened': 'Invitation link opened',
  'action.account.set_up': 'Account set up',
  'action.sign_in': 'Signed in',
  'action.sign_in.locked': 'Sign-in blocked (too many attempts)',
  'action.sign_out': 'Signed out',
  'action.appointments.read': 'Viewed appointments',
  'action.appointment.cancel': 'Cancelled an appointment',
  'action.appointment.video_join': 'Joined a video visit',
  'action.appointment.video_link': 'Got a new link for a video visit',
  'action.activity.read': 'Viewed account activity',
  'action.access.revoked': 'Access ended by the clinic',
  'common.loading': 'Loading…',
  'common.offline': 'You seem to be offline. Check your connection and try again.',
  'common.error': 'Something went wrong. Try again, or call your clinic.',
  'err.email': 'Enter an e-mail address such as name@example.com.',
  'err.password': 'Enter your password.',
  'err.passwordShort': 'Use at least 12 characters.',
  'err.passwordMatch': 'The two passwords are not the same.',
  'err.code': 'Enter the 6-digit code from your authenticator app.',
  'code.sign_in_failed':
    'The e-mail, password or code is not right, or there were too many attempts. Wait 15 minutes and try again, or call your clinic.',
  'code.invitation_unusable':
    'This link has expired or was already used. Ask your clinic to send a new invitation.',
  'code.too_many_requests': 'Too many attempts from this device. Wait a minute and try again.',
  'code.cannot_cancel': 'This appointment can no longer be cancelled online. Please call the clinic.',
  'code.not_found': 'That appointment was not found.',
  'code.video_cancelled':
    'This appointment was cancelled, so there is no video visit to join. Please call the clinic to book again.',
  'code.visit_ended':
    'The clinician has ended this video visit. Please call the clinic if you still need it.',
  'code.video_not_yet': 'This video visit cannot be joined yet. Come back a few minutes before it starts.',
  'code.video_over': 'This visit has ended. Please call the clinic if you still need it.',
  'code.not_video': 'This is an in-person appointment; there is no video visit to join.',
  'code.video_unavailable':
    'Video visits cannot be joined from the portal right now. Please call the clinic.',
  'code.video_not_allowed':
    'Your access does not include appointments. Please call the clinic to join this visit.',
  'nav.messages': 'Messages',
  'nav.unread': 'unread',
  'nav.questionnaires': 'Questionnaires',
  'msg.title': 'Messages',
  'msg.emergency':
    'Not for emergencies. If you are in danger or thinking about hurting yourself, call 911, or call or text 988 (Suicide and Crisis Lifeline) now.',
  'msg.intro': 'Write to your care team. They answer during office hours.',
  'msg.none': 'No messages yet. Start one with the button below.',
  'msg.new': 'New message',
  'msg.subject': 'Subject',
  'msg.body': 'Your message',
  'msg.send': 'Send',
  'msg.sending': 'Sending…',
  'msg.cancel': 'Cancel',
  'msg.back': 'All messages',
  'msg.unread': '{n} new',
  'msg.you': 'You',
  'msg.readAt': 'Read by the care team {time}',
  'msg.notRead': 'Not read yet',
  'msg.reply': 'Write a reply',
  'msg.sent': 'Your message was sent.',
  'q.title': 'Questionnaires',
  'q.intro': 'Your clinic asks you to answer these before your visit. It takes about 2 minutes.',
  'q.none': 'Nothing to fill in right now.',
  'q.done': 'Already sent',
  'q.start': 'Start',
  'q.send': 'Send answers',
  'q.sending': 'Sending…',
  'q.back': 'Back',
  'q.sent': 'Thank you. Your answers were sent to your care team.',
  'q.crisis':
    'You said you had thoughts of hurting yourself. Your care team will see this, but they may not see it right away. If you are in danger now, call 911, or call or text 988 (Suicide and Crisis Lifeline) any time.',
  'q.answerAll': 'Answer question {n} before sending.',
  'q.count': '{n} questions',
  'q.dueUntil': 'Asked regularly. Answer before {time}; the next one comes after that.',
  'q.sentOn': 'Sent {time}',
  'action.messages.list': 'Viewed messages',
  'action.messages.read': 'Read a message',
  'action.messages.send': 'Sent a message',
  'action.questionnaires.list': 'Viewed questionnaires',
  'action.questionnaire.submit': 'Sent a questionnaire',
  'err.subject': 'Write a subject.',
  'err.body': 'Write your message before sending.',
  'err.tooLong': 'This is too long. Split it in two.',
  'code.thread_not_found': 'That conversation was not found.',
  'code.questionnaire_not_found': 'That questionnaire was not found.',
  'code.already_answered': 'You already answered this questionnaire. Thank you.',
  'code.not_requested': 'The clinic no longer asks for this questionnaire.',
  'code.out_of_scope': 'Your access does not include this. Please call the clinic.',
} as const;

const en = {
  ...enBase,
  ...signinEn,
  ...formsEn,
  ...billingEn,
  ...requestsEn,
  ...bookingEn,
  ...remindersEn,
  ...uploadsEn,
  ...trackingEn,
  ...attachEn,
};
export type MessageKey = keyof typeof en;

const es: Record<MessageKey, string> = {
  ...signinEs,
  ...formsEs,
  ...billingEs,
  ...requestsEs,
  ...bookingEs,
  ...remindersEs,
  ...uploadsEs,
  ...trackingEs,
  ...attachEs,
  'app.title': 'Portal del paciente',
  'lang.switch': 'English',
  'lang.switchLabel': 'View in English',
  'nav.appointments': 'Citas',
  'nav.activity': 'Actividad de la cuenta',
  'nav.signOut': 'Cerrar sesión',
  'nav.main': 'Portal',
  'login.title': 'Iniciar sesión',
  'login.email': 'Correo electrónico',
  'login.password': 'Contraseña',
  'login.code': 'Código de su aplicación de autenticación',
  'login.codeHint': '6 dígitos. Cambia cada 30 segundos.',
  'login.submit': 'Iniciar sesión',
  'login.busy': 'Iniciando sesión…',
  'login.noSession': 'Por su privacidad, se cerró su sesión. Inicie sesión otra vez.',
  'login.idle': 'Se cerró su sesión porque la página no se usó por un tiempo.',
  'login.signedOut': 'Cerró su sesión.',
  'login.help':
    '¿Todavía no tiene cuenta? Su clínica le envía una invitación por correo. ¿Perdió su aplicación de autenticación? Llame a su clínica.',
  'setup.title': 'Configure su cuenta del portal',
  'setup.intro': '{clinic} le invitó. Son dos pasos.',
  'setup.proxyIntro': '{clinic} le invitó a ayudar con la atención de un familiar. Son dos pasos.',
  'setup.step1': 'Paso 1: elija una contraseña',
  'setup.password': 'Contraseña nueva',
  'setup.passwordHint': 'Al menos 12 caracteres. Una frase corta es fácil de recordar.',
  'setup.confirm': 'Escriba la contraseña otra vez',
  'setup.step2': 'Paso 2: agregue una aplicación de autenticación',
  'setup.step2Help':
    'Abra una aplicación de autenticación (como Google Authenticator o Microsoft Authenticator), escanee esta imagen o escriba la clave a mano.',
  'setup.qrAlt': 'Código QR para escanear con su aplicación de autenticación',
  'setup.key': 'Clave',
  'setup.code': 'Código que muestra la aplicación ahora',
  'setup.submit': 'Terminar',
  'setup.busy': 'Configurando…',
  'setup.loading': 'Revisando su enlace…',
  'setup.noToken':
    'Este enlace está incompleto. Abra el enlace completo de su correo o pida a su clínica una invitación nueva.',
  'appts.title': 'Sus citas',
  'appts.hello': 'Hola, {name}',
  'appts.helloProxy': 'Hola, {proxy}. Está viendo las citas de {name}.',
  'appts.upcoming': 'Próximas',
  'appts.past': 'Pasadas y canceladas',
  'appts.noneUpcoming': 'No tiene citas próximas. Pida una abajo o llame a su clínica.',
  'appts.nonePast': 'Todavía no hay citas pasadas.',
  'appts.with': 'con {provider}',
  'appts.video': 'Visita por video',
  'appts.inPerson': 'En persona',
  'appts.cancel': 'Cancelar la cita',
  'appts.cancelBy': 'Puede cancelar en línea hasta {time}.',
  'appts.cannotCancel': 'Para cambiar o cancelar esta cita, llame a la clínica.',
  'appts.policy': 'La clínica pide {hours} horas de aviso para cancelar en línea.',
  'appts.status.cancelled': 'Cancelada',
  'appts.status.no_show': 'No asistió',
  'appts.status.checked_out': 'Terminada',
  'appts.status.scheduled': 'Programada',
  'appts.confirmTitle': '¿Cancelar esta cita?',
  'appts.reason': 'Motivo (opcional)',
  'appts.confirm': 'Sí, cancelarla',
  'appts.keep': 'Mantener la cita',
  'appts.cancelled': 'Su cita está cancelada. Se avisó a la clínica.',
  'appts.join': 'Entrar a la visita por video',
  'appts.joinHelp': 'Esperará en la sala de espera hasta que su profesional le deje pasar.',
  'activity.title': 'Actividad de la cuenta',
  'activity.intro': 'Cada vez que se usó su cuenta. Si algo no le parece bien, llame a su clínica.',
  'activity.none': 'Todavía no hay actividad.',
  'activity.refused': 'rechazado',
  'action.invitation.sent': 'La clínica envió la invitación',
  'action.invitation.opened': 'Se abrió el enlace de invitación',
  'action.account.set_up': 'Cuenta configurada',
  'action.sign_in': 'Inició sesión',
  'action.sign_in.locked': 'Inicio de sesión bloqueado (demasiados intentos)',
  'action.sign_out': 'Cerró sesión',
  'action.appointments.read': 'Vio sus citas',
  'action.appointment.cancel': 'Canceló una cita',
  'action.appointment.video_join': 'Entró a una visita por video',
  'action.appointment.video_link': 'Recibió un enlace nuevo para una visita por video',
  'action.activity.read': 'Vio la actividad de la cuenta',
  'action.access.revoked': 'La clínica terminó el acceso',
  'common.loading': 'Cargando…',
  'common.offline': 'Parece que no tiene conexión. Revísela e intente otra vez.',
  'common.error': 'Algo salió mal. Intente otra vez o llame a su clínica.',
  'err.email': 'Escriba un correo como nombre@ejemplo.com.',
  'err.password': 'Escriba su contraseña.',
  'err.passwordShort': 'Use al menos 12 caracteres.',
  'err.passwordMatch': 'Las dos contraseñas no son iguales.',
  'err.code': 'Escriba el código de 6 dígitos de su aplicación de autenticación.',
  'code.sign_in_failed':
    'El correo, la contraseña o el código no son correctos, o hubo demasiados intentos. Espere 15 minutos e intente otra vez, o llame a su clínica.',
  'code.invitation_unusable': 'Este enlace venció o ya se usó. Pida a su clínica una invitación nueva.',
  'code.too_many_requests':
    'Demasiados intentos desde este dispositivo. Espere un minuto e intente otra vez.',
  'code.cannot_cancel': 'Esta cita ya no se puede cancelar en línea. Llame a la clínica.',
  'code.not_found': 'No se encontró esa cita.',
  'code.video_cancelled':
    'Esta cita fue cancelada, así que no hay visita por video. Llame a la clínica para pedir otra.',
  'code.visit_ended':
    'El profesional ya terminó esta visita por video. Llame a la clínica si todavía la necesita.',
  'code.video_not_yet': 'Todavía no puede entrar a esta visita. Vuelva unos minutos antes de que empiece.',
  'code.video_over': 'Esta visita ya terminó. Llame a la clínica si todavía la necesita.',
  'code.not_video': 'Esta cita es en persona; no hay visita por video.',
  'code.video_unavailable':
    'Ahora no se puede entrar a visitas por video desde el portal. Llame a la clínica.',
  'code.video_not_allowed': 'Su acceso no incluye las citas. Llame a la clínica para entrar a esta visita.',
  'nav.messages': 'Mensajes',
  'nav.unread': 'sin leer',
  'nav.questionnaires': 'Cuestionarios',
  'msg.title': 'Mensajes',
  'msg.emergency':
    'No es para emergencias. Si está en peligro o piensa en hacerse daño, llame al 911, o llame o envíe un mensaje de texto al 988 (Línea de Prevención del Suicidio y Crisis) ahora.',
  'msg.intro': 'Escriba a su equipo de atención. Responden en horario de oficina.',
  'msg.none': 'Todavía no hay mensajes. Empiece uno con el botón de abajo.',
  'msg.new': 'Mensaje nuevo',
  'msg.subject': 'Asunto',
  'msg.body': 'Su mensaje',
  'msg.send': 'Enviar',
  'msg.sending': 'Enviando…',
  'msg.cancel': 'Cancelar',
  'msg.back': 'Todos los mensajes',
  'msg.unread': '{n} nuevo(s)',
  'msg.you': 'Usted',
  'msg.readAt': 'Leído por el equipo de atención {time}',
  'msg.notRead': 'Todavía no se ha leído',
  'msg.reply': 'Escriba una respuesta',
  'msg.sent': 'Su mensaje fue enviado.',
  'q.title': 'Cuestionarios',
  'q.intro': 'Su clínica le pide contestar esto antes de su visita. Toma unos 2 minutos.',
  'q.none': 'No hay nada que llenar ahora.',
  'q.done': 'Ya enviados',
  'q.start': 'Empezar',
  'q.send': 'Enviar respuestas',
  'q.sending': 'Enviando…',
  'q.back': 'Volver',
  'q.sent': 'Gracias. Sus respuestas se enviaron a su equipo de atención.',
  'q.crisis':
    'Usted dijo que tuvo pensamientos de hacerse daño. Su equipo de atención lo verá, pero quizás no enseguida. Si está en peligro ahora, llame al 911, o llame o envíe un mensaje de texto al 988 (Línea de Prevención del Suicidio y Crisis) a cualquier hora.',
  'q.answerAll': 'Conteste la pregunta {n} antes de enviar.',
  'q.count': '{n} preguntas',
  'q.dueUntil': 'Se pide con regularidad. Contéstelo antes del {time}; el siguiente llega después.',
  'q.sentOn': 'Enviado {time}',
  'action.messages.list': 'Vio sus mensajes',
  'action.messages.read': 'Leyó un mensaje',
  'action.messages.send': 'Envió un mensaje',
  'action.questionnaires.list': 'Vio sus cuestionarios',
  'action.questionnaire.submit': 'Envió un cuestionario',
  'err.subject': 'Escriba un asunto.',
  'err.body': 'Escriba su mensaje antes de enviarlo.',
  'err.tooLong': 'Es demasiado largo. Divídalo en dos.',
  'code.thread_not_found': 'No se encontró esa conversación.',
  'code.questionnaire_not_found': 'No se encontró ese cuestionario.',
  'code.already_answered': 'Ya contestó este cuestionario. Gracias.',
  'code.not_requested': 'La clínica ya no pide este cuestionario.',
  'code.out_of_scope': 'Su acceso no incluye esto. Llame a la clínica.',
};

export const catalogue: Record<Lang, Record<MessageKey, string>> = { en, es };

const STORAGE_KEY = 'tessera.portal.lang';

function initialLang(): Lang {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'es') return saved;
  } catch {
    /* storage off */
  }
  return navigator.language?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t: Translate;
  /** A refusal from central in the patient's language (by its code), else central's sentence. */
  errorText(err: unknown): string;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      window.localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* storage off */
    }
  }, []);
  // The page's language follows the choice (screen readers pronounce by it).
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const t: Translate = (key, vars) =>
      (catalogue[lang][key] ?? key).replace(/\{(\w+)\}/g, (_m, k: string) => String(vars?.[k] ?? ''));
    const errorText = (err: unknown) => {
      const e = err as { code?: string; message?: string } | null;
      if (e?.code === 'offline') return t('common.offline');
      const key = `code.${e?.code ?? ''}` as MessageKey;
      if (key in catalogue[lang]) return t(key);
      return e?.message && e.message !== 'unknown' ? e.message : t('common.error');
    };
    return { lang, setLang, t, errorText };
  }, [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
