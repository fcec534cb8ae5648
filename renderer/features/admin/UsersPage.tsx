import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { roleLabels } from '../../../server/contracts/admin/permissions';
import type { UserSummary } from '../../../server/contracts/admin';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { formatShortDateTime } from '../../ui/format';
import { NewUserForm } from './NewUserForm';
import { EditUserDialog, ResetMfaDialog, ResetPasswordDialog } from './UserDialogs';
import { isLocked } from './user-status';

type OpenDialog =
  | { kind: 'edit'; user: UserSummary }
  | { kind: 'password'; user: UserSummary }
  | { kind: 'mfa'; user: UserSummary }
  | null;

export function UsersPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: keys.users, queryFn: () => call('listUsers') });
  const [creating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const tz = session.clinic.timeZone;

  const unlock = useMutation({
    mutationFn: (user: UserSummary) => call('unlockUser', { params: { id: user.id } }),
    onSuccess: (user) => {
      setNotice({
        tone: 'success',
        text: `${user.fullName} (${user.username}) is unlocked and can sign in again.`,
      });
      void queryClient.invalidateQueries({ queryKey: keys.users });
    },
    onError: (err) => setNotice({ tone: 'error', text: errorMessage(err) }),
  });

  const done = (text: string) => {
    setDialog(null);
    setNotice({ tone: 'success', text });
    void queryClient.invalidateQueries({ queryKey: keys.users });
  };

  const list = users.data?.users ?? [];
  return (
    <section className="page">
      <PageHeader
        title="Users"
        actions={
          creating ? null : (
            <Button variant="primary" onClick={() => setCreating(true)}>
              Add user
            </Button>
          )
        }
      >
        <p>Staff accounts on this clinic’s workstations. Roles decide what each person can open.</p>
      </PageHeader>

      {notice ? (
        <Alert tone={notice.tone} testId="users-notice">
          {notice.text}
        </Alert>
      ) : null}

      {creating ? (
        <NewUserForm
          onCancel={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            done(
              `Account created for ${user.fullName} (${user.username}). Give them the initial password in person; ` +
                'they set up their authenticator at first sign-in if their role requires it.',
            );
          }}
        />
      ) : null}

      {users.isPending ? <Loading label="Loading users…" /> : null}
      {users.isError ? <Alert tone="error">{errorMessage(users.error)}</Alert> : null}

      {users.isSuccess ? (
        <>
          <div className="table-wrap">
            <table className="table" aria-label="Staff accounts">
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Full name</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Status</th>
                  <th scope="col">MFA</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((user) => (
                  <tr key={user.id} data-testid={`user-row-${user.username}`}>
                    <td>
                      <code>{user.username}</code>
                      {user.id === session.user.id ? <span className="muted"> (you)</span> : null}
                    </td>
                    <td>{user.fullName}</td>
                    <td>{user.roles.map((r) => roleLabels[r]).join(', ')}</td>
                    <td>
                      <UserStatus user={user} timeZone={tz} />
                    </td>
                    <td>{user.mfaEnrolled ? 'Enrolled' : <span className="muted">Not set up</span>}</td>
                    <td>
                      {user.lastLoginAt ? (
                        formatShortDateTime(user.lastLoginAt, tz)
                      ) : (
                        <span className="muted">Never</span>
                      )}
                    </td>
                    <td>
                      <div className="row-actions">
                        <Button
                          size="small"
                          aria-label={`Edit ${user.username}`}
                          onClick={() => setDialog({ kind: 'edit', user })}
                        >
                          Edit user
                        </Button>
                        {isLocked(user) ? (
                          <Button
                            size="small"
                            variant="primary"
                            aria-label={`Unlock ${user.username}`}
                            busy={unlock.isPending && unlock.variables?.id === user.id}
                            busyLabel="Unlocking…"
                            onClick={() => unlock.mutate(user)}
                          >
                            Unlock account
                          </Button>
                        ) : null}
                        <Button
                          size="small"
                          aria-label={`Reset password for ${user.username}`}
                          onClick={() => setDialog({ kind: 'password', user })}
                        >
                          Reset password
                        </Button>
                        {user.mfaEnrolled ? (
                          <Button
                            size="small"
                            aria-label={`Reset MFA for ${user.username}`}
                            onClick={() => setDialog({ kind: 'mfa', user })}
                          >
                            Reset MFA
                          </Button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.length <= 1 && !creating ? (
            <EmptyState>
              Only you have an account so far. Add the rest of the staff with <strong>Add user</strong>; each
              person gets their own sign-in, so the audit report shows who did what.
            </EmptyState>
          ) : null}
        </>
      ) : null}

      {dialog?.kind === 'edit' ? (
        <EditUserDialog
          user={dialog.user}
          isSelf={dialog.user.id === session.user.id}
          onClose={() => setDialog(null)}
          onSaved={(u) => done(`Saved changes to ${u.fullName} (${u.username}).`)}
        />
      ) : null}
      {dialog?.kind === 'password' ? (
        <ResetPasswordDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onSaved={(u) => done(`New password set for ${u.username}. Give it to them in person.`)}
        />
      ) : null}
      {dialog?.kind === 'mfa' ? (
        <ResetMfaDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onSaved={(u) =>
            done(`MFA removed for ${u.username}. They set up an authenticator app at their next sign-in.`)
          }
        />
      ) : null}
    </section>
  );
}

function UserStatus({ user, timeZone }: { user: UserSummary; timeZone: string }) {
  if (!user.active) return <span className="badge badge-muted">Disabled</span>;
  if (isLocked(user)) {
    return (
      <span className="badge badge-danger">
        Locked until {formatShortDateTime(user.lockedUntil, timeZone)}
      </span>
    );
  }
  if (user.passwordChangeRequired) {
    // Still signs in with the password an administrator gave them; asked to choose their own at sign-in.
    return <span className="badge badge-warning">Must change password</span>;
  }
  return <span className="badge badge-ok">Active</span>;
}
