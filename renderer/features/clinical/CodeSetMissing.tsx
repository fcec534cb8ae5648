import { EmptyState } from '../../ui/Page';

/**
 * Shown where a diagnosis would be coded while no ICD-10-CM code set is installed. Tessera ships no codes
 * (they come only from CDC's file), so this is an expected state of a new workstation, not an error: it
 * says what is missing and who fixes it.
 */
export function CodeSetMissing({ id }: { id?: string }) {
  return (
    <EmptyState>
      <div id={id} data-testid="icd10-missing" className="code-set-missing">
        <p>
          <strong>No ICD-10-CM code set is installed</strong> on this workstation, so diagnoses cannot be
          searched or coded yet.
        </p>
        <p className="small">
          An administrator installs CDC&rsquo;s ICD-10-CM codes file once:{' '}
          <code>npm run tessera -- icd10 import --file … --release …</code> (see the clinical guide,
          docs/clinical.md).
        </p>
      </div>
    </EmptyState>
  );
}
