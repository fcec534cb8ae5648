import { useState } from 'react';
import { Link } from 'react-router';
import type { Coverage, EmergencyContact, Patient } from '../../../server/contracts/patients';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ShowWhenSettled } from '../../ui/ShowWhenSettled';
import { CheckInGaps } from './CheckInGaps';
import { EmergencyContactsPanel, GuarantorPanel } from './ContactsPanel';
import { CoveragePanel } from './CoveragePanel';
import { CoverageEligibility } from '../claims/EligibilityAnswers';
import { ContactPanel, DemographicsPanel } from './DemographicsPanels';
import { DemographicsForm, valuesOf } from './DemographicsForm';
import { MergeDialog } from './MergeDialog';
import { PatientBanner } from './PatientBanner';
import { PortalAccessPanel } from '../portal/PortalAccessPanel';
import { PortalFilesPanel } from '../portal/PortalFilesPanel';
import { QuestionnairesPanel } from '../inbox/QuestionnairesPanel';
import { FormsPanel } from '../forms/FormsPanel';
import { summaryOf } from './patient-format';
import { CoverageDialog, EmergencyContactDialog, GuarantorDialog } from './RecordDialogs';

type Editing =
  | { kind: 'contact'; item: EmergencyContact | null }
  | { kind: 'guarantor' }
  | { kind: 'coverage'; item: Coverage | null }
  | { kind: 'merge' }
  | null;

interface RecordProps {
  patient: Patient;
  timeZone: string;
  canWrite: boolean;
  canMerge: boolean;
  canReadChart: boolean;
  notice: string | null;
  setNotice: (n: string | null) => void;
  refresh: () => void;
  onSaved: (p: Patient) => void;
}

/**
 * A patient's registration record: the banner, what check-in should ask about, and the panels; it owns which
 * panel is being edited (demographics in place, the rest in dialogs).
 */
export function PatientRecord({
  patient,
  timeZone,
  canWrite,
  canMerge,
  canReadChart,
  notice,
  setNotice,
  refresh,
  onSaved,
}: RecordProps) {
  const [editingDemographics, setEditingDemographics] = useState(false);
  const [editing, setEditing] = useState<Editing>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const summary = summaryOf(patient);
  const saved = (message: string) => {
    setEditing(null);
    setNotice(message);
    refresh();
  };
  const remove = async (what: 'coverage' | 'contact', itemId: string) => {
    setRemoveError(null);
    try {
      if (what === 'coverage') await call('deleteCoverage', { params: { id: patient.id, itemId } });
      else await call('deleteEmergencyContact', { params: { id: patient.id, itemId } });
      saved(what === 'coverage' ? 'Coverage removed.' : 'Emergency contact removed.');
    } catch (err) {
      setRemoveError(errorMessage(err));
    }
  };

  return (
    <section className="page page-wide">
      <PatientBanner patient={summary} timeZone={timeZone} />
      {notice ? (
        <Alert tone="success" testId="patient-notice">
          {notice}
        </Alert>
      ) : null}
      {removeError ? <Alert tone="error">{removeError}</Alert> : null}

      {editingDemographics ? (
        <section className="panel" aria-label="Edit demographics">
          <h2 className="section-title">Edit demographics</h2>
          <DemographicsForm
            mode="edit"
            defaultValues={valuesOf(patient)}
            submitLabel="Save patient"
            busyLabel="Saving…"
            onCancel={() => setEditingDemographics(false)}
            onSubmit={async (body) => {
              onSaved(await call('updatePatient', { params: { id: patient.id }, body }));
              setEditingDemographics(false);
              setNotice('Changes saved.');
            }}
          />
        </section>
      ) : (
        <>
          <CheckInGaps status={patient.coverageStatus} />
          <div className="button-row">
            {canReadChart ? (
              <Link className="btn btn-secondary" to={`/patients/${patient.id}/chart`}>
                Open clinical chart
              </Link>
            ) : null}
            {canWrite ? (
              <Button variant="primary" onClick={() => setEditingDemographics(true)}>
                Edit demographics
              </Button>
            ) : null}
            {canMerge ? (
              <Button onClick={() => setEditing({ kind: 'merge' })}>Merge a duplicate…</Button>
            ) : null}
          </div>
          <div className="detail-grid">
            <DemographicsPanel patient={patient} />
            <ContactPanel patient={patient} />
            <EmergencyContactsPanel
              contacts={patient.emergencyContacts}
              canWrite={canWrite}
              onEdit={(item) => setEditing({ kind: 'contact', item })}
              onRemove={(c) => void remove('contact', c.id)}
            />
            <GuarantorPanel
              guarantor={patient.guarantor}
              canWrite={canWrite}
              onEdit={() => setEditing({ kind: 'guarantor' })}
            />
          </div>
          {/* Coverage (with its eligibility answers) and the portal panels read their own data: shown
              together, once, so none grows under the pointer of the next. */}
          <ShowWhenSettled label="Loading coverage and the portal…">
            <CoveragePanel
              coverages={patient.coverages}
              eligibilityOf={(coverageId) => (
                <CoverageEligibility patientId={patient.id} coverageId={coverageId} />
              )}
              canWrite={canWrite}
              onEdit={(item) => setEditing({ kind: 'coverage', item })}
              onRemove={(c) => void remove('coverage', c.id)}
            />
            <PortalAccessPanel patientId={patient.id} canWrite={canWrite} />
            {canReadChart ? <QuestionnairesPanel patientId={patient.id} /> : null}
            <FormsPanel patientId={patient.id} canWrite={canWrite} onRecordChanged={refresh} />
            <PortalFilesPanel patientId={patient.id} canWrite={canWrite} />
          </ShowWhenSettled>
        </>
      )}

      {editing?.kind === 'contact' ? (
        <EmergencyContactDialog
          patientId={patient.id}
          existing={editing.item}
          onClose={() => setEditing(null)}
          onSaved={() => saved('Emergency contact saved.')}
        />
      ) : null}
      {editing?.kind === 'guarantor' ? (
        <GuarantorDialog
          patientId={patient.id}
          existing={patient.guarantor}
          onClose={() => setEditing(null)}
          onSaved={() => saved('Guarantor saved.')}
        />
      ) : null}
      {editing?.kind === 'coverage' ? (
        <CoverageDialog
          patientId={patient.id}
          existing={editing.item}
          onClose={() => setEditing(null)}
          onSaved={() => saved('Coverage saved.')}
        />
      ) : null}
      {editing?.kind === 'merge' ? (
        <MergeDialog survivor={summary} onClose={() => setEditing(null)} onMerged={saved} />
      ) : null}
    </section>
  );
}
