import { useMemo } from 'react';
import { useI18n } from '../../i18n';

/** Dates on the billing page in the patient's language: service days (no time zone shift) and instants. */
export function useDates() {
  const { lang } = useI18n();
  return useMemo(() => {
    const dayFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
    const atFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      /** A calendar day `YYYY-MM-DD`. */
      day: (d: string) => dayFmt.format(new Date(`${d}T00:00:00Z`)),
      dateTime: (iso: string) => atFmt.format(new Date(iso)),
    };
  }, [lang]);
}
