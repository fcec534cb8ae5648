import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { v7 as uuidv7 } from 'uuid';
import type { Recurrence } from '../../contracts/scheduling';
import { npiCheckDigit } from '../../domain/scheduling/npi';
import { expandOccurrences, toRRuleString } from '../../domain/scheduling/recurrence';
import { datesBetween, localToInstant, weekdayOf } from '../../domain/scheduling/time';
import type { Actor, Store, Writer } from '../db/store';
import { systemActor } from '../db/store';
import { hashPassword } from '../../platform/passwords';
import { staffApproval } from '../services/admin/staff-approval';
import { findUserByUsername } from '../services/admin/user-rows';
import { UserAdmin } from '../services/admin/users';
import { Sessions } from '../services/auth/sessions';
import { newMrn } from '../services/patients/patient-core';
import { getClinicInfo } from '../services/settings/clinic-info';
import { FirstRun } from '../services/setup/first-run';
import {
  cities,
  colors,
  credentials,
  firstNames,
  lastNames,
  payers,
  specialties,
  streets,
} from './fake-people';
import { addDays, todayIn } from '../../contracts/calendar';

/**
 * Fills a database with realistic fake data for demos and benchmarks: a clinic (when the database is
 * fresh), staff, locations, rooms, appointment types, providers with hours and lunch blocks, patients with
 * coverage, and appointments over a span of years including repeating series. Everything goes through the
 * one write path (rows + outbox), in large transactions, with one audit entry per batch.
 *
 * Never part of the product: only the seed-demo command imports this.
 */

export interface SeedOptions {
  patients: number;
  providers: number;
  years: number;
  series: number;
  seed: number;
  timeZone: string;
  log(line: string): void;
}

export interface SeedResult {
  created: {
    admin: { username: string; password: string; totpSecret: string; otpauthUri: string };
    desk: { username: string; password: string };
  } | null;
  counts: Record<string, number>;
  /** The provider with the most series rows (what the week benchmark reads). */
  busiestSeriesProviderId: string | null;
  seconds: number;
}

const META_SEEDED = 'seed_demo';
const BATCH = 5000;
const SLOT = 15;
const DAY_START = 8 * 60;
const SLOTS_PER_DAY = 36; // 08:00–17:00
const LUNCH = [16, 20]; // 12:00–13:00

/** A small, fast, seedable PRNG (mulberry32), so a seed gives the same demo every time. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  };
}

const randomPassword = () => crypto.randomBytes(12).toString('base64url');

export async function seedDemo(store: Store, opts: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const rnd = prng(opts.seed);
  const counts: Record<string, number> = {};
  const bump = (k: string, n = 1) => (counts[k] = (counts[k] ?? 0) + n);

  let created: SeedResult['created'] = null;
  if (store.clinicId === null) {
    created = await createClinic(store, opts.timeZone);
    opts.log(`Created the demo clinic and its administrator (${created.admin.username}).`);
  } else if (!store.getMeta(META_SEEDED)) {
    throw new Error(
      'This database holds a clinic that seed-demo did not create. Fake data is only added to a fresh database or a demo one; use an empty --data-dir.',
    );
  }
  const clinicId = store.requireClinicId();
  // An existing demo clinic keeps its own zone.
  const zone = getClinicInfo(store).timeZone;
  const actor: Actor = systemActor;
  const now = store.nowIso();
  const nowMs = store.now().getTime();
  const today = todayIn(zone, store.now());

  // ---- staff, places, types, providers, hours, lunch blocks
  const staffHash = await hashPassword(randomPassword());
  const locationIds: string[] = [];
  const roomsByLocation = new Map<string, string[]>();
  const typeList: { id: string; slots: number; modality: 'in_person' | 'telehealth' }[] = [];
  const providers: { id: string; locationByWeekday: Map<number, string> }[] = [];
  // A second run adds to the demo: new staff and places get names that do not clash with the first.
  const existingProviders = (
    store.db.prepare('SELECT count(*) AS n FROM provider_profiles').get() as { n: number }
  ).n;
  const run = existingProviders
    ? ` (${Math.floor(existingProviders / Math.max(1, opts.providers)) + 1})`
    : '';
  store.write(actor, (w) => {
    w.setMeta(META_SEEDED, now);
    for (const [i, place] of ['Main clinic', 'Westside office'].entries()) {
      const name = `${place}${run}`;
      const id = uuidv7();
      locationIds.push(id);
      w.insert('locations', {
        id,
        clinicId,
        name,
        address: `${100 + i * 250} ${streets[i]} St`,
        active: true,
        createdAt: now,
        updatedAt: now,
      });
      const rooms: string[] = [];
      for (let r = 1; r <= 6; r++) {
        const roomId = uuidv7();
        rooms.push(roomId);
        w.insert('rooms', {
          id: roomId,
          clinicId,
          locationId: id,
          name: `Exam ${r}`,
          active: true,
          createdAt: now,
          updatedAt: now,
        });
      }
      roomsByLocation.set(id, rooms);
    }
    const types: [string, number, 'in_person' | 'telehealth', string][] = [
      ['New patient', 60, 'in_person', '#0b5cad'],
      ['Follow-up', 30, 'in_person', '#2f8a57'],
      ['Therapy session', 45, 'in_person', '#6b1d99'],
      ['Telehealth follow-up', 30, 'telehealth', '#00707a'],
      ['Annual physical', 60, 'in_person', '#b35c00'],
    ];
    for (const [name, minutes, modality, color] of types) {
      const id = uuidv7();
      typeList.push({ id, slots: minutes / SLOT, modality });
      w.insert('appointment_types', {
        id,
        clinicId,
        name,
        durationMinutes: minutes,
        defaultRoomId: null,
        color,
        modality,
        active: true,
        createdAt: now,
        updatedAt: now,
      });
    }
    for (let i = 0; i < opts.providers; i++) {
      const userId = uuidv7();
      const first = rnd.pick(firstNames);
      const last = rnd.pick(lastNames);
      const staffRow = {
        id: userId,
        clinicId,
        username: `demo.provider${existingProviders + i + 1}`,
        fullName: `${first} ${last}`,
        passwordHash: staffHash,
        roles: JSON.stringify(['clinician']),
        active: true,
        recoveryCodeHashes: '[]',
        failedAttempts: 0,
        createdAt: now,
        updatedAt: now,
      };
      // Approved by the demo administrator, as if made in Admin > Users, so central takes it on enrolment.
      const demoAdmin = findUserByUsername(store, 'demo.admin');
      w.insert('users', {
        ...staffRow,
        changeApproval: demoAdmin ? staffApproval(store, demoAdmin.id, userId, staffRow, null) : null,
      });
      const base = String(rnd.int(100_000_000, 199_999_999));
      const id = uuidv7();
      w.insert('provider_profiles', {
        id,
        clinicId,
        userId,
        credentials: rnd.pick(credentials),
        npi: `${base}${npiCheckDigit(base)}`,
        specialty: rnd.pick(specialties),
        color: colors[i % colors.length]!,
        active: true,
        createdAt: now,
        updatedAt: now,
      });
      // Most work at one location; some split the week between the two.
      const home = locationIds[i % locationIds.length]!;
      const locationByWeekday = new Map<number, string>();
      for (let weekday = 1; weekday <= 5; weekday++) {
        const locationId = i % 5 === 0 && weekday >= 4 ? locationIds[(i + 1) % locationIds.length]! : home;
        locationByWeekday.set(weekday, locationId);
        w.insert('working_hours', {
          id: uuidv7(),
          clinicId,
          providerId: id,
          locationId,
          weekday,
          startTime: '08:00',
          endTime: '17:00',
          createdAt: now,
          updatedAt: now,
        });
      }
      const lunch: Recurrence = { frequency: 'daily', interval: 1, weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'] };
      const firstDay = addDays(today, -Math.round((365 * opts.years) / 2));
      w.insert('schedule_blocks', {
        id: uuidv7(),
        clinicId,
        providerId: id,
        roomId: null,
        kind: 'lunch',
        label: '',
        startsAt: localToInstant(firstDay, '12:00', zone).toISOString(),
        endsAt: localToInstant(firstDay, '13:00', zone).toISOString(),
        timeZone: zone,
        recurrence: JSON.stringify(lunch),
        rrule: toRRuleString(lunch, { date: firstDay, time: '12:00' }, zone),
        untilAt: null,
        createdAt: now,
        updatedAt: now,
      });
      providers.push({ id, locationByWeekday });
      bump('providers');
    }
    w.audit({ action: 'schedule.settings_update', detail: { what: 'seed_demo', providers: opts.providers } });
  });
  opts.log(
    `Set up ${opts.providers} providers, ${locationIds.length} locations, ${typeList.length} appointment types.`,
  );

  // ---- patients (and coverage for two in three)
  const patientIds: string[] = [];
  const mrns = new Set<string>();
  for (let done = 0; done < opts.patients;) {
    const size = Math.min(BATCH, opts.patients - done);
    store.write(actor, (w) => {
      for (let i = 0; i < size; i++) {
        const id = uuidv7();
        let mrn = newMrn();
        while (mrns.has(mrn)) mrn = newMrn();
        mrns.add(mrn);
        const [city, state, zip] = rnd.pick(cities);
        const sex = rnd.chance(0.51) ? 'female' : rnd.chance(0.98) ? 'male' : 'other';
        const dob = `${rnd.int(1930, 2024)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
        w.insert('patients', {
          id,
          clinicId,
          mrn,
          legalFirstName: rnd.pick(firstNames),
          legalLastName: rnd.pick(lastNames),
          dateOfBirth: dob,
          sex,
          addressLine1: `${rnd.int(1, 9999)} ${rnd.pick(streets)} ${rnd.pick(['St', 'Ave', 'Rd', 'Ln'])}`,
          city,
          state,
          postalCode: `${zip}${String(rnd.int(0, 99)).padStart(2, '0')}`,
          phoneMobile: `${rnd.pick(['217', '309', '608', '815', '630', '847'])}555${String(rnd.int(0, 9999)).padStart(4, '0')}`,
          preferredPhone: 'mobile',
          restricted: rnd.chance(0.002),
          createdAt: now,
          updatedAt: now,
        });
        patientIds.push(id);
        if ((done + i) % 3 !== 0) {
          const [payerName, payerId, copay] = rnd.pick(payers);
          w.insert('patient_coverages', {
            id: uuidv7(),
            clinicId,
            patientId: id,
            priority: 'primary',
            payerName,
            payerId,
            memberId: `${payerId}${rnd.int(1_000_000, 9_999_999)}`,
            subscriberRelationship: 'self',
            effectiveFrom: `${rnd.int(2015, 2024)}-01-01`,
            effectiveTo: rnd.chance(0.1) ? addDays(today, -rnd.int(1, 300)) : null,
            copayCents: copay,
            createdAt: now,
            updatedAt: now,
          });
          bump('coverages');
        }
      }
      w.audit({ action: 'patient.create', detail: { seedDemo: true, count: size } });
    });
    done += size;
    bump('patients', size);
    if (done % 20_000 === 0 || done === opts.patients) opts.log(`  patients: ${done}`);
  }

  // ---- appointments: series first (they need the same slot every time), then single visits
  const from = addDays(today, -Math.round((365 * opts.years) / 2));
  const to = addDays(today, Math.round((365 * opts.years) / 2));
  const workDates = datesBetween(from, to).filter((d) => weekdayOf(d) <= 5);
  const dayStart = new Map(workDates.map((d) => [d, localToInstant(d, '08:00', zone).getTime()]));
  const taken = new Map<string, Uint8Array>();
  const grid = (providerId: string, date: string) => {
    const key = `${providerId}|${date}`;
    let g = taken.get(key);
    if (!g) {
      g = new Uint8Array(SLOTS_PER_DAY);
      for (let s = LUNCH[0]!; s < LUNCH[1]!; s++) g[s] = 1;
      taken.set(key, g);
    }
    return g;
  };
  const free = (g: Uint8Array, slot: number, len: number) => {
    if (slot + len > SLOTS_PER_DAY) return false;
    for (let s = slot; s < slot + len; s++) if (g[s]) return false;
    return true;
  };
  const occupy = (g: Uint8Array, slot: number, len: number) => {
    for (let s = slot; s < slot + len; s++) g[s] = 1;
  };

  const pending: Parameters<Writer['insert']>[1][] = [];
  const seriesRows: Parameters<Writer['insert']>[1][] = [];
  const seriesPerProvider = new Map<string, number>();
  const todaysIds: { id: string; status: string }[] = [];
  const appointmentRow = (
    p: { id: string; locationByWeekday: Map<number, string> },
    date: string,
    slot: number,
    type: (typeof typeList)[number],
    patientId: string,
    series: { id: string; date: string } | null,
  ) => {
    const start = dayStart.get(date)! + slot * SLOT * 60_000;
    const end = start + type.slots * SLOT * 60_000;
    const locationId = p.locationByWeekday.get(weekdayOf(date))!;
    const past = end < nowMs;
    const isToday = date === today;
    let status: string = 'scheduled';
    const stamp = (offsetMin: number) => new Date(start + offsetMin * 60_000).toISOString();
    const row: Record<string, unknown> = {};
    const roll = rnd.next();
    if (past) {
      status = roll < 0.06 ? 'cancelled' : roll < 0.11 ? 'no_show' : 'checked_out';
    } else if (isToday && start < nowMs) {
      status = rnd.pick(['arrived', 'checked_in', 'roomed', 'with_provider']);
    } else if (roll < 0.04) {
      status = 'cancelled';
    }
    const rooms = roomsByLocation.get(locationId)!;
    if (status === 'checked_out' || ['checked_in', 'roomed', 'with_provider'].includes(status)) {
      row.arrivedAt = stamp(-12);
      row.checkedInAt = stamp(-8);
      row.copayDueCents = rnd.pick([0, 2500, 3000, 4000]);
      row.demographicsConfirmedAt = stamp(-8);
      row.insuranceReviewedAt = stamp(-8);
    }
    if (status === 'arrived') row.arrivedAt = stamp(-5);
    if (status === 'checked_out' || status === 'roomed' || status === 'with_provider')
      row.roomedAt = stamp(2);
    if (status === 'checked_out' || status === 'with_provider') row.withProviderAt = stamp(6);
    if (status === 'checked_out') row.checkedOutAt = new Date(end).toISOString();
    if (status === 'cancelled') {
      row.cancelledAt = stamp(-rnd.int(2, 96) * 60);
      row.cancelReason = rnd.pick(['Patient called to cancel', 'Illness', 'Transportation', 'Work conflict']);
      row.lateCancel = rnd.chance(0.3);
    }
    if (status === 'no_show') row.noShowAt = stamp(20);
    const id = uuidv7();
    if (isToday) todaysIds.push({ id, status });
    return {
      id,
      clinicId,
      patientId,
      providerId: p.id,
      appointmentTypeId: type.id,
      locationId,
      roomId: type.modality === 'telehealth' ? null : rooms[slot % rooms.length]!,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(end).toISOString(),
      timeZone: zone,
      modality: type.modality,
      status,
      statusChangedAt: (row.checkedOutAt ??
        row.withProviderAt ??
        row.roomedAt ??
        row.checkedInAt ??
        row.arrivedAt ??
        row.cancelledAt ??
        row.noShowAt ??
        now) as string,
      note: '',
      seriesId: series?.id ?? null,
      occurrenceDate: series?.date ?? null,
      detached: false,
      lateCancel: false,
      ...row,
      createdAt: now,
      updatedAt: now,
    } as Parameters<Writer['insert']>[1];
  };

  const workSet = new Set(workDates);
  for (let i = 0; i < opts.series; i++) {
    const p = providers[i % providers.length]!;
    for (let attempt = 0; attempt < 30; attempt++) {
      const type = rnd.pick(typeList.filter((t) => t.slots <= 4));
      const slot = rnd.int(0, SLOTS_PER_DAY - type.slots);
      const startDate = workDates[rnd.int(0, Math.max(0, workDates.length - 60))]!;
      const kind = rnd.next();
      const count = rnd.int(8, 40);
      const rule: Recurrence =
        kind < 0.6
          ? { frequency: 'weekly', interval: 1, count }
          : kind < 0.85
            ? { frequency: 'weekly', interval: 2, count: Math.ceil(count / 2) }
            : { frequency: 'monthly', interval: 1, monthlyBy: 'weekday', count: Math.min(count, 12) };
      const time = `${String(Math.floor((DAY_START + slot * SLOT) / 60)).padStart(2, '0')}:${String((DAY_START + slot * SLOT) % 60).padStart(2, '0')}`;
      const occurrences = expandOccurrences(rule, { date: startDate, time }, zone).filter(
        (o) => o.date <= to,
      );
      if (!occurrences.length || occurrences[0]!.date !== startDate) continue;
      if (!occurrences.every((o) => workSet.has(o.date) && free(grid(p.id, o.date), slot, type.slots)))
        continue;
      const seriesId = uuidv7();
      const patientId = rnd.pick(patientIds);
      for (const o of occurrences) {
        occupy(grid(p.id, o.date), slot, type.slots);
        pending.push(appointmentRow(p, o.date, slot, type, patientId, { id: seriesId, date: o.date }));
      }
      seriesRows.push({
        id: seriesId,
        clinicId,
        patientId,
        providerId: p.id,
        appointmentTypeId: type.id,
        locationId: p.locationByWeekday.get(weekdayOf(startDate))!,
        roomId: null,
        startsAt: occurrences[0]!.startsAt.toISOString(),
        durationMinutes: type.slots * SLOT,
        timeZone: zone,
        recurrence: JSON.stringify(rule),
        rrule: toRRuleString(rule, { date: startDate, time }, zone),
        note: '',
        status: 'active',
        createdAt: now,
        updatedAt: now,
      } as Parameters<Writer['insert']>[1]);
      seriesPerProvider.set(p.id, (seriesPerProvider.get(p.id) ?? 0) + occurrences.length);
      break;
    }
  }
  bump('series', seriesRows.length);

  // Single visits fill about three quarters of what is left.
  for (const p of providers) {
    for (const date of workDates) {
      const g = grid(p.id, date);
      for (let slot = 0; slot < SLOTS_PER_DAY;) {
        const type = rnd.pick(typeList);
        if (rnd.chance(0.75) && free(g, slot, type.slots)) {
          occupy(g, slot, type.slots);
          pending.push(appointmentRow(p, date, slot, type, rnd.pick(patientIds), null));
          slot += type.slots;
        } else slot += 1;
      }
    }
  }

  store.write(actor, (w) => {
    for (const row of seriesRows) w.insert('appointment_series', row as never);
    w.audit({ action: 'appointment.create', detail: { seedDemo: true, series: seriesRows.length } });
  });
  for (let i = 0; i < pending.length; i += BATCH) {
    const batch = pending.slice(i, i + BATCH);
    store.write(actor, (w) => {
      for (const row of batch) w.insert('appointments', row as never);
      w.audit({ action: 'appointment.create', detail: { seedDemo: true, count: batch.length } });
    });
    if ((i / BATCH) % 10 === 0)
      opts.log(`  appointments: ${Math.min(i + BATCH, pending.length)} of ${pending.length}`);
  }
  bump('appointments', pending.length);

  // Today's visits under way get their steps, so the board can undo them.
  const order = ['scheduled', 'arrived', 'checked_in', 'roomed', 'with_provider'];
  store.write(actor, (w) => {
    for (const t of todaysIds) {
      const upTo = order.indexOf(t.status);
      for (let s = 1; s <= upTo; s++) {
        w.insert('appointment_status_events', {
          id: uuidv7(),
          clinicId,
          appointmentId: t.id,
          fromStatus: order[s - 1] as never,
          toStatus: order[s] as never,
          at: new Date(nowMs - (upTo - s + 1) * 5 * 60_000).toISOString(),
          userId: null,
          updatedAt: now,
        });
      }
    }
  });

  let busiest: string | null = null;
  for (const [id, n] of seriesPerProvider)
    if (!busiest || n > (seriesPerProvider.get(busiest) ?? 0)) busiest = id;
  return { created, counts, busiestSeriesProviderId: busiest, seconds: (Date.now() - started) / 1000 };
}

/** First-run set-up done the product's way (FirstRun), plus a front-desk account to try the screens. */
async function createClinic(store: Store, timeZone: string): Promise<NonNullable<SeedResult['created']>> {
  const firstRun = new FirstRun(store);
  const offer = await firstRun.offerTotp();
  const admin = {
    username: 'demo.admin',
    password: randomPassword(),
    totpSecret: offer.secret,
    otpauthUri: offer.otpauthUri,
  };
  const code = new TOTP({
    secret: Secret.fromBase32(offer.secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  }).generate({
    timestamp: store.now().getTime(),
  });
  await firstRun.complete({
    clinicName: 'Demo Family Clinic (fake data)',
    timeZone,
    admin: { username: admin.username, fullName: 'Demo Administrator', password: admin.password },
    enrollmentId: offer.enrollmentId,
    totpCode: code,
  });
  const desk = { username: 'demo.desk', password: randomPassword() };
  await new UserAdmin(store, new Sessions(store)).create(systemActor, {
    username: desk.username,
    fullName: 'Demo Front Desk',
    password: desk.password,
    roles: ['front_desk'],
  }, { passwordChangeRequired: false }); // demo data: the password is printed for trying the app out
  return { admin, desk };
}
