import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useCan } from '../../app/auth';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { PatientFinder } from './PatientFinder';

/** Ctrl+K (Cmd+K on a Mac) from anywhere: find a patient and open their record without leaving the keyboard. */
export function PatientSearchPalette() {
  const can = useCan();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const allowed = can('patients.read');

  useEffect(() => {
    if (!allowed) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [allowed]);

  if (!allowed) return null;
  const trigger = (
    <Button
      size="small"
      onClick={() => setOpen(true)}
      aria-keyshortcuts="Control+K Meta+K"
      title="Find a patient (Ctrl+K)"
    >
      Find patient
    </Button>
  );
  if (!open) return trigger;
  return (
    <>
      {trigger}
      <Dialog
        title="Find a patient"
        onClose={() => setOpen(false)}
        className="palette"
        testId="patient-palette"
      >
        <PatientFinder
          label="Search patients"
          autoFocus
          limit={12}
          onOpen={(p) => {
            setOpen(false);
            void navigate(`/patients/${p.id}`);
          }}
          noMatch={() =>
            can('patients.write') ? (
              <p>
                <button
                  type="button"
                  className="btn btn-link"
                  onClick={() => {
                    setOpen(false);
                    void navigate('/patients/new');
                  }}
                >
                  Register a new patient
                </button>
              </p>
            ) : null
          }
        />
      </Dialog>
    </>
  );
}
