import { bandOf, instruments, type InstrumentId } from '../../contracts/questionnaires/instruments';

/**
 * Scoring of a filled questionnaire: the sum of the answers, its severity band, and whether an urgent
 * item (PHQ-9 item 9) was answered above zero. An incomplete or out-of-range answer sheet is refused with a
 * sentence naming the first question to fix: a blank questionnaire is never stored as completed.
 */

export interface Score {
  total: number;
  severity: string;
  /** 1-based numbers of the urgent items answered above zero (PHQ-9: [9] when item 9 is positive). */
  urgentItems: number[];
  urgent: boolean;
}

export class IncompleteAnswers extends Error {
  constructor(
    message: string,
    /** 1-based number of the first question to fix. */
    readonly question: number,
  ) {
    super(message);
  }
}

export function scoreAnswers(id: InstrumentId, answers: readonly (number | null | undefined)[]): Score {
  const inst = instruments[id];
  if (answers.length > inst.items.length)
    throw new IncompleteAnswers(`This questionnaire has ${inst.items.length} questions.`, inst.items.length);
  const top = inst.choices.length - 1;
  let total = 0;
  for (let i = 0; i < inst.items.length; i++) {
    const a = answers[i];
    if (a === null || a === undefined)
      throw new IncompleteAnswers(`Answer question ${i + 1} before sending.`, i + 1);
    if (!Number.isInteger(a) || a < 0 || a > top)
      throw new IncompleteAnswers(`Question ${i + 1} has an answer that is not one of the choices.`, i + 1);
    total += a;
  }
  const urgentItems = inst.urgentItems.filter((i) => (answers[i] ?? 0) > 0).map((i) => i + 1);
  return { total, severity: bandOf(inst, total).key, urgentItems, urgent: urgentItems.length > 0 };
}
