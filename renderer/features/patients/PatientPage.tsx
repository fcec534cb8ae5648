import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  clinicalSexParameterOptions,
  contactMethodLabels,
  coveragePriorityLabels,
  genderIdentityOptions,
  ombRaceCategories,
  raceCodeIndex,
  ethnicityCodeIndex,
  relationshipLabels,
  sexualOrientationOptions,
  subscriberRelationshipOptions,
  type Coverage,
  type EmergencyContact,
  type Patient,
} from '../../../server/contracts/patients';
import { call, errorMessage, isApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatCalendarDate } from '../../ui/format';
import { applyFieldErrors, formErrorMessage } from '../../ui/form';
import { Loading, useDocumentTitle } from '../../ui/Page';
import { BreakGlassDialog } from './BreakGlassDialog';
import { DemographicsForm, demographicFields, valuesOf } from './DemographicsForm';
import { MergeDialog } from './MergeDialog';
import { PatientBanner } from './PatientBanner';
import {
  ethnicityText,
  formatMoney,
  formatPhone,
  languageName,
  pronounsOf,
  raceText,
  sexLabel,
  summaryOf,
} from './patient-format';
import { CoverageDialog, EmergencyContactDialog, GuarantorDialog } from './RecordDialogs';

/** For clinical staff: the way from the registration record to the clinical chart. */
function ChartLink({ patientId }: { patientId: string }) {
  const can = useCan();
  if (!can('chart.read')) return null;
  return (
    <p>
      <Link className="btn btn-secondary btn-small" to={`/patients/${patientId}/chart`}>
        Open clinical chart
      </Link>
    </p>
  );
}

type Editing =
  | { kind: 'contact'; item: EmergencyContact | null }
  | { kind: 'guarantor' }
  | { kind: 'coverage'; item: Coverage | null }
  | { kind: 'merge' }
  | null;

/**
 * A patient's record: the banner, what check-in should ask about, demographics, contacts, guarantor and
 * insurance. Restricted records answer 403 `restricted_record`; users with emergency access may break the
 * glass. A merged-away id opens the surviving record.
 */
export function PatientPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const can = useCan();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [dismissed, setDismissed] = useState(false);
  // A notice comes with the navigation (registered, merged-into) or from a save on this page.
  const locationNotice = (location.state as { notice?: string } | null)?.notice ?? null;
  const [localNotice, setLocalNotice] = useState<{ key: string; text: string } | null>(null);
  const notice = localNotice?.key === location.key ? localNotice.text : locationNotice;
  const setNotice = (text: string | null) => setLocalNotice(text ? { key: location.key, text } : null);
  const patient = useQuery({
    queryKey: keys.patient(id),
    queryFn: () => call('getPatient', { params: { id } }),
  });
  // The title never carries the name: window titles end up in screenshots and OS task lists.
  useDocumentTitle('Patient');

  const redirectedTo = patient.data && patient.data.id !== id ? patient.data.id : null;
  useEffect(() => {
    if (!redirectedTo || !patient.data) return;
    queryClient.setQueryData(keys.patient(redirectedTo), patient.data);
    void navigate(`/patients/${redirectedTo}`, {
      replace: true,
      state: { notice: 'The record you opened was merged into this one. This is the record to use.' },
    });
  }, [redirectedTo, patient.data, navigate, queryClient]);

  if (patient.isPending || redirectedTo) return <Loading label="Loading the patient…" />;

  if (patient.isError) {
    const err = patient.error;
    const restricted = isApiError(err, 403) && err.code === 'restricted_record';
    if (restricted && can('emergency.access')) {
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
              patientId={id}
              message={errorMessage(err)}
              onCancel={() => setDismissed(true)}
              onGranted={() => void patient.refetch()}
            />
          )}
        </section>
      );
    }
    return (
      <section className="page">
        <h1 className="page-title">{restricted ? 'Restricted record' : 'Patient not available'}</h1>
        <Alert tone="error">{errorMessage(err)}</Alert>
        <p>
          <Link to="/patients">Go to Patients</Link>
        </p>
      </section>
    );
  }

  return (
    <PatientRecord
      patient={patient.data}
      timeZone={session.clinic.timeZone}
      canWrite={can('patients.write')}
      canMerge={can('patients.merge')}
      notice={notice}
      setNotice={setNotice}
      refresh={() => void queryClient.invalidateQueries({ queryKey: keys.patient(patient.data.id) })}
      onSaved={(p) => {
        queryClient.setQueryData(keys.patient(p.id), p);
        void queryClient.invalidateQueries({ queryKey: ['patients', 'search'] });
      }}
    />
  );
}

interface RecordProps {
  patient: Patient;
  timeZone: string;
  canWrite: boolean;
  canMerge: boolean;
  notice: string | null;
  setNotice: (n: string | null) => void;
  refresh: () => void;
  onSaved: (p: Patient) => void;
}

function PatientRecord({
  patient,
  timeZone,
  canWrite,
  canMerge,
  notice,
  setNotice,
  refresh,
  onSaved,
}: RecordProps) {
  const [editingDemographics, setEditingDemographics] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const summary = summaryOf(patient);
  const status = patient.coverageStatus;
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
      <ChartLink patientId={patient.id} />
      {notice ? (
        <Alert tone="success" testId="patient-notice">
          {notice}
        </Alert>
      ) : null}
      {removeError ? <Alert tone="error">{removeError}</Alert> : null}

      {!editingDemographics && (status.issues.length || status.demographicGaps.length) ? (
        <Alert tone="warning" title="To confirm at the next check-in" testId="checkin-gaps">
          <ul>
            {status.issues.map((i) => (
              <li key={`${i.code}-${i.coverageId ?? ''}`}>{i.message}</li>
            ))}
            {status.demographicGaps.map((g) => (
              <li key={g.code}>{g.message}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      {editingDemographics ? (
        <section className="panel" aria-label="Edit demographics">
          <h2 className="section-title">Edit demographics</h2>
          <DemographicsForm
            mode="edit"
            defaultValues={valuesOf(patient)}
            submitLabel="Save changes"
            busyLabel="Saving…"
            serverError={serverError}
            onCancel={() => {
              setServerError(null);
              setEditingDemographics(false);
            }}
            onSubmit={async (body, setError) => {
              setServerError(null);
              try {
                onSaved(await call('updatePatient', { params: { id: patient.id }, body }));
                setEditingDemographics(false);
                setNotice('Changes saved.');
              } catch (err) {
                applyFieldErrors(err, setError, demographicFields);
                setServerError(formErrorMessage(err));
              }
            }}
          />
        </section>
      ) : (
        <>
          {canWrite || canMerge ? (
            <div className="button-row">
              {canWrite ? (
                <Button variant="primary" onClick={() => setEditingDemographics(true)}>
                  Edit demographics
                </Button>
              ) : null}
              {canMerge ? (
                <Button onClick={() => setEditing({ kind: 'merge' })}>Merge a duplicate…</Button>
              ) : null}
            </div>
          ) : null}
          <div className="detail-grid">
            <Panel title="Demographics">
              <Facts
                rows={[
                  ['Date of birth', formatCalendarDate(patient.dateOfBirth)],
                  ['Sex', sexLabel(patient.sex)],
                  [
                    'Sex for clinical use',
                    patient.clinicalSexParameter
                      ? `${clinicalSexParameterOptions[patient.clinicalSexParameter].label}${patient.clinicalSexParameterComment ? ` (${patient.clinicalSexParameterComment})` : ''}`
                      : '',
                  ],
                  [
                    'Gender identity',
                    patient.genderIdentity === 'other'
                      ? (patient.genderIdentityOther ?? 'Another identity')
                      : patient.genderIdentity
                        ? genderIdentityOptions[patient.genderIdentity].label
                        : '',
                  ],
                  [
                    'Sexual orientation',
                    patient.sexualOrientation === 'other'
                      ? (patient.sexualOrientationOther ?? 'Something else')
                      : patient.sexualOrientation
                        ? sexualOrientationOptions[patient.sexualOrientation].label
                        : '',
                  ],
                  [
                    'Pronouns',
                    patient.pronouns === 'declined' ? 'Declined to specify' : (pronounsOf(patient) ?? ''),
                  ],
                  ['Race', raceText(patient.race)],
                  [
                    'Race (OMB)',
                    patient.raceCategories
                      .filter((c) => ombRaceCategories.includes(c))
                      .map((c) => raceCodeIndex.get(c)?.display ?? c)
                      .join(', '),
                  ],
                  ['Ethnicity', ethnicityText(patient.ethnicity)],
                  [
                    'Ethnicity (OMB)',
                    patient.ethnicityCategory
                      ? (ethnicityCodeIndex.get(patient.ethnicityCategory)?.display ?? '')
                      : '',
                  ],
                  [
                    'Language',
                    `${languageName(patient.preferredLanguage)}${patient.interpreterNeeded ? ' — interpreter needed' : ''}`,
                  ],
                ]}
              />
            </Panel>
            <Panel title="Address and contact">
              <Facts
                rows={[
                  [
                    'Address',
                    [
                      patient.addressLine1,
                      patient.addressLine2,
                      [patient.city, patient.state, patient.postalCode].filter(Boolean).join(' '),
                      patient.country !== 'US' ? patient.country : '',
                    ]
                      .filter(Boolean)
                      .join(', '),
                  ],
                  ['Mobile', formatPhone(patient.phoneMobile)],
                  ['Home', formatPhone(patient.phoneHome)],
                  ['Work', formatPhone(patient.phoneWork)],
                  ['Email', patient.email ?? ''],
                  ['Prefers', patient.contactMethod ? contactMethodLabels[patient.contactMethod] : ''],
                  [
                    'May',
                    [
                      patient.voicemailOk && 'leave voicemail',
                      patient.textOk && 'text',
                      patient.emailOk && 'email',
                    ]
                      .filter(Boolean)
                      .join(', ') || 'No consent recorded',
                  ],
                ]}
              />
            </Panel>
            <Panel
              title="Emergency contacts"
              action={
                canWrite ? (
                  <Button size="small" onClick={() => setEditing({ kind: 'contact', item: null })}>
                    Add contact
                  </Button>
                ) : null
              }
            >
              {patient.emergencyContacts.length ? (
                <table className="table table-dense">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Relationship</th>
                      <th scope="col">Phone</th>
                      {canWrite ? (
                        <th scope="col">
                          <span className="visually-hidden">Actions</span>
                        </th>
                      ) : null}
                    </tr>
                  </thead>
                  <tbody>
                    {patient.emergencyContacts.map((c) => (
                      <tr key={c.id}>
                        <td>{c.name}</td>
                        <td>{relationshipLabels[c.relationship]}</td>
                        <td>
                          {formatPhone(c.phone)}
                          {c.alternatePhone ? `, ${formatPhone(c.alternatePhone)}` : ''}
                        </td>
                        {canWrite ? (
                          <td className="row-actions">
                            <Button
                              size="small"
                              variant="link"
                              onClick={() => setEditing({ kind: 'contact', item: c })}
                              aria-label={`Change contact ${c.name}`}
                            >
                              Change
                            </Button>
                            <Button
                              size="small"
                              variant="link"
                              onClick={() => void remove('contact', c.id)}
                              aria-label={`Remove contact ${c.name}`}
                            >
                              Remove
                            </Button>
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">No emergency contact yet{canWrite ? ' — add one.' : '.'}</p>
              )}
            </Panel>
            <Panel
              title="Guarantor"
              action={
                canWrite ? (
                  <Button size="small" onClick={() => setEditing({ kind: 'guarantor' })}>
                    {patient.guarantor ? 'Change' : 'Set guarantor'}
                  </Button>
                ) : null
              }
            >
              {patient.guarantor ? (
                patient.guarantor.relationship === 'self' ? (
                  <p>The patient (self).</p>
                ) : (
                  <Facts
                    rows={[
                      [
                        'Name',
                        `${patient.guarantor.firstName ?? ''} ${patient.guarantor.lastName ?? ''}`.trim(),
                      ],
                      ['Relationship', relationshipLabels[patient.guarantor.relationship]],
                      ['Phone', formatPhone(patient.guarantor.phone)],
                      [
                        'Address',
                        patient.guarantor.sameAddressAsPatient
                          ? 'Same as the patient'
                          : [
                              patient.guarantor.addressLine1,
                              patient.guarantor.city,
                              patient.guarantor.state,
                              patient.guarantor.postalCode,
                            ]
                              .filter(Boolean)
                              .join(', '),
                      ],
                    ]}
                  />
                )
              ) : (
                <p className="muted">Not set: the patient is treated as responsible.</p>
              )}
            </Panel>
          </div>
          <Panel
            title="Insurance"
            action={
              canWrite ? (
                <Button size="small" onClick={() => setEditing({ kind: 'coverage', item: null })}>
                  Add coverage
                </Button>
              ) : null
            }
          >
            {patient.coverages.length ? (
              <div className="table-wrap">
                <table className="table table-dense" data-testid="coverages">
                  <thead>
                    <tr>
                      <th scope="col">Priority</th>
                      <th scope="col">Payer and plan</th>
                      <th scope="col">Member id</th>
                      <th scope="col">Group</th>
                      <th scope="col">Subscriber</th>
                      <th scope="col">Effective</th>
                      <th scope="col">Copay</th>
                      <th scope="col">Status</th>
                      {canWrite ? (
                        <th scope="col">
                          <span className="visually-hidden">Actions</span>
                        </th>
                      ) : null}
                    </tr>
                  </thead>
                  <tbody>
                    {patient.coverages.map((c) => (
                      <tr key={c.id}>
                        <td>{coveragePriorityLabels[c.priority]}</td>
                        <td>
                          {c.payerName}
                          {c.planName ? <span className="patient-result-sub">{c.planName}</span> : null}
                        </td>
                        <td>
                          <code>{c.memberId}</code>
                        </td>
                        <td>{c.groupNumber ?? ''}</td>
                        <td>
                          {c.subscriberRelationship === 'self'
                            ? 'Self'
                            : `${c.subscriberFirstName ?? ''} ${c.subscriberLastName ?? ''} (${subscriberRelationshipOptions[c.subscriberRelationship].label})`}
                        </td>
                        <td className="nowrap">{effectiveText(c)}</td>
                        <td>{formatMoney(c.copayCents)}</td>
                        <td>
                          <span
                            className={`badge badge-${c.standing === 'active' ? 'ok' : c.standing === 'expired' ? 'danger' : 'muted'}`}
                          >
                            {c.standing === 'active'
                              ? 'Active'
                              : c.standing === 'expired'
                                ? 'Expired'
                                : 'Not started'}
                          </span>
                        </td>
                        {canWrite ? (
                          <td className="row-actions">
                            <Button
                              size="small"
                              variant="link"
                              onClick={() => setEditing({ kind: 'coverage', item: c })}
                              aria-label={`Change ${c.priority} coverage`}
                            >
                              Change
                            </Button>
                            <Button
                              size="small"
                              variant="link"
                              onClick={() => void remove('coverage', c.id)}
                              aria-label={`Remove ${c.priority} coverage (entered in error)`}
                            >
                              Remove
                            </Button>
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="muted">
                No insurance on file{canWrite ? ' — add a coverage, or leave empty for self-pay.' : '.'}
              </p>
            )}
          </Panel>
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

/** "From Mar 1, 2026", "Mar 1, 2026 – Dec 31, 2026", "Until …", or "No dates" for an open coverage. */
function effectiveText(c: Coverage): string {
  if (c.effectiveFrom && c.effectiveTo)
    return `${formatCalendarDate(c.effectiveFrom)} – ${formatCalendarDate(c.effectiveTo)}`;
  if (c.effectiveFrom) return `From ${formatCalendarDate(c.effectiveFrom)}`;
  if (c.effectiveTo) return `Until ${formatCalendarDate(c.effectiveTo)}`;
  return 'No dates';
}

function Panel({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel" aria-label={title}>
      <div className="section-header">
        <h2 className="section-title">{title}</h2>
        {action}
      </div>
      {children}
    </section>
  );
}

function Facts({ rows }: { rows: [string, string][] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value || <span className="muted">Not recorded</span>}</dd>
        </div>
      ))}
    </dl>
  );
}
