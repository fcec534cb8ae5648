import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Note } from '../../../server/contracts/clinical';
import { ApiError, call, errorMessage } from '../../api/client';
import { useSession } from '../../app/auth';
import { Button } from '../../ui/Button';
import { formatShortDateTime } from '../../ui/format';
import { VisitSummaryPreview } from './VisitSummaryPreview';

/**
 * On a signed note: whether its visit summary is in the patient's portal (since when, how often the patient
 * downloaded it), **Share summary to portal** (after a preview), **Withdraw** and **Share again**. A note
 * with nothing written for the patient, or no central, is said in a sentence instead.
 */
export function NoteSummaryShare({ note }: { note: Note }) {
  const session = useSession();
  const qc = useQueryClient();
  const [previewing, setPreviewing] = useState(false);
  const key = ['note-summary-status', note.id];
  const status = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => call('noteSummaryStatus', { params: { id: note.id }, signal }),
    retry: false,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const share = useMutation({
    mutationFn: () => call('shareNoteSummary', { params: { id: note.id } }),
    onSuccess: () => {
      setPreviewing(false);
      refresh();
    },
  });
  const withdraw = useMutation({
    mutationFn: () => call('withdrawNoteSummary', { params: { id: note.id } }),
    onSuccess: refresh,
  });
  const shared = status.data?.shared ?? null;
  const live = shared && !shared.withdrawnAt;
  const empty = status.error instanceof ApiError && status.error.code === 'summary_empty';

  return (
    <section
      className="note-section"
      aria-labelledby="portal-summary-title"
      data-testid="note-portal-summary"
    >
      <h2 id="portal-summary-title" className="section-title">
        Patient portal
      </h2>
      {status.isPending ? <p role="status">Checking the portal…</p> : null}
      {status.isError ? (
        <p className={empty ? 'muted' : 'field-error'} role={empty ? undefined : 'alert'}>
          {errorMessage(status.error)}
        </p>
      ) : null}
      {status.isSuccess ? (
        <p data-testid="portal-summary-state">
          {live
            ? `The visit summary is in the patient’s portal since ${formatShortDateTime(shared.sharedAt, session.clinic.timeZone)}${shared.downloads ? ` · downloaded ${shared.downloads}×` : ' · not downloaded yet'}.`
            : shared
              ? 'The visit summary was withdrawn from the patient’s portal.'
              : 'The patient has not been given a summary of this visit in the portal.'}
        </p>
      ) : null}
      {withdraw.isError ? (
        <p role="alert" className="field-error">
          {errorMessage(withdraw.error)}
        </p>
      ) : null}
      {status.isSuccess ? (
        <div className="button-row">
          {live ? (
            <Button busy={withdraw.isPending} busyLabel="Withdrawing…" onClick={() => withdraw.mutate()}>
              Withdraw from portal
            </Button>
          ) : (
            <Button onClick={() => setPreviewing(true)}>
              {shared ? 'Share summary again' : 'Share summary to portal'}
            </Button>
          )}
        </div>
      ) : null}
      {previewing ? (
        <VisitSummaryPreview
          noteId={note.id}
          sharing={share.isPending}
          onShare={() => share.mutate()}
          onClose={() => {
            share.reset();
            setPreviewing(false);
          }}
          error={share.isError ? errorMessage(share.error) : null}
        />
      ) : null}
    </section>
  );
}
