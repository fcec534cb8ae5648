import { describe, expect, it } from 'vitest';
import { firstTransactionSet } from '../../../server/contracts/claims/api';
import { ack277, ack999, era835 } from '../../fixtures/claims/inbound-files';

/** The screen sends a picked file to the 835 or the acknowledgment import by its first ST01 (the server checks again). */
describe('firstTransactionSet', () => {
  it('reads ST01 of 835, 999 and 277CA files', () => {
    expect(firstTransactionSet(era835({ control: 1, trace: 'T1', claims: [] }))).toBe('835');
    expect(firstTransactionSet(ack999({ control: 2, group: 5, accepted: true }))).toBe('999');
    expect(firstTransactionSet(ack277({ control: 3, claims: [] }))).toBe('277');
  });

  it('follows other delimiters and a bare ST without an envelope; answers null for anything else', () => {
    expect(firstTransactionSet('ISA|00|…~\nGS|HP|…~\nST|835|0001~')).toBe('835');
    expect(firstTransactionSet("ST*999*0001'AK1*HC*1'")).toBe('999');
    expect(firstTransactionSet('this is not an X12 file at all')).toBeNull();
    expect(firstTransactionSet('ISA*00*FIRST*ST*835')).toBeNull();
  });
});
