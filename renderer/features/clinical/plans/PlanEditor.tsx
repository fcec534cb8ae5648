import { Controller, get, useFieldArray, useFormContext } from 'react-hook-form';
import { planItemStatuses, planItemStatusLabels } from '../../../../server/contracts/clinical';
import { isUncoded } from '../../../../server/contracts/clinical/codes';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { Icd10Picker } from '../Icd10Picker';
import { blankGoal, blankObjective, blankProblem, newItemId, type PlanFormInput } from './plan-form';

/**
 * The plan tree as form fields: problems -> goals -> measurable objectives -> interventions. It lives inside
 * a FormProvider; each level is a useFieldArray, so errors (from the resolver or the server) land on the
 * exact field, e.g. `structure.problems.0.goals.1.objectives.0.measure`.
 */
export function PlanEditor() {
  const { control } = useFormContext<PlanFormInput>();
  const problems = useFieldArray({ control, name: 'structure.problems', keyName: 'key' });
  return (
    <div className="plan-tree">
      <PlanHeaderFields />
      {problems.fields.map((problem, pi) => (
        <ProblemFields
          key={problem.key}
          index={pi}
          onRemove={problems.fields.length > 1 ? () => problems.remove(pi) : undefined}
        />
      ))}
      <div className="button-row">
        <Button onClick={() => problems.append(blankProblem())}>Add problem</Button>
      </div>
    </div>
  );
}

/** The error sentence for a field path, from the resolver or the server. */
function useFieldError(name: string): string | undefined {
  const { formState } = useFormContext<PlanFormInput>();
  return (get(formState.errors, name) as { message?: string } | undefined)?.message;
}

function PlanHeaderFields() {
  const { register } = useFormContext<PlanFormInput>();
  return (
    <div className="form-grid form-grid-3">
      <TextField label="Plan title" error={useFieldError('title')} {...register('title')} />
      <TextField
        label="Effective date"
        type="date"
        error={useFieldError('effectiveDate')}
        {...register('effectiveDate')}
      />
      <TextField
        label="Review by"
        type="date"
        error={useFieldError('reviewDate')}
        {...register('reviewDate')}
      />
    </div>
  );
}

function ProblemFields({ index, onRemove }: { index: number; onRemove: (() => void) | undefined }) {
  const { control, register } = useFormContext<PlanFormInput>();
  const path = `structure.problems.${index}` as const;
  const goals = useFieldArray({ control, name: `${path}.goals`, keyName: 'key' });
  const diagnosisError = useFieldError(`${path}.diagnosis`);
  return (
    <fieldset className="plan-problem fieldset">
      <legend className="section-title">Problem {index + 1}</legend>
      <TextField label="Problem" error={useFieldError(`${path}.text`)} {...register(`${path}.text`)} />
      <Controller
        control={control}
        name={`${path}.diagnosis`}
        render={({ field }) => (
          <Icd10Picker
            label="Diagnosis (optional)"
            single
            value={field.value ? [field.value] : []}
            // A plan problem keeps a coded diagnosis only; an uncoded one stays in the problem's text.
            onChange={(d) => field.onChange(d[0] && !isUncoded(d[0]) ? d[0] : null)}
            onBlur={field.onBlur}
            error={diagnosisError}
          />
        )}
      />
      {goals.fields.map((goal, gi) => (
        <GoalFields
          key={goal.key}
          path={`${path}.goals.${gi}`}
          number={gi + 1}
          onRemove={goals.fields.length > 1 ? () => goals.remove(gi) : undefined}
        />
      ))}
      <div className="button-row">
        <Button size="small" onClick={() => goals.append(blankGoal())}>
          Add goal
        </Button>
        {onRemove ? (
          <Button size="small" variant="link" onClick={onRemove}>
            Remove problem
          </Button>
        ) : null}
      </div>
    </fieldset>
  );
}

type GoalPath = `structure.problems.${number}.goals.${number}`;
type ObjectivePath = `${GoalPath}.objectives.${number}`;

function GoalFields({
  path,
  number,
  onRemove,
}: {
  path: GoalPath;
  number: number;
  onRemove: (() => void) | undefined;
}) {
  const { control, register } = useFormContext<PlanFormInput>();
  const objectives = useFieldArray({ control, name: `${path}.objectives`, keyName: 'key' });
  return (
    <div className="plan-goal">
      <div className="form-grid form-grid-3">
        <TextField
          label={`Goal ${number}`}
          error={useFieldError(`${path}.text`)}
          {...register(`${path}.text`)}
        />
        <TextField
          label="Target date"
          type="date"
          error={useFieldError(`${path}.targetDate`)}
          {...register(`${path}.targetDate`)}
        />
        <StatusSelect name={`${path}.status`} />
      </div>
      {objectives.fields.map((objective, oi) => (
        <ObjectiveFields
          key={objective.key}
          path={`${path}.objectives.${oi}`}
          label={`Objective ${number}.${oi + 1}`}
          onRemove={objectives.fields.length > 1 ? () => objectives.remove(oi) : undefined}
        />
      ))}
      <div className="button-row">
        <Button size="small" onClick={() => objectives.append(blankObjective())}>
          Add objective
        </Button>
        {onRemove ? (
          <Button size="small" variant="link" onClick={onRemove}>
            Remove goal
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function ObjectiveFields({
  path,
  label,
  onRemove,
}: {
  path: ObjectivePath;
  label: string;
  onRemove: (() => void) | undefined;
}) {
  const { control, register } = useFormContext<PlanFormInput>();
  const interventions = useFieldArray({ control, name: `${path}.interventions`, keyName: 'key' });
  return (
    <div className="plan-objective">
      <div className="form-grid">
        <TextField label={label} error={useFieldError(`${path}.text`)} {...register(`${path}.text`)} />
        <TextField
          label="Measured by"
          hint="What shows it is met, e.g. “GAD-7 below 10”."
          error={useFieldError(`${path}.measure`)}
          {...register(`${path}.measure`)}
        />
        <TextField
          label="Target date"
          type="date"
          error={useFieldError(`${path}.targetDate`)}
          {...register(`${path}.targetDate`)}
        />
        <StatusSelect name={`${path}.status`} />
      </div>
      {interventions.fields.map((intervention, ii) => (
        <InterventionFields key={intervention.key} path={`${path}.interventions.${ii}`} number={ii + 1} />
      ))}
      <div className="button-row">
        <Button
          size="small"
          onClick={() => interventions.append({ id: newItemId('i'), text: '', frequency: '' })}
        >
          Add intervention
        </Button>
        {onRemove ? (
          <Button size="small" variant="link" onClick={onRemove}>
            Remove objective
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function InterventionFields({
  path,
  number,
}: {
  path: `${ObjectivePath}.interventions.${number}`;
  number: number;
}) {
  const { register } = useFormContext<PlanFormInput>();
  return (
    <div className="form-grid plan-intervention">
      <TextField
        label={`Intervention ${number}`}
        error={useFieldError(`${path}.text`)}
        {...register(`${path}.text`)}
      />
      <TextField
        label="How often"
        error={useFieldError(`${path}.frequency`)}
        {...register(`${path}.frequency`)}
      />
    </div>
  );
}

function StatusSelect({ name }: { name: `${GoalPath}.status` | `${ObjectivePath}.status` }) {
  const { register } = useFormContext<PlanFormInput>();
  return (
    <SelectField label="Status" {...register(name)}>
      {planItemStatuses.map((s) => (
        <option key={s} value={s}>
          {planItemStatusLabels[s]}
        </option>
      ))}
    </SelectField>
  );
}
