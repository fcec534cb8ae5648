import { describe, expect, it } from 'vitest';
import { planStructureSchema, type PlanStructure } from '../../../server/contracts/clinical';
import {
  clientSignRefusal,
  clinicianSignRefusal,
  objectiveCounts,
  planEditRefusal,
  planStructureErrors,
  reviseRefusal,
} from '../../../server/domain/clinical/treatment-plan';
import {
  bmi,
  heightMillimetres,
  implausibleVitals,
  temperatureTenthsC,
  weightGrams,
} from '../../../server/domain/clinical/vitals';

const plan = (): PlanStructure =>
  planStructureSchema.parse({
    problems: [
      {
        id: 'p1',
        text: 'Low mood',
        goals: [
          {
            id: 'g1',
            text: 'Improve mood',
            targetDate: '2026-06-30',
            objectives: [
              {
                id: 'o1',
                text: 'PHQ-9 below 10',
                measure: 'PHQ-9 monthly',
                targetDate: '2026-05-31',
                status: 'achieved',
                interventions: [{ id: 'i1', text: 'CBT' }],
              },
              { id: 'o2', text: 'Walk 3 times a week', measure: 'Activity log', interventions: [] },
            ],
          },
        ],
      },
    ],
  });

describe('treatment plan structure', () => {
  it('needs a measurable objective under every goal and a goal under every problem', () => {
    expect(planStructureSchema.safeParse({ problems: [{ id: 'p', text: 'x', goals: [] }] }).success).toBe(
      false,
    );
    const noMeasure = planStructureSchema.safeParse({
      problems: [
        {
          id: 'p',
          text: 'x',
          goals: [{ id: 'g', text: 'y', objectives: [{ id: 'o', text: 'z', measure: '' }] }],
        },
      ],
    });
    expect(noMeasure.success).toBe(false);
  });

  it('checks ids are unique across items and target dates fit the plan and the goal', () => {
    expect(planStructureErrors(plan(), '2026-03-01')).toEqual({});
    const p = plan();
    p.problems[0]!.goals[0]!.objectives[1]!.id = 'g1';
    p.problems[0]!.goals[0]!.objectives[0]!.targetDate = '2026-07-01';
    p.problems[0]!.goals[0]!.targetDate = '2026-02-01';
    expect(planStructureErrors(p, '2026-03-01')).toEqual({
      'structure.problems.0.goals.0.targetDate': 'A target date cannot be before the plan starts.',
      'structure.problems.0.goals.0.objectives.0.targetDate':
        "An objective's target date cannot be after its goal's.",
      'structure.problems.0.goals.0.objectives.1.id': 'Each plan item needs its own id.',
    });
    expect(objectiveCounts(plan())).toEqual({ total: 2, achieved: 1 });
  });

  it('locks a version once the clinician signs; the client signs after; revising needs the active version', () => {
    const draft = { status: 'draft' as const, clinicianSignedAt: null, clientSignedOn: null };
    const active = {
      status: 'active' as const,
      clinicianSignedAt: '2026-03-02T15:00:00Z',
      clientSignedOn: null,
    };
    expect(planEditRefusal(draft)).toBeNull();
    expect(planEditRefusal(active)).toMatch(/new version/);
    expect(clinicianSignRefusal(draft, plan())).toBeNull();
    expect(clinicianSignRefusal(draft, { problems: [] })).toMatch(/at least one problem/);
    expect(clinicianSignRefusal(active, plan())).toMatch(/already signed/);
    expect(clientSignRefusal(draft)).toMatch(/clinician signs the plan first/);
    expect(clientSignRefusal(active)).toBeNull();
    expect(clientSignRefusal({ ...active, clientSignedOn: '2026-03-02' })).toMatch(/already signed/);
    expect(reviseRefusal(draft)).toMatch(/active/);
    expect(reviseRefusal(active)).toBeNull();
  });
});

describe('vitals units', () => {
  it('converts what was typed into tenths of °C, grams and millimetres', () => {
    expect(temperatureTenthsC({ value: 98.6, unit: 'F' })).toBe(370);
    expect(temperatureTenthsC({ value: 38.25, unit: 'C' })).toBe(383);
    expect(weightGrams({ value: 154, unit: 'lb' })).toBe(69_853);
    expect(weightGrams({ value: 70.5, unit: 'kg' })).toBe(70_500);
    expect(heightMillimetres({ value: 68, unit: 'in' })).toBe(1727);
    expect(heightMillimetres({ value: 172.7, unit: 'cm' })).toBe(1727);
    expect(bmi(69_853, 1727)).toBe(23.4);
    expect(bmi(null, 1727)).toBeNull();
  });

  it('refuses values no patient has, which usually means the wrong unit was picked', () => {
    expect(
      implausibleVitals({ temperatureTenthsC: 986, weightGrams: null, heightMillimetres: null }),
    ).toHaveProperty('temperature');
    expect(implausibleVitals({ temperatureTenthsC: null, weightGrams: 154, heightMillimetres: 68 })).toEqual({
      weight: expect.stringMatching(/unit/),
      height: expect.stringMatching(/unit/),
    });
    expect(
      implausibleVitals({ temperatureTenthsC: 370, weightGrams: 70_000, heightMillimetres: 1700 }),
    ).toEqual({});
  });
});
