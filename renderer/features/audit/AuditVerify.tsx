import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AuditVerifyResult } from '../../../server/contracts/audit';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';

/**
 * The audit hash-chain check, shared by the Audit report and Admin > Maintenance so both say the same thing.
 * The server runs the same service as `tessera audit verify` and records that the check was made, so the
 * report is refreshed afterwards to show that entry.
 */
export function useAuditVerify() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call('auditVerify'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.auditAll }),
  });
}

/** One sentence for the answer: how many entries were checked and, if broken, the first broken link. */
export function auditVerifySentence(result: AuditVerifyResult): string {
  const entries = `${result.checked} ${result.checked === 1 ? 'entry' : 'entries'} checked`;
  const [first, ...rest] = result.problems;
  if (!first) return `Audit log intact: ${entries}, none altered or missing.`;
  const more = rest.length === 0 ? '' : `, and ${rest.length} more problem${rest.length === 1 ? '' : 's'} after it`;
  return `Audit log broken: ${entries}; the first broken link is at entry ${first.seq} (${first.problem})${more}.`;
}

export function AuditVerifyOutcome({ verify }: { verify: ReturnType<typeof useAuditVerify> }) {
  if (verify.isError) return <Alert tone="error">{errorMessage(verify.error)}</Alert>;
  if (!verify.isSuccess) return null;
  const result = verify.data;
  if (result.ok) {
    return (
      <Alert tone="success" testId="verify-result">
        {auditVerifySentence(result)}
      </Alert>
    );
  }
  return (
    <Alert tone="error" testId="verify-result" title="The audit log is broken">
      <p>
        {auditVerifySentence(result)} Call IT: entries were altered or removed outside Tessera. Keep the backups
        made before this date; they hold the entries as written.
      </p>
      {result.problems.length > 1 ? (
        <ul>
          {result.problems.slice(0, 20).map((p) => (
            <li key={`${p.seq}-${p.problem}`}>
              Entry {p.seq}: {p.problem}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}
