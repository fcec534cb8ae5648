import type { NetworkQualityLevel } from '../provider/video-provider';

const WORDS = ['No connection', 'Very poor', 'Poor', 'Fair', 'Good', 'Excellent'];

/** Five bars with a text equivalent (meaning never rests on colour or shape alone). */
export function NetworkBars({ level }: { level: NetworkQualityLevel | null }) {
  const label = level === null ? 'Network quality not measured yet' : `Network: ${WORDS[level]} (${level} of 5)`;
  const tone = level === null ? 'unknown' : level <= 1 ? 'bad' : level <= 2 ? 'weak' : 'ok';
  return (
    <span className={`netbars netbars-${tone}`} role="img" aria-label={label} title={label} data-level={level ?? ''}>
      {[1, 2, 3, 4, 5].map((bar) => (
        <span key={bar} className={level !== null && bar <= level ? 'netbar netbar-on' : 'netbar'} />
      ))}
    </span>
  );
}
