import type { TotpEnrollment } from '../../../server/contracts/auth';

/** SVG text -> base64 data URL; the CSP allows data: images but not inline SVG markup from the server. */
function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** The QR code for the authenticator app, plus the secret as text for typing in by hand. */
export function TotpEnrollmentInfo({ enrollment }: { enrollment: TotpEnrollment }) {
  return (
    <div className="totp-enrollment">
      <img
        className="totp-qr"
        src={svgDataUrl(enrollment.qrSvg)}
        alt="QR code for the authenticator app"
        width={176}
        height={176}
      />
      <div className="totp-text">
        <ol className="steps">
          <li>
            Open an authenticator app (for example Microsoft Authenticator, Google Authenticator or
            1Password).
          </li>
          <li>Scan the QR code, or add an account by hand with this key:</li>
        </ol>
        <p className="totp-secret-row">
          <span className="visually-hidden">Setup key: </span>
          <code className="totp-secret" data-testid="totp-secret">
            {enrollment.secret}
          </code>
        </p>
        <p className="field-hint">Then enter the 6-digit code the app shows.</p>
      </div>
    </div>
  );
}
