import type { ReactNode } from 'react';

/** A titled panel of the patient record with an optional action button in its header. */
export function RecordPanel({
  title,
  action,
  children,
}: {
  title: string;
  action?: ReactNode;
  children: ReactNode;
}) {
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

/**
 * Label/value pairs. Each pair is one row of a two-column grid (labels one column, values the other), so a
 * long value wraps inside its own cell instead of running under the next label.
 */
export function Facts({ rows }: { rows: [string, string][] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label} className="facts-row">
          <dt>{label}</dt>
          <dd>{value || <span className="muted">Not recorded</span>}</dd>
        </div>
      ))}
    </dl>
  );
}
