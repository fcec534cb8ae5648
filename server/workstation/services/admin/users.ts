import { asc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { CreateUser, UserSummary } from '../../../contracts/admin';
import type { Role } from '../../../contracts/admin/permissions';
import { passwordProblem } from '../../../domain/auth/password-policy';
import { users } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { AppError, fieldError, notFound } from '../../../platform/errors';
import { hashPassword } from '../../../platform/passwords';
import type { Sessions } from '../auth/sessions';
import { findUserById, findUserByUsername, toUserSummary, userRoles, type UserRow } from './user-rows';
import { staffApproval } from './staff-approval';

/** Staff account administration. Every change is audited with what changed (never the password). */
export class UserAdmin {
  constructor(
    private readonly store: Store,
    private readonly sessions: Sessions,
  ) {}

  list(): UserSummary[] {
    return this.store.orm
      .select()
      .from(users)
      .where(eq(users.clinicId, this.store.requireClinicId()))
      .orderBy(asc(users.username))
      .all()
      .filter((u) => u.deletedAt === null)
      .map(toUserSummary);
  }

  /**
   * A new account's password is the administrator's choice, so its holder must choose their own at first
   * sign-in (`passwordChangeRequired`). The demo seed, whose password is printed for trying things out,
   * is the one caller that opts out.
   */
  async create(
    actor: Actor,
    input: CreateUser,
    opts: { passwordChangeRequired?: boolean } = {},
  ): Promise<UserSummary> {
    if (findUserByUsername(this.store, input.username)) {
      throw fieldError('username', 'That username is taken.');
    }
    const problem = passwordProblem(input.password, { username: input.username });
    if (problem) throw fieldError('password', problem);
    const passwordHash = await hashPassword(input.password);
    const now = this.store.nowIso();
    const id = uuidv7();
    this.store.write(actor, (w) => {
      if (findUserByUsername(this.store, input.username))
        throw fieldError('username', 'That username is taken.');
      const row = {
        id,
        clinicId: this.store.requireClinicId(),
        username: input.username,
        fullName: input.fullName,
        passwordHash,
        roles: JSON.stringify(dedupe(input.roles)),
        active: true,
        recoveryCodeHashes: '[]',
        failedAttempts: 0,
        passwordChangeRequired: opts.passwordChangeRequired ?? true,
        createdAt: now,
        updatedAt: now,
      };
      w.insert('users', { ...row, changeApproval: this.#approval(actor, id, row, null) });
      w.audit({
        action: 'user.create',
        detail: { targetUserId: id, username: input.username, roles: input.roles },
      });
    });
    return toUserSummary(this.#get(id));
  }

  update(
    actor: Actor,
    id: string,
    patch: { fullName?: string; roles?: Role[]; active?: boolean },
  ): UserSummary {
    const before = this.#get(id);
    if (id === actor.userId && (patch.active === false || (patch.roles && !patch.roles.includes('admin')))) {
      throw new AppError(
        400,
        'cannot_demote_self',
        'You cannot disable your own account or remove your own admin role.',
      );
    }
    const roles = patch.roles ? dedupe(patch.roles) : undefined;
    this.store.write(actor, (w) => {
      const changes = {
        ...(patch.fullName !== undefined && { fullName: patch.fullName }),
        ...(roles && { roles: JSON.stringify(roles) }),
        ...(patch.active !== undefined && { active: patch.active }),
        updatedAt: this.store.nowIso(),
      };
      w.update('users', id, { ...changes, ...this.#approvalFor(actor, id, changes) });
      w.audit({
        action: 'user.update',
        detail: {
          targetUserId: id,
          ...(roles && { rolesBefore: userRoles(before), rolesAfter: roles }),
          ...(patch.active !== undefined && { activeBefore: before.active, activeAfter: patch.active }),
          ...(patch.fullName !== undefined && { nameChanged: true }),
        },
      });
    });
    if (patch.active === false) this.sessions.endAllFor(id, 'account_disabled');
    return toUserSummary(this.#get(id));
  }

  unlock(actor: Actor, id: string): UserSummary {
    this.#get(id);
    this.store.write(actor, (w) => {
      w.update('users', id, { failedAttempts: 0, lockedUntil: null, updatedAt: this.store.nowIso() });
      w.audit({ action: 'user.unlock', detail: { targetUserId: id } });
    });
    return toUserSummary(this.#get(id));
  }

  async resetPassword(actor: Actor, id: string, password: string): Promise<UserSummary> {
    const user = this.#get(id);
    const problem = passwordProblem(password, { username: user.username });
    if (problem) throw fieldError('password', problem);
    const passwordHash = await hashPassword(password);
    this.store.write(actor, (w) => {
      // The administrator knows this password: its holder replaces it at the next sign-in.
      const changes = {
        passwordHash,
        passwordChangeRequired: true,
        failedAttempts: 0,
        lockedUntil: null,
        updatedAt: this.store.nowIso(),
      };
      w.update('users', id, { ...changes, ...this.#approvalFor(actor, id, changes) });
      w.audit({ action: 'user.password_reset', detail: { targetUserId: id } });
    });
    this.sessions.endAllFor(id, 'password_reset');
    return toUserSummary(this.#get(id));
  }

  resetMfa(actor: Actor, id: string): UserSummary {
    this.#get(id);
    this.store.write(actor, (w) => {
      const changes = {
        mfaSecret: null,
        mfaEnrolledAt: null,
        mfaLastCounter: null,
        recoveryCodeHashes: '[]',
        updatedAt: this.store.nowIso(),
      };
      w.update('users', id, { ...changes, ...this.#approvalFor(actor, id, changes) });
      w.audit({ action: 'user.mfa_reset', detail: { targetUserId: id } });
    });
    this.sessions.endAllFor(id, 'mfa_reset');
    return toUserSummary(this.#get(id));
  }

  /** The signed-in administrator's approval of the account's values after the change (central checks it). */
  #approval(
    actor: Actor,
    id: string,
    after: Record<string, unknown>,
    previous: string | null,
  ): string | null {
    return actor.userId ? staffApproval(this.store, actor.userId, id, after, previous) : null;
  }

  #approvalFor(actor: Actor, id: string, changes: Record<string, unknown>): { changeApproval?: string } {
    const before = this.#get(id);
    const approval = this.#approval(actor, id, { ...before, ...changes }, before.changeApproval);
    return approval ? { changeApproval: approval } : {};
  }

  #get(id: string): UserRow {
    const row = findUserById(this.store, id);
    if (!row || row.clinicId !== this.store.clinicId) throw notFound('That staff account');
    return row;
  }
}

const dedupe = (roles: Role[]) => [...new Set(roles)];
