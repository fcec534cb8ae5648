import { useState } from 'react';
import { Link } from 'react-router';
import {
  encounterTypeLabels,
  noteStatusLabels,
  planStatusLabels,
  type NoteSummary,
  type PlanStatus,
  type TimelineItem,
} from '../../../server/contracts/clinical';
import { Button } from '../../ui/Button';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { statusBadge } from './clinical-format';
import { ChargesPanel } from '../billing/charges/ChargesPanel';

/** The visit's charge lines, opened on demand (they are read from billing, and the read is audited). */
function VisitCharges({ encounterId }: { encounterId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="visit-charges">
      <Button size="small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide charges' : 'Charges'}
      </Button>
      {open ? <ChargesPanel encounterId={encounterId} /> : null}
    </div>
  );
}

function NoteLine({ note, timeZone }: { note: NoteSummary; timeZone: string }) {
  return (
    <li className="timeline-note">
      <Link to={`/notes/${note.id}`}>{note.title}</Link>{' '}
      <span className={`badge ${statusBadge[note.status] ?? 'badge-muted'}`}>
        {noteStatusLabels[note.status]}
      </span>
      <span className="muted small">
        {' '}
        {note.author.name}
        {note.signedAt ? ` · signed ${formatShortDateTime(note.signedAt, timeZone)}` : ''}
        {note.addendaCount ? ` · ${note.addendaCount} addend${note.addendaCount === 1 ? 'um' : 'a'}` : ''}
      </span>
    </li>
  );
}

/** The chart's timeline, newest first: encounters with their notes, notes on their own, plan versions. */
export function Timeline({
  items,
  timeZone,
  onNewNote,
  canWriteNotes,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  items: TimelineItem[];
  timeZone: string;
  onNewNote: (encounterId: string) => void;
  canWriteNotes: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  if (!items.length) {
    return <p className="empty-state">Nothing documented yet. Start an encounter or write a note.</p>;
  }
  return (
    <>
      <ol className="timeline" aria-label="Timeline, newest first">
        {items.map((item) => {
          if (item.kind === 'encounter') {
            const e = item.encounter;
            return (
              <li key={`e-${e.id}`} className="timeline-item" data-testid={`encounter-${e.id}`}>
                <div className="timeline-head">
                  <strong>{formatCalendarDate(e.dateOfService)}</strong> · {encounterTypeLabels[e.type]} with{' '}
                  {e.provider.name}
                  {e.locationName ? ` · ${e.locationName}` : ''}
                  {e.appointmentId ? <span className="badge badge-muted">Scheduled visit</span> : null}
                </div>
                {e.reason ? <p className="small">{e.reason}</p> : null}
                {e.diagnoses.length ? (
                  <p className="small">
                    {e.diagnoses.map((d) => (
                      <span key={d.code} className="dx">
                        <code>{d.code}</code> {d.description}
                      </span>
                    ))}
                  </p>
                ) : null}
                <ul className="timeline-notes">
                  {e.notes.map((n) => (
                    <NoteLine key={n.id} note={n} timeZone={timeZone} />
                  ))}
                </ul>
                {canWriteNotes ? (
                  <Button size="small" onClick={() => onNewNote(e.id)}>
                    Write a note for this visit
                  </Button>
                ) : null}
                <VisitCharges encounterId={e.id} />
              </li>
            );
          }
          if (item.kind === 'note') {
            return (
              <li key={`n-${item.note.id}`} className="timeline-item">
                <div className="timeline-head">
                  <strong>{formatShortDateTime(item.at, timeZone)}</strong> · {item.note.templateName}
                </div>
                <ul className="timeline-notes">
                  <NoteLine note={item.note} timeZone={timeZone} />
                </ul>
              </li>
            );
          }
          return (
            <li key={`p-${item.plan.id}`} className="timeline-item">
              <div className="timeline-head">
                <strong>{formatShortDateTime(item.at, timeZone)}</strong> · Treatment plan
              </div>
              <p className="small">
                <Link to={`/treatment-plans/${item.plan.id}`}>{item.plan.title}</Link> — version{' '}
                {item.plan.version} ({planStatusLabels[item.plan.status as PlanStatus] ?? item.plan.status})
              </p>
            </li>
          );
        })}
      </ol>
      {hasMore ? (
        <Button onClick={onLoadMore} busy={loadingMore} busyLabel="Loading…">
          Show older entries
        </Button>
      ) : null}
    </>
  );
}
