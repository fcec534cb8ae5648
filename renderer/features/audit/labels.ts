import type { AuditAction, AuditOutcome } from '../../../server/contracts/audit';

/** Plain words for the audit vocabulary; the code stays visible in the filter for people who know it. */
export const actionLabels: Record<AuditAction, string> = {
  'setup.complete': 'First-run setup',
  'auth.login': 'Sign-in',
  'auth.login_failed': 'Failed sign-in',
  'auth.lockout': 'Account locked out',
  'auth.logout': 'Sign-out',
  'auth.timeout': 'Idle time-out',
  'auth.mfa_failed': 'Wrong MFA code',
  'auth.mfa_enrolled': 'MFA set up',
  'auth.recovery_code_used': 'Recovery code used',
  'auth.password_changed': 'Password changed',
  'user.create': 'User created',
  'user.update': 'User changed',
  'user.unlock': 'User unlocked',
  'user.password_reset': 'Password reset',
  'user.mfa_reset': 'MFA reset',
  'settings.security_update': 'Security settings changed',
  'patient.create': 'Patient registered',
  'patient.read': 'Patient record viewed',
  'patient.update': 'Patient record changed',
  'patient.search': 'Patient search',
  'emergency.access': 'Emergency access',
  'access.denied': 'Access denied',
  'audit.read': 'Audit report viewed',
  'audit.export': 'Audit report exported',
  'record.print': 'Record printed',
  'record.export': 'Record exported',
  'backup.create': 'Backup created',
  'backup.restore': 'Backup restored',
  'db.rekey': 'Database key changed',
};

export const outcomeLabels: Record<AuditOutcome, string> = {
  success: 'Success',
  failure: 'Failure',
  denied: 'Denied',
};
