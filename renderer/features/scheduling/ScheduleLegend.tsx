import type { CSSProperties } from 'react';
import { appointmentStatusLabels, type AppointmentType } from '../../../server/contracts/scheduling';

const STATUSES = ['arrived', 'roomed', 'with_provider', 'checked_out', 'no_show', 'cancelled'] as const;

/** What the grid's colours mean: appointment types (the card's left edge) and visit statuses (its badge). */
export function ScheduleLegend({ types }: { types: AppointmentType[] }) {
  return (
    <div className="schedule-legend" aria-label="Legend">
      <ul className="schedule-legend-list" aria-label="Appointment types">
        {types.map((t) => (
          <li
            key={t.id}
            className="schedule-legend-type"
            style={{ '--type-color': t.color } as CSSProperties}
          >
            {t.name}
          </li>
        ))}
      </ul>
      <ul className="schedule-legend-list" aria-label="Statuses">
        {STATUSES.map((s) => (
          <li key={s}>
            <span className={`appt-status appt-status-${s}`}>{appointmentStatusLabels[s]}</span>
          </li>
        ))}
        <li>
          <span className="appt-flag-warn">⚠</span> Double-booked
        </li>
        <li>
          <span className="appt-flag-override">⊘</span> Override
        </li>
      </ul>
    </div>
  );
}
