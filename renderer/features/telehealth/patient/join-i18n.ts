import { useCallback, useEffect, useState } from 'react';
import { fillIn, type VisitLang } from '../i18n/visit-text';

/**
 * The join page's own small message catalogue, English and Spanish, plain language (UI.md: patient pages in
 * both). Like the portal, the language follows the browser until the patient picks one with the switch
 * (kept in this browser only). Central's refusals are worded here by their code (`refused.<code>`), as the
 * portal does; a code the catalogue does not know keeps central's own sentence. The components inside the
 * page (device check, controls, chat) take their words from i18n/visit-text in the same language.
 */
export type JoinLang = VisitLang;

const en = {
  'page.title': 'Video visit',
  'lang.switch': 'Español',
  'lang.switchLabel': 'Ver en español',
  'link.incompleteTitle': 'This link is incomplete',
  'link.incomplete': 'Open the whole link from your message, or call the clinic for a new one.',
  'link.refusedTitle': 'This link cannot be used',
  'join.refusedTitle': 'You could not join',
  'opening': 'Opening your visit…',
  'connecting': 'Connecting…',
  'device.title': 'Video visit with {host}',
  'device.intro': '{clinic} · {when}. First, check your camera and sound.',
  'device.join': 'Join the waiting room',
  'network.failed': 'The connection test could not run. You can still join; if the video does not start, call the clinic.',
  'error.generic': 'Something went wrong. Reload the page, or call the clinic.',
  'over.elsewhereTitle': 'This visit continues elsewhere',
  'over.endedTitle': 'The visit has ended',
  'over.ended': 'Thank you. You can close this page.',
  'over.deniedTitle': 'The clinician cannot see you now',
  'over.denied': 'Please call the clinic.',
  'over.removedTitle': 'You were removed from the visit',
  'over.removed': 'If this is a mistake, call the clinic for a new link.',
  'over.noRejoinTitle': 'You cannot rejoin with this page',
  'over.leftTitle': 'You left the visit',
  'over.left': 'To go back in, open your link again. You will wait until the clinician lets you in.',
  'over.idleTitle': 'You were signed out',
  'over.idle':
    'This page was not used for {minutes} minutes, so we closed it to keep your visit private. To join, open your link again.',
  'idle.warnTitle': 'Are you still there?',
  'idle.warn': 'For your privacy, this page will close in {seconds} seconds.',
  'idle.stay': 'Stay on this page',
  'mic.lostTitle': 'Your microphone stopped',
  'mic.lost': 'Your phone turned off the microphone (this happens when the screen locks or you switch apps).',
  'mic.restart': 'Turn the microphone back on',
  'waiting.title': 'Please wait: {host} will let you in shortly',
  'waiting.joiningTitle': 'Joining the visit…',
  'waiting.status': 'You are in the waiting room. Keep this page open.',
  'waiting.joiningStatus': 'Connecting your video.',
  'waiting.testing': 'Testing your connection…',
  'host.connected': '{host} is online.',
  'host.notYet': '{host} has not started the video yet.',
  'host.away': '{host} is away right now. Keep this page open: you will be let in when they are back.',
  'name.you': 'You',
  'name.participant': 'Participant',
  'error.network': 'We cannot reach the clinic’s server. Check your internet connection and try again.',
  'error.server': 'Something went wrong on the clinic’s server. Try again in a minute.',
  'error.badResponse': 'The clinic’s server sent an unexpected answer. Try again.',
  'error.tooMany': 'Too many tries from this connection. Wait a few minutes, then open your link again.',
  'refused.link_invalid':
    'This link is not valid. Open the whole link from the message the clinic sent you (copying part of it breaks it), or ask the clinic for a new one.',
  'refused.link_not_yet': 'This visit is not open yet: the link works from shortly before the time of your appointment. Come back to this link then.',
  'refused.link_expired': 'This link has expired: the time for this visit has passed. Contact the clinic for a new appointment or a new link.',
  'refused.link_replaced':
    'This link was replaced by a newer one. Open the most recent link the clinic sent you, or ask the clinic to send it again.',
  'refused.link_revoked': 'You were removed from this visit, so this link no longer works. Contact the clinic if you think this is a mistake.',
  'refused.link_denied': 'The clinician could not admit you to this visit. Contact the clinic for help.',
  'refused.visit_ended': 'This visit has ended.',
  'refused.visit_full': 'This visit is full. Contact the clinic for help.',
  'refused.participant_retired':
    'This visit was opened again in another window or device, or you left it. Open your link again to return to the waiting room.',
  'refused.not_in_visit': 'Join the visit again to send messages.',
};

export type JoinMessageKey = keyof typeof en;

const es: Record<JoinMessageKey, string> = {
  'page.title': 'Cita por video',
  'lang.switch': 'English',
  'lang.switchLabel': 'View in English',
  'link.incompleteTitle': 'Este enlace está incompleto',
  'link.incomplete': 'Abra el enlace completo de su mensaje o llame a la clínica para pedir uno nuevo.',
  'link.refusedTitle': 'No se puede usar este enlace',
  'join.refusedTitle': 'No pudo entrar',
  'opening': 'Abriendo su cita…',
  'connecting': 'Conectando…',
  'device.title': 'Cita por video con {host}',
  'device.intro': '{clinic} · {when}. Primero, revise su cámara y el sonido.',
  'device.join': 'Entrar a la sala de espera',
  'network.failed':
    'No se pudo probar la conexión. Igual puede entrar; si el video no empieza, llame a la clínica.',
  'error.generic': 'Algo salió mal. Vuelva a cargar la página o llame a la clínica.',
  'over.elsewhereTitle': 'Esta cita sigue en otra página',
  'over.endedTitle': 'La cita terminó',
  'over.ended': 'Gracias. Ya puede cerrar esta página.',
  'over.deniedTitle': 'El profesional no puede atenderle ahora',
  'over.denied': 'Por favor, llame a la clínica.',
  'over.removedTitle': 'Le sacaron de la cita',
  'over.removed': 'Si es un error, llame a la clínica para pedir un enlace nuevo.',
  'over.noRejoinTitle': 'No puede volver a entrar con esta página',
  'over.leftTitle': 'Salió de la cita',
  'over.left': 'Para volver, abra su enlace otra vez. Esperará hasta que el profesional le deje entrar.',
  'over.idleTitle': 'Se cerró su sesión',
  'over.idle':
    'Esta página no se usó por {minutes} minutos, así que la cerramos para proteger su privacidad. Para entrar, abra su enlace otra vez.',
  'idle.warnTitle': '¿Sigue ahí?',
  'idle.warn': 'Para proteger su privacidad, esta página se cerrará en {seconds} segundos.',
  'idle.stay': 'Seguir en esta página',
  'mic.lostTitle': 'Su micrófono se apagó',
  'mic.lost': 'Su teléfono apagó el micrófono (pasa cuando la pantalla se bloquea o cambia de aplicación).',
  'mic.restart': 'Volver a encender el micrófono',
  'waiting.title': 'Espere, por favor: {host} le dejará entrar pronto',
  'waiting.joiningTitle': 'Entrando a la cita…',
  'waiting.status': 'Está en la sala de espera. Deje esta página abierta.',
  'waiting.joiningStatus': 'Conectando su video.',
  'waiting.testing': 'Probando su conexión…',
  'host.connected': '{host} está en línea.',
  'host.notYet': '{host} todavía no ha empezado el video.',
  'host.away': '{host} no está disponible en este momento. Deje esta página abierta: le dejarán entrar cuando vuelva.',
  'name.you': 'Usted',
  'name.participant': 'Participante',
  'error.network': 'No podemos comunicarnos con el servidor de la clínica. Revise su conexión a internet e intente otra vez.',
  'error.server': 'Algo salió mal en el servidor de la clínica. Intente otra vez en un minuto.',
  'error.badResponse': 'El servidor de la clínica envió una respuesta inesperada. Intente otra vez.',
  'error.tooMany': 'Demasiados intentos desde esta conexión. Espere unos minutos y vuelva a abrir su enlace.',
  'refused.link_invalid':
    'Este enlace no es válido. Abra el enlace completo del mensaje que le envió la clínica (si copia solo una parte, no funciona) o pida uno nuevo a la clínica.',
  'refused.link_not_yet': 'Esta cita todavía no está abierta: el enlace funciona desde poco antes de la hora de su cita. Vuelva a este enlace entonces.',
  'refused.link_expired': 'Este enlace venció: ya pasó la hora de esta cita. Comuníquese con la clínica para una cita o un enlace nuevo.',
  'refused.link_replaced':
    'Este enlace fue reemplazado por uno más nuevo. Abra el enlace más reciente que le envió la clínica o pida que se lo envíen otra vez.',
  'refused.link_revoked': 'Le sacaron de esta cita, así que este enlace ya no funciona. Comuníquese con la clínica si cree que es un error.',
  'refused.link_denied': 'El profesional no pudo dejarle entrar a esta cita. Comuníquese con la clínica para recibir ayuda.',
  'refused.visit_ended': 'Esta cita terminó.',
  'refused.visit_full': 'Esta cita está llena. Comuníquese con la clínica para recibir ayuda.',
  'refused.participant_retired':
    'Esta cita se abrió otra vez en otra ventana u otro dispositivo, o usted salió. Abra su enlace otra vez para volver a la sala de espera.',
  'refused.not_in_visit': 'Vuelva a entrar a la cita para enviar mensajes.',
};

export const joinCatalogue: Record<JoinLang, Record<JoinMessageKey, string>> = { en, es };

const STORAGE_KEY = 'tessera.telehealth.lang';

export function initialJoinLang(): JoinLang {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'es') return saved;
  } catch {
    /* storage off */
  }
  return navigator.language?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export type JoinTranslate = (key: JoinMessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: JoinLang): JoinTranslate {
  return (key, vars) => fillIn(joinCatalogue[lang][key], vars);
}

/** The page's language and its switch; the document's lang follows (screen readers pronounce by it). */
export function useJoinLang(): { lang: JoinLang; setLang(l: JoinLang): void; t: JoinTranslate } {
  const [lang, setLangState] = useState<JoinLang>(initialJoinLang);
  const setLang = useCallback((l: JoinLang) => {
    setLangState(l);
    try {
      window.localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* storage off */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = joinCatalogue[lang]['page.title'];
  }, [lang]);
  return { lang, setLang, t: translator(lang) };
}
