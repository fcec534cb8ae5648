import type { ReactNode } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { Fieldset } from '../../../ui/Field';

/** One question of the booking: large radio choices (thumb-sized), one error for the group under them. */
export function ChoiceStep({
  legend,
  error,
  choices,
  register,
  columns,
  children,
}: {
  legend: string;
  error: string | undefined;
  choices: { value: string; label: ReactNode; detail?: ReactNode }[];
  register: UseFormRegisterReturn;
  /** Short labels (times) sit several to a row. */
  columns?: 'times' | 'days';
  children?: ReactNode;
}) {
  return (
    <Fieldset legend={legend} error={error} className="portal-booking-step">
      {children}
      <div
        className={['portal-choices', columns ? `portal-choices-book-${columns}` : '']
          .filter(Boolean)
          .join(' ')}
      >
        {choices.map((c) => (
          <label key={c.value} className="portal-choice">
            <input type="radio" value={c.value} {...register} />
            <span className="portal-choice-text">
              <span>{c.label}</span>
              {c.detail ? <span className="portal-muted">{c.detail}</span> : null}
            </span>
          </label>
        ))}
      </div>
    </Fieldset>
  );
}
