/**
 * The sign-in words (passkeys, e-mailed links, step-up, the sign-in methods page), English and Spanish;
 * merged into the portal's catalogue (../i18n.tsx).
 */
export const signinEn = {
  'nav.security': 'Sign-in methods',
  'login.orPasskey': 'Use a passkey instead of a code',
  'login.passkeyBusy': 'Waiting for your passkey…',
  'login.passkeyNeeds': 'Enter your e-mail and password first, then use your passkey.',
  'login.linkTitle': 'Or get a link by e-mail',
  'login.linkHelp':
    'We e-mail you a link that works once, for a few minutes. Downloads, payments and changes still ask for your code or passkey.',
  'login.linkEmail': 'Send the link to',
  'login.linkSubmit': 'E-mail me a link',
  'login.linkBusy': 'Sending…',
  'login.linkSent':
    'If this address has portal access, a link is on its way. It works once, for {minutes} minutes.',
  'setup.orPasskey': 'Or use a passkey instead of an app',
  'setup.passkeyHelp':
    'A passkey uses your phone’s or computer’s screen lock (fingerprint, face or PIN). Nothing to type later.',
  'setup.passkeySubmit': 'Use a passkey instead',
  'setup.passkeyBusy': 'Waiting for your passkey…',
  'link.title': 'Signing you in',
  'link.busy': 'Checking your link…',
  'link.noToken': 'This link is incomplete. Open the whole link from your e-mail, or ask for a new one.',
  'link.signIn': 'Go to sign-in',
  'security.title': 'Sign-in methods',
  'security.intro':
    'You sign in with your password and a second step: the code from your authenticator app or a passkey.',
  'security.app': 'Authenticator app',
  'security.appOn': 'Set up',
  'security.appOff': 'Not set up',
  'security.passkeys': 'Passkeys',
  'security.none': 'No passkeys yet.',
  'security.unnamed': 'Passkey',
  'security.added': 'Added {date}',
  'security.used': 'last used {date}',
  'security.neverUsed': 'not used yet',
  'security.remove': 'Remove',
  'security.removeLabel': 'Remove passkey {name}',
  'security.addTitle': 'Add a passkey',
  'security.name': 'Name (optional)',
  'security.nameHint': 'For example “My phone”, so you can tell your passkeys apart.',
  'security.add': 'Add a passkey',
  'security.addBusy': 'Waiting for your passkey…',
  'security.addedOk': 'Passkey added. You can use it the next time you sign in.',
  'security.removedOk': 'Passkey removed.',
  'stepup.title': 'Confirm it is you',
  'stepup.intro':
    'You signed in with a link from your e-mail. Before changing sign-in methods, downloads, payments or who may act for you, enter your code or use your passkey.',
  'stepup.code': 'Code from your authenticator app',
  'stepup.submit': 'Confirm',
  'stepup.busy': 'Checking…',
  'stepup.passkey': 'Use my passkey',
  'stepup.done': 'Thank you. You can continue.',
  'passkey.unsupported': 'This browser cannot use passkeys. Use the code from your authenticator app.',
  'passkey.cancelled': 'The passkey was not used (cancelled or timed out). Try again.',
  'action.sign_in.passkey': 'Signed in with a passkey',
  'action.sign_in.link': 'Signed in with a link from e-mail',
  'action.sign_in_link.sent': 'Sign-in link e-mailed',
  'action.step_up': 'Confirmed with code or passkey',
  'action.passkey.added': 'Passkey added',
  'action.passkey.removed': 'Passkey removed',
  'code.passkey_refused':
    'The passkey could not be confirmed. Try again, or use the code from your authenticator app.',
  'code.step_up_required':
    'For your safety, confirm it is you with the code from your authenticator app or your passkey first.',
  'code.step_up_failed':
    'That code or passkey is not right, or there were too many attempts. Try again, or wait 15 minutes.',
  'code.sign_in_link_unusable':
    'This sign-in link has expired or was already used. Ask for a new one, or sign in with your password.',
  'code.sign_in_link_not_configured':
    'Sign-in links by e-mail are not available at this clinic. Sign in with your password and code.',
  'code.last_second_factor':
    'This is your only passkey and you have no authenticator app, so you could not sign in without it. Add another passkey first.',
} as const;

export const signinEs: Record<keyof typeof signinEn, string> = {
  'nav.security': 'Formas de iniciar sesión',
  'login.orPasskey': 'Usar una llave de acceso en lugar de un código',
  'login.passkeyBusy': 'Esperando su llave de acceso…',
  'login.passkeyNeeds': 'Escriba primero su correo y contraseña; luego use su llave de acceso.',
  'login.linkTitle': 'O reciba un enlace por correo',
  'login.linkHelp':
    'Le enviamos un enlace que funciona una vez, durante unos minutos. Las descargas, los pagos y los cambios le pedirán su código o llave de acceso.',
  'login.linkEmail': 'Enviar el enlace a',
  'login.linkSubmit': 'Enviarme un enlace',
  'login.linkBusy': 'Enviando…',
  'login.linkSent':
    'Si este correo tiene acceso al portal, el enlace va en camino. Funciona una vez, durante {minutes} minutos.',
  'setup.orPasskey': 'O use una llave de acceso en lugar de una aplicación',
  'setup.passkeyHelp':
    'Una llave de acceso usa el bloqueo de pantalla de su teléfono o computadora (huella, cara o PIN). No tendrá que escribir nada después.',
  'setup.passkeySubmit': 'Usar una llave de acceso',
  'setup.passkeyBusy': 'Esperando su llave de acceso…',
  'link.title': 'Iniciando sesión',
  'link.busy': 'Revisando su enlace…',
  'link.noToken': 'Este enlace está incompleto. Abra el enlace completo de su correo, o pida uno nuevo.',
  'link.signIn': 'Ir a iniciar sesión',
  'security.title': 'Formas de iniciar sesión',
  'security.intro':
    'Inicia sesión con su contraseña y un segundo paso: el código de su aplicación de autenticación o una llave de acceso.',
  'security.app': 'Aplicación de autenticación',
  'security.appOn': 'Configurada',
  'security.appOff': 'No configurada',
  'security.passkeys': 'Llaves de acceso',
  'security.none': 'Todavía no hay llaves de acceso.',
  'security.unnamed': 'Llave de acceso',
  'security.added': 'Agregada el {date}',
  'security.used': 'último uso {date}',
  'security.neverUsed': 'sin usar todavía',
  'security.remove': 'Quitar',
  'security.removeLabel': 'Quitar la llave de acceso {name}',
  'security.addTitle': 'Agregar una llave de acceso',
  'security.name': 'Nombre (opcional)',
  'security.nameHint': 'Por ejemplo “Mi teléfono”, para distinguir sus llaves de acceso.',
  'security.add': 'Agregar una llave de acceso',
  'security.addBusy': 'Esperando su llave de acceso…',
  'security.addedOk': 'Llave de acceso agregada. Puede usarla la próxima vez que inicie sesión.',
  'security.removedOk': 'Llave de acceso quitada.',
  'stepup.title': 'Confirme que es usted',
  'stepup.intro':
    'Inició sesión con un enlace de su correo. Antes de cambiar formas de iniciar sesión, descargar, pagar o cambiar quién puede actuar por usted, escriba su código o use su llave de acceso.',
  'stepup.code': 'Código de su aplicación de autenticación',
  'stepup.submit': 'Confirmar',
  'stepup.busy': 'Revisando…',
  'stepup.passkey': 'Usar mi llave de acceso',
  'stepup.done': 'Gracias. Puede continuar.',
  'passkey.unsupported':
    'Este navegador no puede usar llaves de acceso. Use el código de su aplicación de autenticación.',
  'passkey.cancelled': 'No se usó la llave de acceso (se canceló o pasó el tiempo). Intente otra vez.',
  'action.sign_in.passkey': 'Inició sesión con una llave de acceso',
  'action.sign_in.link': 'Inició sesión con un enlace del correo',
  'action.sign_in_link.sent': 'Se envió un enlace para iniciar sesión',
  'action.step_up': 'Confirmó con código o llave de acceso',
  'action.passkey.added': 'Llave de acceso agregada',
  'action.passkey.removed': 'Llave de acceso quitada',
  'code.passkey_refused':
    'No se pudo confirmar la llave de acceso. Intente otra vez, o use el código de su aplicación de autenticación.',
  'code.step_up_required':
    'Por su seguridad, confirme primero que es usted con el código de su aplicación o su llave de acceso.',
  'code.step_up_failed':
    'El código o la llave de acceso no son correctos, o hubo demasiados intentos. Intente otra vez, o espere 15 minutos.',
  'code.sign_in_link_unusable':
    'Este enlace venció o ya se usó. Pida uno nuevo, o inicie sesión con su contraseña.',
  'code.sign_in_link_not_configured':
    'Los enlaces por correo no están disponibles en esta clínica. Inicie sesión con su contraseña y código.',
  'code.last_second_factor':
    'Es su única llave de acceso y no tiene aplicación de autenticación, así que no podría iniciar sesión sin ella. Agregue otra llave primero.',
};
