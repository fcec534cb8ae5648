import nodemailer from 'nodemailer';
import type { SmtpSettings } from './config';

/**
 * The e-mail port: one outgoing message, plain text and HTML. The SMTP adapter is nodemailer with the
 * configured relay; tests run a real SMTP server on loopback (tests/support/smtp.ts) rather than a double.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailPort {
  send(mail: OutgoingMail): Promise<void>;
}

export function smtpMailer(settings: SmtpSettings): MailPort {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: !settings.secure && settings.requireTls,
    ignoreTLS: !settings.secure && !settings.requireTls,
    auth: settings.user && settings.password ? { user: settings.user, pass: settings.password } : undefined,
    tls: settings.ca ? { ca: settings.ca } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await transport.sendMail({ from: settings.from, ...mail });
    },
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The invitation: the clinic's name and the link, nothing clinical (no patient name, no appointment), in
 * English and Spanish so it reads for either before the patient picks a language.
 */
export function invitationMail(to: string, clinicName: string, link: string): OutgoingMail {
  const subject = `${clinicName}: set up your patient portal / configure su portal del paciente`;
  const text = [
    `${clinicName} invited you to its patient portal.`,
    `Open this link to set up your account. It works once, for 24 hours:`,
    link,
    `If you did not expect this e-mail, you can ignore it.`,
    ``,
    `${clinicName} le invitó a su portal del paciente.`,
    `Abra este enlace para configurar su cuenta. Funciona una vez, durante 24 horas:`,
    link,
    `Si no esperaba este correo, puede ignorarlo.`,
  ].join('\n');
  const c = escapeHtml(clinicName);
  const l = escapeHtml(link);
  const html = `<p>${c} invited you to its patient portal.</p>
<p><a href="${l}">Set up your account</a> (the link works once, for 24 hours).</p>
<p>If you did not expect this e-mail, you can ignore it.</p>
<hr>
<p lang="es">${c} le invitó a su portal del paciente.</p>
<p lang="es"><a href="${l}">Configurar su cuenta</a> (el enlace funciona una vez, durante 24 horas).</p>
<p lang="es">Si no esperaba este correo, puede ignorarlo.</p>`;
  return { to, subject, text, html };
}

/**
 * A sign-in link the patient asked for: the clinic's name, the link and how long it works; nothing
 * clinical. It says that downloads, payments and changes still ask for the code or passkey.
 */
export function signInLinkMail(to: string, clinicName: string, link: string, minutes: number): OutgoingMail {
  const subject = `${clinicName}: your sign-in link / su enlace para iniciar sesión`;
  const text = [
    `Here is the link to sign in to the patient portal of ${clinicName}.`,
    `It works once, for ${minutes} minutes:`,
    link,
    `Before downloads, payments or changes to who may act for you, the portal still asks for your authenticator code or passkey.`,
    `If you did not ask for this link, you can ignore this e-mail.`,
    ``,
    `Este es el enlace para iniciar sesión en el portal del paciente de ${clinicName}.`,
    `Funciona una vez, durante ${minutes} minutos:`,
    link,
    `Antes de descargas, pagos o cambios de quién puede actuar por usted, el portal le pedirá su código o llave de acceso.`,
    `Si no pidió este enlace, puede ignorar este correo.`,
  ].join('\n');
  const c = escapeHtml(clinicName);
  const l = escapeHtml(link);
  const html = `<p>Here is the link to sign in to the patient portal of ${c}.</p>
<p><a href="${l}">Sign in</a> (the link works once, for ${minutes} minutes).</p>
<p>Before downloads, payments or changes to who may act for you, the portal still asks for your authenticator code or passkey.</p>
<p>If you did not ask for this link, you can ignore this e-mail.</p>
<hr>
<p lang="es">Este es el enlace para iniciar sesión en el portal del paciente de ${c}.</p>
<p lang="es"><a href="${l}">Iniciar sesión</a> (el enlace funciona una vez, durante ${minutes} minutos).</p>
<p lang="es">Antes de descargas, pagos o cambios de quién puede actuar por usted, el portal le pedirá su código o llave de acceso.</p>
<p lang="es">Si no pidió este enlace, puede ignorar este correo.</p>`;
  return { to, subject, text, html };
}
