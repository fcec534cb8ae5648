import { useQuery } from '@tanstack/react-query';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { Alert } from '../../ui/Alert';
import { Loading } from '../../ui/Page';
import { isoWeekday, monthTitle } from './clinic-time';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A month at a glance: appointments per day (cancelled and no-shows apart); a day opens the day view. */
export function MonthView({
  month,
  providerId,
  today,
  onOpenDay,
}: {
  month: string;
  providerId: string | null;
  today: string;
  onOpenDay(date: string): void;
}) {
  const query = { month, ...(providerId && { providerId }) };
  const summary = useQuery({
    queryKey: keys.month(query),
    queryFn: ({ queryKey, signal }) =>
      call('getMonthSummary', { query, signal, background: isLiveRefresh(queryKey) }),
  });
  if (summary.isPending) return <Loading label="Loading the month…" />;
  if (summary.isError) return <Alert tone="error">{errorMessage(summary.error)}</Alert>;
  const days = summary.data.days;
  const lead = isoWeekday(days[0]!.date) - 1;
  return (
    <table className="month-grid" aria-label={`${monthTitle(month)} overview`}>
      <thead>
        <tr>
          {WEEKDAYS.map((d) => (
            <th key={d} scope="col">
              {d}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: Math.ceil((lead + days.length) / 7) }, (_, week) => (
          <tr key={week}>
            {Array.from({ length: 7 }, (_, i) => {
              const day = days[week * 7 + i - lead];
              if (!day) return <td key={i} className="month-empty" />;
              return (
                <td
                  key={i}
                  className={[
                    day.date === today ? 'month-today' : '',
                    day.blocked ? 'month-blocked' : '',
                  ].join(' ')}
                >
                  <button
                    type="button"
                    className="month-day"
                    onClick={() => onOpenDay(day.date)}
                    data-testid={`month-${day.date}`}
                  >
                    <span className="month-date">{Number(day.date.slice(8))}</span>
                    <span className="month-count">
                      {day.booked ? `${day.booked} booked` : 'Free'}
                      {day.blocked ? ' · blocked' : ''}
                    </span>
                    {day.cancelled || day.noShow ? (
                      <span className="month-extra">
                        {day.cancelled ? `${day.cancelled} cancelled` : ''}
                        {day.cancelled && day.noShow ? ', ' : ''}
                        {day.noShow ? `${day.noShow} no-show` : ''}
                      </span>
                    ) : null}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
