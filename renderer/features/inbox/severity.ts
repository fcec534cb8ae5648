import { instruments, type InstrumentId } from '../../../server/contracts/questionnaires/instruments';

/** A severity band's English label ("Moderately severe") for staff screens. */
export const severityLabel = (instrument: InstrumentId, key: string): string =>
  instruments[instrument].bands.find((b) => b.key === key)?.label.en ?? key;
