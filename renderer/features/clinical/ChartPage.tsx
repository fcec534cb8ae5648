import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  noteStatusLabels,
  planStatusLabels,
  type Chart,
  type TimelineItem,
} from '../../../server/contracts/clinical';
import { call, errorMessage, isApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { Loading, useDocumentTitle } from '../../ui/Page';
import { BreakGlassDialog } from '../patients/BreakGlassDialog';
import { PatientBanner } from '../patients/PatientBanner';
import { summaryOf } from '../patients/patient-format';
import { AlertsPanel } from './chart-lists/AlertsPanel';
import { AllergiesPanel } from './chart-lists/AllergiesPanel';
import { MedicationsPanel } from './chart-lists/MedicationsPanel';
import { ProblemsPanel } from './chart-lists/ProblemsPanel';
import { statusBadge } from './clinical-format';
import { NewEncounterDialog } from './NewEncounterDialog';
import { NewNoteDialog } from './NewNoteDialog';
import { Timeline } from './Timeline';
import { TrackingPanel, trackingQuery } from './TrackingPanel';
import { VitalsPanel } from './VitalsPanel';
import './clinical.css';

/**
 * The chart: banner with alerts, problem list, allergies, medications, vitals with trends, treatment
 * plans and the timeline of encounters and notes. Opening it is audited by the server.
 */
export function ChartPage() {
  const { id = '' } = useParams();
  const can = useCan();
  const [dismissed, setDismissed] = useState(false);
  const chart = useQuery({ queryKey: keys.chart(id), queryFn: () => call('getChart', { params: { id } }) });
  // Read beside the chart and waited for (its answer or its failure), so the page shows once, whole.
  const tracking = useQuery(trackingQuery(id));
  // The title never carries the name: window titles end up in screenshots and task lists.
  useDocumentTitle('Chart');

  if (chart.isPending || tracking.isPending) return <Loading label="Opening the chart…" />;
  if (chart.isError) {
    const err = chart.error;
    const restricted = isApiError(err, 403) && err.code === 'restricted_record';
    return (
      <section className="page">
        <h1 className="page-title">{restricted ? 'Restricted record' : 'Chart not available'}</h1>
        {restricted && can('emergency.access') && !dismissed ? (
          <BreakGlassDialog
            patientId={id}
            message={errorMessage(err)}
            onCancel={() => setDismissed(true)}
            onGranted={() => {
              void chart.refetch();
              void tracking.refetch();
            }}
          />
        ) : (
          <Alert tone="error">{errorMessage(err)}</Alert>
        )}
        <p>
          <Link to="/clinical">Back to my day</Link>
        </p>
      </section>
    );
  }
  return <ChartView key={chart.data.patient.id} chart={chart.data} />;
}

function ChartView({ chart }: { chart: Chart }) {
  const session = useSession();
  const can = useCan();
  const queryClient = useQueryClient();
  const timeZone = session.clinic.timeZone;
  const patientId = chart.patient.id;
  const canWrite = can('chart.write');
  const canWriteNotes = can('notes.write');
  const [older, setOlder] = useState<{
    items: TimelineItem[];
    cursor: string | null;
    loading: boolean;
    error: string | null;
  }>({
    items: [],
    cursor: chart.timeline.nextCursor,
    loading: false,
    error: null,
  });
  const [dialog, setDialog] = useState<
    { kind: 'note'; encounterId: string | null } | { kind: 'encounter' } | null
  >(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = () => {
    setOlder({ items: [], cursor: null, loading: false, error: null });
    void queryClient.invalidateQueries({ queryKey: keys.chart(patientId) });
    void queryClient.invalidateQueries({ queryKey: keys.patientAlerts(patientId) });
  };
  const items = [...chart.timeline.items, ...older.items];
  const cursor = older.items.length ? older.cursor : chart.timeline.nextCursor;
  const loadOlder = async () => {
    if (!cursor) return;
    setOlder((o) => ({ ...o, loading: true, error: null }));
    try {
      const page = await call('getChartTimeline', { params: { id: patientId }, query: { cursor } });
      setOlder((o) => ({
        items: [...o.items, ...page.items],
        cursor: page.nextCursor,
        loading: false,
        error: null,
      }));
    } catch (err) {
      setOlder((o) => ({ ...o, loading: false, error: errorMessage(err) }));
    }
  };
  const encounters = items.flatMap((i) => (i.kind === 'encounter' ? [i.encounter] : []));
  const bannerPatient = summaryOf(chart.patient);

  return (
    <section className="page page-wide chart-page">
      <PatientBanner patient={bannerPatient} timeZone={timeZone} />
      <div className="button-row chart-actions">
        {canWriteNotes ? (
          <Button
            variant="primary"
            onClick={() =>
              setDialog({
                kind: 'note',
                encounterId: encounters[0]?.dateOfService === todayKey(timeZone) ? encounters[0].id : null,
              })
            }
          >
            Write note
          </Button>
        ) : null}
        {canWrite ? <Button onClick={() => setDialog({ kind: 'encounter' })}>Add encounter</Button> : null}
        {canWrite ? (
          <Link className="btn btn-secondary" to={`/patients/${patientId}/treatment-plans/new`}>
            Start treatment plan
          </Link>
        ) : null}
        <Link to={`/patients/${patientId}`}>Demographics and insurance</Link>
        <span className="muted small">
          {chart.counts.encounters} encounter{chart.counts.encounters === 1 ? '' : 's'} · {chart.counts.notes}{' '}
          note{chart.counts.notes === 1 ? '' : 's'}
          {chart.counts.drafts ? ` · ${chart.counts.drafts} of your drafts` : ''}
        </span>
      </div>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <div className="chart-grid">
        <div className="chart-side">
          <AlertsPanel patient={bannerPatient} canWrite={canWrite} onChanged={refresh} />
          <ProblemsPanel
            patientId={patientId}
            canWrite={canWrite}
            onChanged={refresh}
            problems={chart.problems}
            codeSet={chart.codeSet}
          />
          <AllergiesPanel
            patientId={patientId}
            canWrite={canWrite}
            onChanged={refresh}
            allergies={chart.allergies}
          />
          <MedicationsPanel
            patientId={patientId}
            canWrite={canWrite}
            onChanged={refresh}
            medications={chart.medications}
          />
          <VitalsPanel
            patientId={patientId}
            vitals={chart.vitals}
            canWrite={canWrite}
            timeZone={timeZone}
            onChanged={refresh}
          />
        </div>
        <div className="chart-main">
          {chart.treatmentPlans.length ? (
            <section className="chart-panel" aria-labelledby="chart-plans-title">
              <h2 id="chart-plans-title" className="section-title">
                Treatment plans
              </h2>
              <ul className="chart-list">
                {chart.treatmentPlans.map((p) => (
                  <li key={p.id}>
                    <Link to={`/treatment-plans/${p.id}`}>{p.title}</Link> — version {p.version},{' '}
                    {planStatusLabels[p.status as keyof typeof planStatusLabels] ?? p.status}
                    <span className="muted small">
                      {' '}
                      · {p.objectivesAchieved} of {p.objectivesTotal} objectives achieved
                      {p.reviewDate ? ` · review ${formatCalendarDate(p.reviewDate)}` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <TrackingPanel patientId={patientId} canWrite={canWrite} timeZone={timeZone} />
          <section aria-labelledby="chart-timeline-title">
            <h2 id="chart-timeline-title" className="section-title">
              Timeline
            </h2>
            {older.error ? <Alert tone="error">{older.error}</Alert> : null}
            <Timeline
              items={items}
              timeZone={timeZone}
              canWriteNotes={canWriteNotes}
              onNewNote={(encounterId) => setDialog({ kind: 'note', encounterId })}
              hasMore={!!cursor}
              loadingMore={older.loading}
              onLoadMore={() => void loadOlder()}
            />
          </section>
          <PsychotherapyNotes patientId={patientId} timeZone={timeZone} />
        </div>
      </div>
      {dialog?.kind === 'note' ? (
        <NewNoteDialog
          patientId={patientId}
          encounters={encounters}
          encounterId={dialog.encounterId}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'encounter' ? (
        <NewEncounterDialog
          patientId={patientId}
          onClose={() => setDialog(null)}
          onCreated={(e) => {
            setDialog(null);
            setNotice(`Encounter started for ${formatCalendarDate(e.dateOfService)}.`);
            refresh();
            if (canWriteNotes) setDialog({ kind: 'note', encounterId: e.id });
          }}
        />
      ) : null}
    </section>
  );
}

function todayKey(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** Restricted psychotherapy notes, apart from the timeline: the caller's own, or all with emergency access. */
function PsychotherapyNotes({ patientId, timeZone }: { patientId: string; timeZone: string }) {
  const list = useQuery({
    queryKey: keys.psychotherapyNotes(patientId),
    queryFn: () => call('listPsychotherapyNotes', { params: { id: patientId } }),
  });
  if (!list.data || (!list.data.notes.length && !list.data.emergencyAccess)) return null;
  return (
    <section
      className="chart-panel chart-restricted"
      aria-labelledby="chart-psychotherapy-title"
      data-testid="psychotherapy-notes"
    >
      <h2 id="chart-psychotherapy-title" className="section-title">
        Psychotherapy notes (restricted)
      </h2>
      <p className="small">
        {list.data.emergencyAccess
          ? 'You are using emergency access: every author’s psychotherapy notes are listed, and opening one is audited.'
          : 'Kept apart from the chart. Only you (and clinicians using emergency access) can open your psychotherapy notes.'}
      </p>
      <ul className="chart-list">
        {list.data.notes.map((n) => (
          <li key={n.id}>
            <Link to={`/notes/${n.id}`}>{n.title}</Link>{' '}
            <span className={`badge ${statusBadge[n.status] ?? 'badge-muted'}`}>
              {noteStatusLabels[n.status]}
            </span>
            <span className="muted small">
              {' '}
              {n.author.name} · {formatShortDateTime(n.createdAt, timeZone)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
