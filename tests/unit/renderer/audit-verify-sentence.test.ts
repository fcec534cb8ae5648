import { describe, expect, it } from 'vitest';
import { auditVerifySentence } from '../../../renderer/features/audit/AuditVerify';

describe('the audit check answered in one sentence', () => {
  it('says how many entries an intact log has', () => {
    expect(auditVerifySentence({ ok: true, checked: 1, problems: [] })).toBe(
      'Audit log intact: 1 entry checked, none altered or missing.',
    );
    expect(auditVerifySentence({ ok: true, checked: 240, problems: [] })).toBe(
      'Audit log intact: 240 entries checked, none altered or missing.',
    );
  });

  it('names the first broken link, and counts the rest', () => {
    const altered = { seq: 3, problem: 'content was altered after it was written' };
    expect(auditVerifySentence({ ok: false, checked: 40, problems: [altered] })).toBe(
      'Audit log broken: 40 entries checked; the first broken link is at entry 3 (content was altered after it was written).',
    );
    const missing = { seq: 9, problem: 'entry 8 is missing (next found is 9)' };
    expect(auditVerifySentence({ ok: false, checked: 40, problems: [altered, missing, missing] })).toMatch(
      /first broken link is at entry 3 \(content was altered after it was written\), and 2 more problems after it\.$/,
    );
  });
});
