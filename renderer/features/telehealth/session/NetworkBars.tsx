import type { NetworkQualityLevel } from '../provider/video-provider';
import { useVisitText } from '../i18n/visit-text';

/** Five bars with a text equivalent (meaning never rests on colour or shape alone). */
export function NetworkBars({ level }: { level: NetworkQualityLevel | null }) {
  const { t } = useVisitText();
  const label = level === null ? t('net.notMeasured') : t('net.label', { word: t(`net.${level}`), level });
  const tone = level === null ? 'unknown' : level <= 1 ? 'bad' : level <= 2 ? 'weak' : 'ok';
  return (
    <span className={`netbars netbars-${tone}`} role="img" aria-label={label} title={label} data-level={level ?? ''}>
      {[1, 2, 3, 4, 5].map((bar) => (
        <span key={bar} className={level !== null && bar <= level ? 'netbar netbar-on' : 'netbar'} />
      ))}
    </span>
  );
}
