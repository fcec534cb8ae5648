import type { ChargeLine, VisitCharges } from '../../../../server/contracts/billing/charges';
import { formatCents } from '../../../../server/contracts/billing/money';
import { Button } from '../../../ui/Button';
import { formatCalendarDate } from '../../../ui/format';
import { ChargeLineRow } from './ChargeLineRow';

/** The visit's charge lines: drafts editable in place while the visit is open, the rest read-only with Reverse. */
export function ChargeLinesTable({
  charges: v,
  encounterId,
  editable,
  mayPost,
  onSaved,
  onRemove,
  onReverse,
}: {
  charges: VisitCharges;
  encounterId: string;
  /** The visit is open and the user may edit drafts. */
  editable: boolean;
  mayPost: boolean;
  onSaved: (v: VisitCharges) => void;
  onRemove: (lineId: string) => void;
  onReverse: (line: ChargeLine) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="table table-dense charges-table" aria-label="Charge lines">
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col" className="num">
              Units
            </th>
            <th scope="col">Modifiers</th>
            <th scope="col">Dx</th>
            <th scope="col">POS</th>
            <th scope="col" className="num">
              Fee
            </th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {v.lines.map((l) =>
            editable && l.status === 'draft' ? (
              <ChargeLineRow
                key={`${l.id}-${l.units}-${l.unitFeeCents}-${l.modifiers.join()}-${l.placeOfService}-${l.diagnosisPointers.join()}`}
                line={l}
                encounterId={encounterId}
                onSaved={onSaved}
                onRemove={() => onRemove(l.id)}
              />
            ) : (
              <tr key={l.id} className={l.status === 'reversed' ? 'line-reversed' : undefined}>
                <th scope="row">
                  <span className="bs-code">{l.code}</span> <span className="bs-sub">{l.description}</span>
                  <span className="bs-sub bs-block">
                    {l.renderingProviderName} · {formatCalendarDate(l.dateOfService)}
                  </span>
                </th>
                <td className="num">{l.units}</td>
                <td className="bs-code">{l.modifiers.join(', ') || '—'}</td>
                <td>{l.diagnosisPointers.join(', ')}</td>
                <td className="bs-code">{l.placeOfService}</td>
                <td className="num money">{formatCents(l.unitFeeCents)}</td>
                <td className="num money">{formatCents(l.amountCents)}</td>
                <td>
                  <span className={`status-chip status-${l.status}`}>
                    {l.status === 'posted' ? 'Posted' : l.status === 'reversed' ? 'Reversed' : 'Draft'}
                  </span>
                </td>
                <td>
                  {l.status === 'posted' && mayPost ? (
                    <Button size="small" onClick={() => onReverse(l)} aria-label={`Reverse ${l.code}`}>
                      Reverse
                    </Button>
                  ) : null}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
