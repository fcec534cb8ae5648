import { useCallback, useEffect, useState } from 'react';
import { CHAT_TEXT_EN, type ChatText } from '../session/ChatPanel';

/**
 * The join page's own small message catalogue, English and Spanish, plain language (UI.md: patient pages in
 * both). Like the portal, the language follows the browser until the patient picks one with the switch
 * (kept in this browser only). Central's refusals keep central's own sentence.
 */
export type JoinLang = 'en' | 'es';

const en = {
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
};

export type JoinMessageKey = keyof typeof en;

const es: Record<JoinMessageKey, string> = {
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
};

/** The chat panel in the waiting room, in the page's language. */
export const chatText: Record<JoinLang, ChatText> = {
  en: CHAT_TEXT_EN,
  es: {
    title: 'Chat',
    empty: 'Todavía no hay mensajes. Los mensajes se guardan con la cita.',
    you: 'Usted',
    label: 'Mensaje',
    placeholder: 'Escriba un mensaje',
    send: 'Enviar',
    notSent: 'El mensaje no se envió. Inténtelo otra vez.',
    typeFirst: 'Primero escriba un mensaje.',
    tooLong: 'El mensaje debe tener menos de 2,000 caracteres.',
  },
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
  return (key, vars) =>
    joinCatalogue[lang][key].replace(/\{(\w+)\}/g, (_m, k: string) => String(vars?.[k] ?? ''));
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
  }, [lang]);
  return { lang, setLang, t: translator(lang) };
}
