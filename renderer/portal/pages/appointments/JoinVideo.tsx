import { useEffect, useState } from 'react';
import type { PortalAppointment } from '../../../../server/contracts/portal';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { portal } from '../../api';
import { useI18n } from '../../i18n';

/** The clock the button follows: checked every 20 seconds, so it appears (and goes) without a reload. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return now;
}

/**
 * "Join video visit" on an upcoming video visit, from when its join link works until the appointment ends.
 * Pressing it asks central for the visit's join page (the clinic's link for this visit) and goes there: the
 * telehealth waiting room. A refusal (the clinic has not opened the visit yet) is a sentence beside it.
 */
export function JoinVideo({ a }: { a: PortalAppointment }) {
  const { t, errorText } = useI18n();
  const now = useNow(20_000);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (!a.videoJoinFrom || now < Date.parse(a.videoJoinFrom) || now >= Date.parse(a.endsAt)) return null;
  const join = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const { url } = await portal('portalJoinVideo', { params: { id: a.id } });
      window.location.assign(url);
    } catch (err) {
      setFailure(errorText(err));
      setBusy(false);
    }
  };
  return (
    <div className="portal-join">
      <Button variant="primary" busy={busy} onClick={() => void join()}>
        {t('appts.join')}
      </Button>
      <p className="portal-muted">{t('appts.joinHelp')}</p>
      {failure ? <Alert tone="error">{failure}</Alert> : null}
    </div>
  );
}
