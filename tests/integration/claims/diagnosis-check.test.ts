import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/workstation/db/open';
import { Store } from '../../../server/workstation/db/store';
import { diagnosisChecker } from '../../../server/workstation/services/claims/diagnosis-check';
import { installSampleCodeSet, syntheticCodeSetText } from '../../fixtures/icd10cm';
import { installCodeSet } from '../../../server/workstation/services/clinical/icd10/code-set';
import { systemActor } from '../../../server/workstation/db/store';
import { tempDir } from '../../support/workstation';

describe('scrubber diagnosis check against the installed ICD-10-CM code set', () => {
  it('cannot judge codes without a code set, judges what a partial set has', () => {
    const db = openDatabase(path.join(tempDir('tessera-claims-'), 'db.sqlite'), null, { unencrypted: true });
    try {
      const store = new Store(db);
      expect(diagnosisChecker(store)('F41.1', '2026-03-02')).toBe('no_code_set');
      installSampleCodeSet(store);
      const check = diagnosisChecker(store);
      expect(check('E11.9', '2026-03-02')).toBe('valid');
      expect(check('E119', '2026-03-02')).toBe('valid');
      // The sample is a partial set: a code it lacks may still exist, so it is not refused.
      expect(check('Q99.9', '2026-03-02')).toBe('no_code_set');
    } finally {
      db.close();
    }
  });

  it('refuses a code a full code set does not have', () => {
    const db = openDatabase(path.join(tempDir('tessera-claims-'), 'db.sqlite'), null, { unencrypted: true });
    try {
      const store = new Store(db);
      installCodeSet(store, systemActor, { text: syntheticCodeSetText(10_000), release: 'Synthetic', source: 'test' });
      const check = diagnosisChecker(store);
      expect(check('Z9Z0001', '2026-03-02')).toBe('valid');
      expect(check('F41.1', '2026-03-02')).toBe('unknown');
    } finally {
      db.close();
    }
  });
});
