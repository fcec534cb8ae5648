/**
 * A staff account's change approval (domain/sync/staff-approval.ts): the administrator's signed approval of
 * the account's security-relevant values (roles, password, activity, …), which central verifies before it
 * accepts such a change from a workstation. JSON text; null on accounts nobody has changed since.
 */
export const sql = /* sql */ `
ALTER TABLE users ADD COLUMN change_approval TEXT;
`;
