import ICAL from 'ical.js';

/**
 * An outside oracle for Tessera's iCalendar exports: the independent parser ical.js reads the text, takes
 * the time zone only from the file's own VTIMEZONE, and expands every event (RRULE, EXDATE, overriding
 * instances by RECURRENCE-ID) into the instants a calendar program would show.
 */

export interface OracleInstance {
  uid: string;
  start: string;
  end: string;
  summary: string;
}

export function oracleInstances(text: string, limit = 5000): OracleInstance[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  // Only the file's own zone definitions: nothing from an earlier test or a built-in table.
  ICAL.TimezoneService.reset();
  for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const byUid = new Map<string, { master?: ICAL.Component; exceptions: ICAL.Component[] }>();
  for (const ve of calendar.getAllSubcomponents('vevent')) {
    const uid = String(ve.getFirstPropertyValue('uid'));
    const entry = byUid.get(uid) ?? { exceptions: [] };
    if (ve.hasProperty('recurrence-id')) entry.exceptions.push(ve);
    else entry.master = ve;
    byUid.set(uid, entry);
  }
  const out: OracleInstance[] = [];
  for (const [uid, { master, exceptions }] of byUid) {
    if (!master) throw new Error(`An overriding instance without its event: ${uid}`);
    const event = new ICAL.Event(master, { strictExceptions: true, exceptions });
    if (!event.isRecurring()) {
      out.push(instance(uid, event.startDate, event.endDate, event.summary));
      continue;
    }
    const it = event.iterator();
    for (let next = it.next(); next; next = it.next()) {
      if (out.length > limit) throw new Error('The export expands to more instances than expected.');
      const d = event.getOccurrenceDetails(next);
      out.push(instance(uid, d.startDate, d.endDate, d.item.summary));
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start) || a.uid.localeCompare(b.uid));
}

function instance(uid: string, start: ICAL.Time, end: ICAL.Time, summary: string): OracleInstance {
  return { uid, start: start.toJSDate().toISOString(), end: end.toJSDate().toISOString(), summary };
}
