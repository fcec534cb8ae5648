import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  permissionLabels,
  permissions,
  roleLabels,
  type Role,
} from '../../../server/contracts/admin/permissions';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Loading, PageHeader } from '../../ui/Page';
import { mfaOffQuestion, saveSecuritySettings } from './confirm-mfa-off';
import { useConfirm } from '../../ui/ConfirmDialog';

/**
 * Role × permission matrix. The matrix itself is fixed in the product (server/domain); what an admin decides
 * here is which roles must use MFA. Changing it needs security.manage, so others see it read-only.
 */
export function RolesPage() {
  const can = useCan();
  const mayChangeMfa = can('security.manage');
  const queryClient = useQueryClient();
  const [confirmDialog, confirm] = useConfirm();
  const matrix = useQuery({ queryKey: keys.roles, queryFn: () => call('roleMatrix') });
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const save = useMutation({
    mutationFn: (mfaRequiredRoles: Role[]) =>
      saveSecuritySettings({ mfaRequiredRoles }, (message) => confirm(mfaOffQuestion(message))),
    onSuccess: (settings) => {
      if (!settings) {
        setNotice({ tone: 'success', text: 'Nothing changed: MFA stays required for that role.' });
        return;
      }
      const names = settings.mfaRequiredRoles.map((r) => roleLabels[r]);
      setNotice({
        tone: 'success',
        text: names.length
          ? `MFA is now required for: ${names.join(', ')}.`
          : 'MFA is no longer required for any role.',
      });
      // Write the answer into the matrix at once so the checkbox does not flicker back until a refetch.
      queryClient.setQueryData(keys.roles, (old: typeof matrix.data) =>
        old
          ? {
              roles: old.roles.map((r) => ({
                ...r,
                mfaRequired: settings.mfaRequiredRoles.includes(r.role),
              })),
            }
          : old,
      );
      void queryClient.invalidateQueries({ queryKey: keys.security });
    },
    onError: (err) => setNotice({ tone: 'error', text: errorMessage(err) }),
  });

  const roles = matrix.data?.roles ?? [];
  // While a save is under way, show the requested state (set in the click handler, so the box changes at
  // once) rather than the old one.
  const [requested, setRequested] = useState<Role[] | null>(null);
  const mfaRequired = (role: Role) =>
    requested ? requested.includes(role) : Boolean(roles.find((r) => r.role === role)?.mfaRequired);
  const toggle = (role: Role, on: boolean) => {
    const current = roles.filter((r) => mfaRequired(r.role)).map((r) => r.role);
    const next = on ? [...new Set([...current, role])] : current.filter((r) => r !== role);
    setRequested(next);
    save.mutate(next, { onSettled: () => setRequested(null) });
  };

  return (
    <section className="page">
      {confirmDialog}
      <PageHeader title="Roles">
        <p>
          What each role may do. A person with several roles gets all of their permissions.
          {mayChangeMfa ? ' Tick “MFA required” to make a role sign in with an authenticator code.' : ''}
        </p>
      </PageHeader>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {matrix.isPending ? <Loading label="Loading roles…" /> : null}
      {matrix.isError ? <Alert tone="error">{errorMessage(matrix.error)}</Alert> : null}
      {matrix.isSuccess ? (
        <div className="table-wrap">
          <table className="table matrix">
            <caption className="visually-hidden">Permissions by role</caption>
            <thead>
              <tr>
                <th scope="col">Permission</th>
                {roles.map((r) => (
                  <th scope="col" key={r.role} className="center">
                    {roleLabels[r.role]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {permissions.map((p) => (
                <tr key={p}>
                  <th scope="row">
                    {permissionLabels[p]} <code className="muted">{p}</code>
                  </th>
                  {roles.map((r) => (
                    <td key={r.role} className="center">
                      {r.permissions.includes(p) ? (
                        <span className="granted">
                          <span aria-hidden="true">✓</span>
                          <span className="visually-hidden">Granted</span>
                        </span>
                      ) : (
                        <span className="not-granted">
                          <span aria-hidden="true">—</span>
                          <span className="visually-hidden">Not granted</span>
                        </span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">MFA required</th>
                {roles.map((r) => (
                  <td key={r.role} className="center">
                    <input
                      type="checkbox"
                      checked={mfaRequired(r.role)}
                      disabled={!mayChangeMfa || requested !== null}
                      aria-label={`MFA required for ${roleLabels[r.role]}`}
                      onChange={(e) => toggle(r.role, e.target.checked)}
                    />
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
    </section>
  );
}
