import { v7 as uuidv7 } from 'uuid';
import type { SetupDetails, SetupRequest, TotpEnrollment } from '../../../contracts/auth';
import { passwordProblem } from '../../../domain/auth/password-policy';
import { systemActor, type Store } from '../../db/store';
import { AppError, fieldError } from '../../../platform/errors';
import { hashPassword } from '../../../platform/passwords';
import { newRecoveryCodes } from '../auth/recovery-codes';
import { checkTotp } from '../../../platform/totp';
import { newEnrollment, type PendingEnrollment } from '../auth/totp';
import { CLINIC_INFO_KEY } from '../settings/clinic-info';
import { defaultSecuritySettings } from '../settings/security-settings';

/**
 * First run: create the clinic and its first administrator, with TOTP, in one transaction. There is no
 * default account; until this completes, only the setup endpoints answer.
 */
export class FirstRun {
  readonly #offers = new Map<string, PendingEnrollment>();

  constructor(private readonly store: Store) {}

  needed(): boolean {
    return this.store.clinicId === null;
  }

  async offerTotp(): Promise<TotpEnrollment> {
    this.#refuseIfDone();
    const { pending, offer } = await newEnrollment('administrator', Date.now());
    this.#offers.set(pending.id, pending);
    return offer;
  }

  /**
   * Everything about the first step that the server alone can judge (the common-password list), so the
   * screen can say so before the administrator sets up the authenticator app, not after.
   */
  checkDetails(details: SetupDetails): void {
    this.#refuseIfDone();
    const problem = passwordProblem(details.admin.password, { username: details.admin.username });
    if (problem) throw fieldError('admin.password', problem);
  }

  async complete(req: SetupRequest): Promise<string[]> {
    this.checkDetails(req);
    const offer = this.#offers.get(req.enrollmentId);
    if (!offer || offer.expiresAt < Date.now()) {
      throw new AppError(400, 'enrollment_expired', 'The authenticator set-up expired. Scan the new code.');
    }
    const counter = checkTotp(offer.secret, req.totpCode, this.store.now().getTime());
    if (counter === null) throw fieldError('totpCode', 'That code does not match. Check the time on the phone.');
    const passwordHash = await hashPassword(req.admin.password);
    const { codes, hashes } = newRecoveryCodes();
    const clinicId = uuidv7();
    const userId = uuidv7();
    const now = this.store.nowIso();
    this.store.write(systemActor, (w) => {
      // Re-checked inside the transaction: two browsers racing through setup must not make two clinics.
      this.#refuseIfDone();
      this.store.setClinic(w, clinicId);
      w.setClinicSetting(CLINIC_INFO_KEY, { name: req.clinicName, timeZone: req.timeZone });
      w.setClinicSetting('security', defaultSecuritySettings);
      w.insert('users', {
        id: userId,
        clinicId,
        username: req.admin.username,
        fullName: req.admin.fullName,
        passwordHash,
        roles: JSON.stringify(['admin']),
        active: true,
        mfaSecret: offer.secret,
        mfaEnrolledAt: now,
        mfaLastCounter: counter,
        recoveryCodeHashes: JSON.stringify(hashes),
        failedAttempts: 0,
        createdAt: now,
        updatedAt: now,
      });
      w.audit({ action: 'setup.complete', detail: { adminUserId: userId, timeZone: req.timeZone } });
    });
    this.#offers.clear();
    return codes;
  }

  #refuseIfDone(): void {
    if (!this.needed()) throw new AppError(409, 'already_set_up', 'This workstation is already set up. Sign in.');
  }
}
