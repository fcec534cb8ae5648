import { useId, useState } from 'react';
import { Button } from '../../ui/Button';
import { Alert } from '../../ui/Alert';

interface RecoveryCodesProps {
  codes: string[];
  onConfirm: () => void;
  confirmLabel?: string;
}

/**
 * Recovery codes are shown once, right after MFA enrolment. Each works once in place of an authenticator
 * code; the user must store them somewhere safe before going on.
 */
export function RecoveryCodes({
  codes,
  onConfirm,
  confirmLabel = 'I have saved these codes',
}: RecoveryCodesProps) {
  const headingId = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <section className="recovery" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-title">
        Recovery codes
      </h2>
      <p>
        If the phone with the authenticator app is lost, each of these codes signs you in once. They are shown
        only now: print them or store them in a password manager.
      </p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      {copied === 'yes' ? <Alert tone="success">Copied to the clipboard.</Alert> : null}
      {copied === 'failed' ? (
        <Alert tone="warning">
          The clipboard is not available here. Write the codes down or print this page.
        </Alert>
      ) : null}
      <div className="button-row">
        <Button variant="primary" onClick={onConfirm} autoFocus>
          {confirmLabel}
        </Button>
        <Button onClick={() => void copy()}>Copy codes</Button>
        <Button onClick={() => window.print()}>Print codes</Button>
      </div>
    </section>
  );
}
