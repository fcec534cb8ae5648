/**
 * Central schema: the patient opens their own video visit from the portal (issue 11). A join link now says
 * how it came to be: `staff` (the Links dialog; `created_by` is that staff member) or `portal` (the signed-in
 * patient's "Join video visit"; no staff author). The check keeps the two apart, so a link is never
 * portal-made with a staff author or staff-made without one.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

ALTER TABLE telehealth_links ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE telehealth_links ADD COLUMN created_via text NOT NULL DEFAULT 'staff'
  CHECK (created_via IN ('staff', 'portal'));
ALTER TABLE telehealth_links ADD CONSTRAINT telehealth_links_author
  CHECK ((created_via = 'staff') = (created_by IS NOT NULL));
`;
