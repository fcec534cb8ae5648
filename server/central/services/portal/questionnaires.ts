import { v7 as uuidv7 } from 'uuid';
import type {
  QuestionnaireAssignmentRow,
  QuestionnaireResponseRow,
} from '../../../contracts/portal/messaging';
import { dueEveryWeeks, periodAt, periodEnd } from '../../../domain/questionnaires/schedule';
import { IncompleteAnswers, scoreAnswers } from '../../../domain/questionnaires/scoring';
import { AppError, fieldError } from '../../../platform/errors';
import type { Tx } from '../../db/pool';
import { callerRow, type PortalAccounts, type PortalCaller } from './accounts';
import { patientRows, requireScope, writeRows } from './replica';

/**
 * Questionnaires on the portal's side: which of the clinic's requests are due now, and the patient's
 * answers, scored at central (server/domain/questionnaires) and written as a replicated response that the
 * workstations pull (an urgent item raises the flag in the clinician's inbox there). A blank or incomplete
 * sheet is refused with the question to answer; an answered request cannot be answered twice.
 *
 * Due: a request sent `once` until answered; one sent `before_each_visit` whenever the patient's next
 * upcoming visit has no answer yet (the answer records that visit); one sent `every_weeks` whenever the
 * current period of N weeks from the sending has no answer yet (server/domain/questionnaires/schedule.ts;
 * the answer records the period). Rows replicated before the schedule existed lack the new fields: read
 * as null.
 */

type Assignment = QuestionnaireAssignmentRow & { id: string };
type Response = QuestionnaireResponseRow & { id: string };

const notFound = () => new AppError(404, 'questionnaire_not_found', 'That questionnaire was not found.');

async function nextVisit(accounts: PortalAccounts, tx: Tx, caller: PortalCaller): Promise<string | null> {
  const now = accounts.now().toISOString();
  const visits = await patientRows<{ startsAt?: string; status?: string }>(
    accounts,
    tx,
    caller,
    'appointments',
    {
      where: `data->>'startsAt' > $4 AND coalesce(data->>'status', '') NOT IN ('cancelled', 'no_show')`,
      args: [now],
    },
  );
  visits.sort((a, b) => String(a.startsAt).localeCompare(String(b.startsAt)));
  return visits[0]?.id ?? null;
}

async function dueState(accounts: PortalAccounts, tx: Tx, caller: PortalCaller) {
  const assignments = await patientRows<Assignment>(accounts, tx, caller, 'questionnaire_assignments');
  const responses = await patientRows<Response>(accounts, tx, caller, 'questionnaire_responses');
  const visit = await nextVisit(accounts, tx, caller);
  const now = accounts.now();
  const period = (a: Assignment) =>
    a.schedule === 'every_weeks' && a.repeatWeeks ? periodAt(a.createdAt, a.repeatWeeks, now) : null;
  const isDue = (a: Assignment) => {
    if (a.status !== 'active') return false;
    const mine = responses.filter((r) => r.assignmentId === a.id);
    if (a.schedule === 'once') return mine.length === 0;
    if (a.schedule === 'every_weeks') {
      if (!a.repeatWeeks) return false;
      return dueEveryWeeks(
        a.createdAt,
        a.repeatWeeks,
        mine.map((r) => r.period ?? null),
        now,
      );
    }
    return visit !== null && !mine.some((r) => r.appointmentId === visit);
  };
  /** every_weeks: when the current period ends; null for the other schedules. */
  const dueUntil = (a: Assignment) => {
    const p = period(a);
    return p === null || !a.repeatWeeks ? null : periodEnd(a.createdAt, a.repeatWeeks, p);
  };
  return { assignments, responses, visit, isDue, period, dueUntil };
}

export async function listQuestionnaires(accounts: PortalAccounts, caller: PortalCaller) {
  requireScope(caller, 'questionnaires');
  return accounts.tx(caller.clinicId, async (tx) => {
    const { assignments, responses, isDue, dueUntil } = await dueState(accounts, tx, caller);
    await accounts.record(tx, callerRow(caller), 'questionnaires.list');
    return {
      due: assignments
        .filter(isDue)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((a) => ({
          id: a.id,
          instrument: a.instrument,
          schedule: a.schedule,
          repeatWeeks: a.repeatWeeks ?? null,
          sentAt: a.createdAt,
          dueUntil: dueUntil(a),
        })),
      done: responses
        .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))
        .map((r) => ({ id: r.id, instrument: r.instrument, submittedAt: r.submittedAt })),
    };
  });
}

export async function submitQuestionnaire(
  accounts: PortalAccounts,
  caller: PortalCaller,
  assignmentId: string,
  answers: (number | null)[],
) {
  requireScope(caller, 'questionnaires');
  return accounts.tx(caller.clinicId, async (tx) => {
    const { assignments, visit, isDue, period } = await dueState(accounts, tx, caller);
    const assignment = assignments.find((a) => a.id === assignmentId);
    if (!assignment) throw notFound();
    if (!isDue(assignment)) {
      await accounts.record(tx, callerRow(caller), 'questionnaire.submit', 'refused');
      throw assignment.status === 'cancelled'
        ? new AppError(
            409,
            'not_requested',
            'The clinic no longer asks for this questionnaire. Nothing was sent.',
          )
        : new AppError(409, 'already_answered', 'You already answered this questionnaire. Thank you.');
    }
    let score;
    try {
      score = scoreAnswers(assignment.instrument, answers);
    } catch (err) {
      if (err instanceof IncompleteAnswers) throw fieldError(`answers.${err.question - 1}`, err.message);
      throw err;
    }
    const at = accounts.now().toISOString();
    const response: QuestionnaireResponseRow = {
      id: uuidv7(),
      clinicId: caller.clinicId,
      patientId: caller.patientId,
      assignmentId: assignment.id,
      instrument: assignment.instrument,
      answers: JSON.stringify(answers),
      totalScore: score.total,
      severity: score.severity,
      urgent: score.urgent,
      appointmentId: assignment.schedule === 'before_each_visit' ? visit : null,
      period: period(assignment),
      submittedAt: at,
      reviewedAt: null,
      reviewedBy: null,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    };
    const { id, ...assignmentRow } = assignment;
    await writeRows(
      accounts,
      tx,
      caller,
      [
        {
          table: 'questionnaire_responses',
          rowId: response.id,
          op: 'insert',
          row: response,
          changedFields: null,
        },
        ...(assignment.schedule === 'once'
          ? [
              {
                table: 'questionnaire_assignments',
                rowId: id,
                op: 'update' as const,
                row: { ...assignmentRow, id, status: 'completed', updatedAt: at },
                changedFields: ['status', 'updatedAt'],
              },
            ]
          : []),
      ],
      'Your answers could not be saved right now. Please try again, or call the clinic.',
    );
    await accounts.record(tx, callerRow(caller), 'questionnaire.submit');
    return { id: response.id, submittedAt: at };
  });
}
