import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../ui/Button';
import { BreakGlassDialog } from './BreakGlassDialog';

/**
 * A restricted record seen by someone with emergency access: the break-glass dialog, or (after Cancel) a
 * closed record with the way to ask again.
 */
export function RestrictedRecord({
  patientId,
  message,
  onGranted,
}: {
  patientId: string;
  message: string;
  onGranted: () => void;
}) {
  const [dismissed, setDismissed] = useState(false);
  return (
    <section className="page">
      <h1 className="page-title">Restricted record</h1>
      {dismissed ? (
        <>
          <p>The record stays closed.</p>
          <p className="button-row">
            <Button variant="danger" onClick={() => setDismissed(false)}>
              Request emergency access
            </Button>
            <Link to="/patients">Go to Patients</Link>
          </p>
        </>
      ) : (
        <BreakGlassDialog
          patientId={patientId}
          message={message}
          onCancel={() => setDismissed(true)}
          onGranted={onGranted}
        />
      )}
    </section>
  );
}
