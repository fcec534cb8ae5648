import { and, eq, isNull } from 'drizzle-orm';
import type { SetupChecklist, SetupStep } from '../../../contracts/admin/setup-checklist';
import { appointmentTypes, locations, providerProfiles, users, workingHours } from '../../db/schema';
import type { Store } from '../../db/store';
import { readSyncState, isEnrolled } from '../../sync/state';
import { codeSet } from '../clinical/icd10/code-set';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The new clinic's set-up, read from what exists rather than from boxes someone ticked: a step is done when
 * its data is there, so the checklist ticks itself off (and un-ticks when, say, the last location is
 * retired).
 */
export function setupChecklist(store: Store): SetupChecklist {
  const clinicId = store.requireClinicId();
  const live = <T extends { clinicId: unknown; deletedAt: unknown }>(t: T) =>
    and(eq(t.clinicId as never, clinicId), isNull(t.deletedAt as never));

  const activeLocations = store.orm
    .select({ id: locations.id })
    .from(locations)
    .where(and(live(locations), eq(locations.active, true)))
    .all().length;
  const activeTypes = store.orm
    .select({ id: appointmentTypes.id })
    .from(appointmentTypes)
    .where(and(live(appointmentTypes), eq(appointmentTypes.active, true)))
    .all().length;
  const providers = store.orm
    .select({ id: providerProfiles.id })
    .from(providerProfiles)
    .where(and(live(providerProfiles), eq(providerProfiles.active, true)))
    .all();
  const withHours = new Set(
    store.orm
      .select({ providerId: workingHours.providerId })
      .from(workingHours)
      .where(live(workingHours))
      .all()
      .map((r) => r.providerId),
  );
  const providersWithHours = providers.filter((p) => withHours.has(p.id)).length;
  const staff = store.orm
    .select({ id: users.id })
    .from(users)
    .where(and(live(users), eq(users.active, true)))
    .all().length;
  const codes = codeSet(store).status;
  const enrolled = isEnrolled(readSyncState(store));

  const steps: Omit<SetupStep, 'optional'>[] = [
    { key: 'locations', done: activeLocations > 0, detail: plural(activeLocations, 'location') },
    {
      key: 'appointment_types',
      done: activeTypes > 0,
      detail: plural(activeTypes, 'appointment type'),
    },
    {
      key: 'providers',
      done: providers.length > 0 && providersWithHours === providers.length,
      detail: providers.length
        ? `${providersWithHours} of ${plural(providers.length, 'provider')} with working hours`
        : 'No providers yet',
    },
    // The first administrator alone is not a staff: someone else signs in too.
    { key: 'staff', done: staff > 1, detail: plural(staff, 'staff account') },
    {
      key: 'code_set',
      done: codes.codeCount > 0,
      detail:
        codes.codeCount > 0 ? `${codes.codeCount.toLocaleString('en-US')} codes installed` : 'None installed',
    },
    {
      key: 'central_server',
      done: enrolled,
      detail: enrolled ? 'Enrolled' : 'Not connected',
    },
  ];
  const all = steps.map((s) => ({ ...s, optional: s.key === 'central_server' }));
  return { steps: all, complete: all.every((s) => s.done || s.optional) };
}
