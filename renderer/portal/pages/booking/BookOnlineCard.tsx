import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { SelfBookingOptions } from '../../../../server/contracts/portal/self-booking';
import { portal } from '../../api';
import { useI18n } from '../../i18n';

/**
 * "Book online" on the appointments page: shown only when the clinic lets this account book some kind of
 * visit online (nothing otherwise, not even on a failure: requesting an appointment stays below).
 */
export function BookOnlineCard() {
  const { t } = useI18n();
  const [options, setOptions] = useState<SelfBookingOptions | null>(null);
  useEffect(() => {
    portal('portalSelfBookingOptions')
      .then(setOptions)
      .catch(() => undefined);
  }, []);
  if (!options || !options.mayBook || options.types.length === 0) return null;
  return (
    <section className="portal-card" aria-labelledby="book-online-title">
      <h2 id="book-online-title" className="portal-subtitle">
        {t('bk.title')}
      </h2>
      <p>{t('bk.intro')}</p>
      <div className="portal-actions">
        <Link className="btn btn-primary" to="/book">
          {t('bk.start')}
        </Link>
      </div>
    </section>
  );
}
