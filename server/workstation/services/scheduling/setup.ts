import { and, asc, eq, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type {
  AppointmentType,
  Location,
  Provider,
  Room,
  WorkingHoursEntry,
  appointmentTypeCreateSchema,
  appointmentTypeUpdateSchema,
  locationCreateSchema,
  locationUpdateSchema,
  providerCreateSchema,
  providerUpdateSchema,
  roomCreateSchema,
  roomUpdateSchema,
} from '../../../contracts/scheduling';
import { isValidNpi } from '../../../domain/scheduling/npi';
import { appointmentTypes, locations, providerProfiles, rooms, users, workingHours } from '../../db/schema';
import type { Actor, Store, Writer } from '../../db/store';
import { AppError, fieldError, notFound } from '../../../platform/errors';
import { getClinicInfo } from '../settings/clinic-info';
import { cached } from './setup-cache';
import { liveRow } from '../../db/live-row';

/**
 * Scheduling set-up: provider profiles (for staff who see patients), locations and their rooms,
 * appointment types and weekly working hours. Changes are audited as `schedule.settings_update`.
 */

type ProviderRow = typeof providerProfiles.$inferSelect;

const audit = (w: Writer, what: string, id: string, detail: Record<string, unknown> = {}) =>
  w.audit({ action: 'schedule.settings_update', detail: { what, id, ...detail } });

function checkNpi(npi: string | null | undefined): void {
  if (npi && !isValidNpi(npi)) {
    throw fieldError(
      'npi',
      'This NPI’s check digit does not match. Check the 10 digits against the NPI registry.',
    );
  }
}

export function listProviders(store: Store): Provider[] {
  return cached(store, 'providers', () => loadProviders(store));
}

function loadProviders(store: Store): Provider[] {
  return store.orm
    .select({ p: providerProfiles, name: users.fullName })
    .from(providerProfiles)
    .innerJoin(users, eq(users.id, providerProfiles.userId))
    .where(liveRow(providerProfiles, store.requireClinicId()))
    .orderBy(asc(users.fullName))
    .all()
    .map(({ p, name }) => toProvider(p, name));
}

const toProvider = (p: ProviderRow, name: string): Provider => ({
  id: p.id,
  userId: p.userId,
  name,
  credentials: p.credentials,
  npi: p.npi,
  specialty: p.specialty,
  color: p.color,
  active: p.active,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

export function getProvider(store: Store, id: string): Provider {
  const provider = listProviders(store).find((p) => p.id === id);
  if (!provider) throw notFound('That provider');
  return provider;
}

export function createProvider(
  store: Store,
  actor: Actor,
  input: z.infer<typeof providerCreateSchema>,
): Provider {
  checkNpi(input.npi);
  const clinicId = store.requireClinicId();
  const user = store.orm
    .select()
    .from(users)
    .where(and(eq(users.id, input.userId), liveRow(users, clinicId)))
    .get();
  if (!user) throw fieldError('userId', 'Choose a staff member of this clinic.');
  const existing = store.orm
    .select({ id: providerProfiles.id })
    .from(providerProfiles)
    .where(and(eq(providerProfiles.userId, input.userId), isNull(providerProfiles.deletedAt)))
    .get();
  if (existing) throw fieldError('userId', 'This staff member already has a provider profile.');
  const now = store.nowIso();
  const id = uuidv7();
  store.write(actor, (w) => {
    w.insert('provider_profiles', { id, clinicId, ...input, createdAt: now, updatedAt: now });
    audit(w, 'provider', id, { userId: input.userId });
  });
  return getProvider(store, id);
}

export function updateProvider(
  store: Store,
  actor: Actor,
  id: string,
  patch: z.infer<typeof providerUpdateSchema>,
): Provider {
  getProvider(store, id);
  checkNpi(patch.npi);
  store.write(actor, (w) => {
    w.update('provider_profiles', id, { ...patch, updatedAt: store.nowIso() });
    audit(w, 'provider', id, { fields: Object.keys(patch) });
  });
  return getProvider(store, id);
}

// ---------------------------------------------------------------- locations and rooms

export function listLocations(store: Store): Location[] {
  return cached(store, 'locations', () => loadLocations(store));
}

function loadLocations(store: Store): Location[] {
  const clinicId = store.requireClinicId();
  const roomRows = store.orm
    .select()
    .from(rooms)
    .where(liveRow(rooms, clinicId))
    .orderBy(asc(rooms.name))
    .all();
  return store.orm
    .select()
    .from(locations)
    .where(liveRow(locations, clinicId))
    .orderBy(asc(locations.name))
    .all()
    .map((l) => ({
      id: l.id,
      name: l.name,
      address: l.address,
      active: l.active,
      rooms: roomRows.filter((r) => r.locationId === l.id).map(toRoom),
    }));
}

const toRoom = (r: typeof rooms.$inferSelect): Room => ({
  id: r.id,
  locationId: r.locationId,
  name: r.name,
  active: r.active,
});

function getLocation(store: Store, id: string): Location {
  const location = listLocations(store).find((l) => l.id === id);
  if (!location) throw notFound('That location');
  return location;
}

export function createLocation(
  store: Store,
  actor: Actor,
  input: z.infer<typeof locationCreateSchema>,
): Location {
  const now = store.nowIso();
  const id = uuidv7();
  store.write(actor, (w) => {
    w.insert('locations', {
      id,
      clinicId: store.requireClinicId(),
      ...input,
      createdAt: now,
      updatedAt: now,
    });
    audit(w, 'location', id);
  });
  return getLocation(store, id);
}

export function updateLocation(
  store: Store,
  actor: Actor,
  id: string,
  patch: z.infer<typeof locationUpdateSchema>,
): Location {
  getLocation(store, id);
  store.write(actor, (w) => {
    w.update('locations', id, { ...patch, updatedAt: store.nowIso() });
    audit(w, 'location', id, { fields: Object.keys(patch) });
  });
  return getLocation(store, id);
}

function getRoom(store: Store, id: string): Room {
  const row = store.orm
    .select()
    .from(rooms)
    .where(and(eq(rooms.id, id), liveRow(rooms, store.requireClinicId())))
    .get();
  if (!row) throw notFound('That room');
  return toRoom(row);
}

export function createRoom(store: Store, actor: Actor, input: z.infer<typeof roomCreateSchema>): Room {
  const location = listLocations(store).find((l) => l.id === input.locationId);
  if (!location) throw fieldError('locationId', 'Choose a location of this clinic.');
  if (location.rooms.some((r) => r.name.toLowerCase() === input.name.toLowerCase())) {
    throw fieldError('name', 'This location already has a room with that name.');
  }
  const now = store.nowIso();
  const id = uuidv7();
  store.write(actor, (w) => {
    w.insert('rooms', { id, clinicId: store.requireClinicId(), ...input, createdAt: now, updatedAt: now });
    audit(w, 'room', id);
  });
  return getRoom(store, id);
}

export function updateRoom(
  store: Store,
  actor: Actor,
  id: string,
  patch: z.infer<typeof roomUpdateSchema>,
): Room {
  getRoom(store, id);
  store.write(actor, (w) => {
    w.update('rooms', id, { ...patch, updatedAt: store.nowIso() });
    audit(w, 'room', id, { fields: Object.keys(patch) });
  });
  return getRoom(store, id);
}

// ---------------------------------------------------------------- appointment types

export function listAppointmentTypes(store: Store): AppointmentType[] {
  return cached(store, 'types', () => loadAppointmentTypes(store));
}

function loadAppointmentTypes(store: Store): AppointmentType[] {
  return store.orm
    .select()
    .from(appointmentTypes)
    .where(liveRow(appointmentTypes, store.requireClinicId()))
    .orderBy(asc(appointmentTypes.name))
    .all()
    .map((t) => ({
      id: t.id,
      name: t.name,
      durationMinutes: t.durationMinutes,
      defaultRoomId: t.defaultRoomId,
      color: t.color,
      modality: t.modality,
      active: t.active,
    }));
}

export function getAppointmentType(store: Store, id: string): AppointmentType {
  const type = listAppointmentTypes(store).find((t) => t.id === id);
  if (!type) throw notFound('That appointment type');
  return type;
}

function checkDefaultRoom(store: Store, roomId: string | null | undefined) {
  if (!roomId) return;
  try {
    getRoom(store, roomId);
  } catch {
    throw fieldError('defaultRoomId', 'Choose a room of this clinic.');
  }
}

export function createAppointmentType(
  store: Store,
  actor: Actor,
  input: z.infer<typeof appointmentTypeCreateSchema>,
): AppointmentType {
  checkDefaultRoom(store, input.defaultRoomId);
  const now = store.nowIso();
  const id = uuidv7();
  store.write(actor, (w) => {
    w.insert('appointment_types', {
      id,
      clinicId: store.requireClinicId(),
      ...input,
      createdAt: now,
      updatedAt: now,
    });
    audit(w, 'appointment_type', id);
  });
  return getAppointmentType(store, id);
}

export function updateAppointmentType(
  store: Store,
  actor: Actor,
  id: string,
  patch: z.infer<typeof appointmentTypeUpdateSchema>,
): AppointmentType {
  getAppointmentType(store, id);
  checkDefaultRoom(store, patch.defaultRoomId);
  store.write(actor, (w) => {
    w.update('appointment_types', id, { ...patch, updatedAt: store.nowIso() });
    audit(w, 'appointment_type', id, { fields: Object.keys(patch) });
  });
  return getAppointmentType(store, id);
}

// ---------------------------------------------------------------- working hours

export function getWorkingHours(store: Store, providerId: string): WorkingHoursEntry[] {
  return store.orm
    .select()
    .from(workingHours)
    .where(and(eq(workingHours.providerId, providerId), isNull(workingHours.deletedAt)))
    .orderBy(asc(workingHours.weekday), asc(workingHours.startTime))
    .all()
    .map((h) => ({ locationId: h.locationId, weekday: h.weekday, start: h.startTime, end: h.endTime }));
}

/** Replace a provider's weekly template. Overlapping intervals on one day are refused. */
export function setWorkingHours(
  store: Store,
  actor: Actor,
  providerId: string,
  hours: WorkingHoursEntry[],
): WorkingHoursEntry[] {
  getProvider(store, providerId);
  const locationIds = new Set(listLocations(store).map((l) => l.id));
  hours.forEach((h, i) => {
    if (!locationIds.has(h.locationId))
      throw fieldError(`hours.${i}.locationId`, 'Choose a location of this clinic.');
  });
  const sorted = [...hours].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.weekday === b.weekday && b.start < a.end) {
      throw new AppError(
        400,
        'overlapping_hours',
        'Two working-hours intervals on the same day overlap. Adjust one of them.',
      );
    }
  }
  const clinicId = store.requireClinicId();
  const now = store.nowIso();
  store.write(actor, (w) => {
    const current = store.orm
      .select({ id: workingHours.id })
      .from(workingHours)
      .where(and(eq(workingHours.providerId, providerId), isNull(workingHours.deletedAt)))
      .all();
    for (const row of current) w.update('working_hours', row.id, { deletedAt: now, updatedAt: now });
    for (const h of sorted) {
      w.insert('working_hours', {
        id: uuidv7(),
        clinicId,
        providerId,
        locationId: h.locationId,
        weekday: h.weekday,
        startTime: h.start,
        endTime: h.end,
        createdAt: now,
        updatedAt: now,
      });
    }
    audit(w, 'working_hours', providerId, { intervals: sorted.length });
  });
  return getWorkingHours(store, providerId);
}

/** Every active provider's weekly template, for views and conflict checks. */
export function allWorkingHours(store: Store): Map<string, WorkingHoursEntry[]> {
  return cached(store, 'hours', () => loadAllWorkingHours(store));
}

function loadAllWorkingHours(store: Store): Map<string, WorkingHoursEntry[]> {
  const map = new Map<string, WorkingHoursEntry[]>();
  const rows = store.orm
    .select()
    .from(workingHours)
    .where(liveRow(workingHours, store.requireClinicId()))
    .all();
  for (const h of rows) {
    const list = map.get(h.providerId) ?? [];
    list.push({ locationId: h.locationId, weekday: h.weekday, start: h.startTime, end: h.endTime });
    map.set(h.providerId, list);
  }
  return map;
}

/** Names for messages: providers, rooms and locations by id. */
export interface Names {
  provider(id: string): string;
  room(id: string): string;
  location(id: string): string;
}

export function loadNames(store: Store): Names {
  return cached(store, 'names', () => buildNames(store));
}

function buildNames(store: Store): Names {
  const providers = new Map(listProviders(store).map((p) => [p.id, p.name]));
  const locs = listLocations(store);
  const locationNames = new Map(locs.map((l) => [l.id, l.name]));
  const roomNames = new Map(locs.flatMap((l) => l.rooms.map((r) => [r.id, r.name] as const)));
  return {
    provider: (id) => providers.get(id) ?? 'The provider',
    room: (id) => roomNames.get(id) ?? 'The room',
    location: (id) => locationNames.get(id) ?? 'this location',
  };
}

/** The clinic's IANA time zone (set at first run). */
export const clinicZone = (store: Store): string =>
  cached(store, 'zone', () => getClinicInfo(store).timeZone);
