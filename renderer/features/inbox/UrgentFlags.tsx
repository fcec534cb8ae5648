import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UrgentFlag } from '../../../server/contracts/inbox';
import { instruments } from '../../../server/contracts/questionnaires/instruments';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatShortDateTime } from '../../ui/format';
import { severityLabel } from './severity';

/**
 * Urgent questionnaire flags (a non-zero PHQ-9 item 9) at the top of the inbox until a clinician marks each
 * reviewed: who, which questionnaire, the score, when. The clinic's own protocol for risk applies; this
 * makes sure nobody misses the answer.
 */
export function UrgentFlags({ flags, zone }: { flags: UrgentFlag[]; zone: string }) {
  const queryClient = useQueryClient();
  const review = useMutation({
    mutationFn: (f: UrgentFlag) =>
      call('questionnaireReview', { params: { patientId: f.patientId, id: f.id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.inboxAll }),
  });
  if (!flags.length) return null;
  return (
    <section className="inbox-flags" aria-label="Urgent questionnaire flags" data-testid="urgent-flags">
      {review.error ? <Alert tone="error">{errorMessage(review.error)}</Alert> : null}
      <ul>
        {flags.map((f) => (
          <li key={f.id} className="inbox-flag">
            <span className="badge badge-danger">Urgent</span>
            <span>
              <Link to={`/patients/${f.patientId}`}>{f.patientName}</Link> answered{' '}
              {instruments[f.instrument].name} question 9 (thoughts of self-harm) above “Not at all”. Score{' '}
              {f.totalScore} ({severityLabel(f.instrument, f.severity)}),{' '}
              {formatShortDateTime(f.submittedAt, zone)}.
            </span>
            <Button
              size="small"
              busy={review.isPending && review.variables?.id === f.id}
              onClick={() => review.mutate(f)}
            >
              Mark reviewed
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
