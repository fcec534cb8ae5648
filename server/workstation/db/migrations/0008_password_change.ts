/**
 * Staff accounts whose password an administrator chose (a new account, a reset) must get a password of the
 * holder's own at the next sign-in. The flag replicates with the account, so the first sign-in on any
 * workstation of the clinic asks for it; choosing one's own password clears it. Existing accounts keep
 * their passwords (0).
 */
export const sql = /* sql */ `
ALTER TABLE users ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0;
`;
