import { EmptyState } from '../../ui/Page';

/**
 * Shown where a diagnosis would be coded while no ICD-10-CM code set is installed. Tessera ships no codes
 * (they come only from CDC's file), so this is an expected state of a new workstation, not an error: it
 * says what is missing and who fixes it.
 */
export function CodeSetMissing({ id, uncoded }: { id?: string; uncoded?: boolean | undefined }) {
  return (
    <EmptyState>
      <div id={id} data-testid="icd10-missing" className="code-set-missing">
        <p>
          <strong>No ICD-10-CM code set is installed</strong> on this workstation, so diagnoses cannot be
          searched or coded yet.
        </p>
        {uncoded ? (
          <p className="small">
            Record the diagnosis in words: it is flagged &ldquo;uncoded&rdquo;, the note still signs, and it
            is coded later from the problem list.
          </p>
        ) : null}
        <p className="small">
          An administrator imports CDC&rsquo;s ICD-10-CM codes file under Admin &gt; Code sets (or on the
          central server, for enrolled workstations).
        </p>
      </div>
    </EmptyState>
  );
}
