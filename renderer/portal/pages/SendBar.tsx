import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';

/**
 * The end of a portal form: the refusal (if any), then the send button kept above the phone's keyboard and
 * home indicator. One piece for the questionnaire, intake and consent forms.
 */
export function SendBar(props: { failure: string | null; busy: boolean; label: string; busyLabel: string }) {
  return (
    <>
      {props.failure ? <Alert tone="error">{props.failure}</Alert> : null}
      <div className="portal-actions portal-sticky-actions">
        <Button type="submit" variant="primary" busy={props.busy} busyLabel={props.busyLabel}>
          {props.label}
        </Button>
      </div>
    </>
  );
}
