import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  Chart,
  psychotherapyNoteListSchema,
  TimelineItem,
  TimelinePage,
} from '../../../contracts/clinical';
import { objectiveCounts } from '../../../domain/clinical/treatment-plan';
import { allergies, encounters, medications, notes, problems, treatmentPlans } from '../../db/schema';
import type { Store } from '../../db/store';
import { activeEmergencyGrant, patientForRead } from '../patients/patient-core';
import { toPatient } from '../patients/patient-rows';
import {
  activeAlerts,
  recentVitals,
  toAlert,
  toAllergy,
  toMedication,
  retiredInOf,
  toProblem,
  toVitals,
} from './chart-lists';
import { people, type Clinician } from './clinician';
import { toEncounters, type EncounterRow } from './encounters';
import { codeSet } from './icd10/code-set';
import { noteSummaries, type NoteRow } from './note-rows';
import { latestPlans, parseStructure } from './treatment-plans';

const TIMELINE_PAGE = 25;
const VITALS_FOR_TRENDS = 20;

/**
 * One page of the timeline: encounters (with their notes), notes written outside an encounter, and
 * treatment-plan versions, newest first. Restricted psychotherapy notes are not part of it. The cursor is
 * the last item's (time, id), so pages do not shift when something new is documented meanwhile.
 */
export function timelinePage(
  store: Store,
  patientId: string,
  cursor: string | undefined,
  limit: number,
): TimelinePage {
  const [cursorAt, cursorId] = cursor ? cursor.split('~') : [null, null];
  const rows = store.db
    .prepare(
      `SELECT kind, id, at FROM (
         SELECT 'encounter' AS kind, id, start_at AS at FROM encounters WHERE patient_id = @pid AND deleted_at IS NULL
         UNION ALL
         SELECT 'note', id, created_at FROM notes
           WHERE patient_id = @pid AND deleted_at IS NULL AND encounter_id IS NULL AND restricted = 0
         UNION ALL
         SELECT 'treatment_plan', id, created_at FROM treatment_plans WHERE patient_id = @pid AND deleted_at IS NULL
       )
       WHERE @cursorAt IS NULL OR at < @cursorAt OR (at = @cursorAt AND id < @cursorId)
       ORDER BY at DESC, id DESC
       LIMIT @take`,
    )
    .all({ pid: patientId, cursorAt, cursorId, take: limit + 1 }) as {
    kind: TimelineItem['kind'];
    id: string;
    at: string;
  }[];
  const page = rows.slice(0, limit);
  const ids = (kind: TimelineItem['kind']) => page.filter((r) => r.kind === kind).map((r) => r.id);

  const encounterIds = ids('encounter');
  const encounterRows: EncounterRow[] = encounterIds.length
    ? store.orm.select().from(encounters).where(inArray(encounters.id, encounterIds)).all()
    : [];
  const byEncounter = new Map(toEncounters(store, encounterRows).map((e) => [e.id, e]));
  const noteIds = ids('note');
  const noteRows: NoteRow[] = noteIds.length
    ? store.orm.select().from(notes).where(inArray(notes.id, noteIds)).all()
    : [];
  const byNote = new Map(noteSummaries(store, noteRows).map((n) => [n.id, n]));
  const planIds = ids('treatment_plan');
  const byPlan = new Map(
    (planIds.length
      ? store.orm.select().from(treatmentPlans).where(inArray(treatmentPlans.id, planIds)).all()
      : []
    ).map((p) => [p.id, p]),
  );

  const items: TimelineItem[] = page.map((r) => {
    if (r.kind === 'encounter') return { kind: 'encounter', at: r.at, encounter: byEncounter.get(r.id)! };
    if (r.kind === 'note') return { kind: 'note', at: r.at, note: byNote.get(r.id)! };
    const p = byPlan.get(r.id)!;
    return {
      kind: 'treatment_plan',
      at: r.at,
      plan: { id: p.id, title: p.title, version: p.version, status: p.status },
    };
  });
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > limit && last ? `${last.at}~${last.id}` : null };
}

/** Open a chart: the patient, their lists, recent vitals, plans and the first page of the timeline. */
export function openChart(store: Store, clin: Clinician, patientId: string): Chart {
  const { row: patient, grant, redirectedFrom } = patientForRead(store, clin.actor, patientId);
  const pid = patient.id;
  const problemRows = store.orm
    .select()
    .from(problems)
    .where(and(eq(problems.patientId, pid), isNull(problems.deletedAt)))
    .orderBy(asc(problems.createdAt))
    .all();
  const allergyRows = store.orm
    .select()
    .from(allergies)
    .where(and(eq(allergies.patientId, pid), isNull(allergies.deletedAt)))
    .orderBy(asc(allergies.createdAt))
    .all();
  const medicationRows = store.orm
    .select()
    .from(medications)
    .where(and(eq(medications.patientId, pid), isNull(medications.deletedAt)))
    .orderBy(asc(medications.name))
    .all();
  const vitalsRows = recentVitals(store, pid, VITALS_FOR_TRENDS);
  const alertRows = activeAlerts(store, pid);
  const plans = latestPlans(store, pid);
  const counts = store.db
    .prepare(
      `SELECT
         (SELECT count(*) FROM encounters WHERE patient_id = @pid AND deleted_at IS NULL) AS encounters,
         (SELECT count(*) FROM notes WHERE patient_id = @pid AND deleted_at IS NULL AND restricted = 0) AS notes,
         (SELECT count(*) FROM notes WHERE patient_id = @pid AND deleted_at IS NULL AND status = 'draft' AND author_id = @me) AS drafts`,
    )
    .get({ pid, me: clin.actor.userId }) as { encounters: number; notes: number; drafts: number };
  const timeline = timelinePage(store, pid, undefined, TIMELINE_PAGE);

  const name = people(store, [
    ...problemRows.map((r) => r.recordedBy),
    ...allergyRows.map((r) => r.recordedBy),
    ...medicationRows.map((r) => r.recordedBy),
    ...vitalsRows.map((r) => r.recordedBy),
    ...alertRows.map((r) => r.createdBy),
  ]);
  store.audit(clin.actor, {
    action: 'chart.open',
    patientId: pid,
    detail: {
      ...(grant && { emergencyGrantId: grant.id }),
      ...(redirectedFrom && { requestedId: redirectedFrom }),
    },
  });
  return {
    patient: toPatient(store, patient, redirectedFrom),
    alerts: alertRows.map((r) => toAlert(r, name)),
    problems: problemRows.map((r) => toProblem(r, name, retiredInOf(store))),
    allergies: allergyRows.map((r) => toAllergy(r, name)),
    medications: medicationRows.map((r) => toMedication(r, name)),
    vitals: vitalsRows.map((r) => toVitals(r, name)),
    treatmentPlans: plans.map((p) => {
      const c = objectiveCounts(parseStructure(p));
      return {
        id: p.id,
        title: p.title,
        version: p.version,
        status: p.status,
        reviewDate: p.reviewDate,
        objectivesTotal: c.total,
        objectivesAchieved: c.achieved,
      };
    }),
    counts,
    timeline,
    codeSet: codeSet(store).status,
  };
}

export function chartTimeline(
  store: Store,
  clin: Clinician,
  patientId: string,
  cursor: string | undefined,
  limit: number,
): TimelinePage {
  const { row: patient, grant } = patientForRead(store, clin.actor, patientId);
  const page = timelinePage(store, patient.id, cursor, limit);
  store.audit(clin.actor, {
    action: 'chart.read',
    patientId: patient.id,
    detail: { what: 'timeline', items: page.items.length, ...(grant && { emergencyGrantId: grant.id }) },
  });
  return page;
}

/**
 * Psychotherapy notes are kept apart from the chart. A clinician sees their own (and those they co-sign);
 * with emergency access to the patient, every author's — and that reading is audited with the grant.
 */
export function psychotherapyNotes(
  store: Store,
  clin: Clinician,
  patientId: string,
): z.infer<typeof psychotherapyNoteListSchema> {
  const { row: patient } = patientForRead(store, clin.actor, patientId);
  const grant = activeEmergencyGrant(store, clin.actor.userId, patient.id);
  const me = clin.actor.userId;
  const rows = store.orm
    .select()
    .from(notes)
    .where(
      and(
        eq(notes.patientId, patient.id),
        eq(notes.restricted, true),
        isNull(notes.deletedAt),
        grant ? sql`1 = 1` : sql`(${notes.authorId} = ${me} OR ${notes.cosignerId} = ${me})`,
      ),
    )
    .orderBy(sql`${notes.createdAt} DESC`)
    .all();
  store.audit(clin.actor, {
    action: 'chart.read',
    patientId: patient.id,
    detail: { what: 'psychotherapy_notes', count: rows.length, ...(grant && { emergencyGrantId: grant.id }) },
  });
  return { notes: noteSummaries(store, rows), emergencyAccess: !!grant };
}
