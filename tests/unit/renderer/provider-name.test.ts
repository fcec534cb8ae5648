import { describe, expect, it } from 'vitest';
import { providerDisplayName } from '../../../renderer/features/scheduling/provider-name';

describe('a provider name with credentials', () => {
  it('adds the credentials once', () => {
    expect(providerDisplayName({ name: 'Jordan Lee', credentials: 'MD' })).toBe('Jordan Lee, MD');
  });
  it('does not double credentials already in the name', () => {
    expect(providerDisplayName({ name: 'Jordan Lee, MD', credentials: 'MD' })).toBe('Jordan Lee, MD');
    expect(providerDisplayName({ name: 'Jordan Lee M.D.', credentials: 'MD' })).toBe('Jordan Lee M.D.');
    expect(providerDisplayName({ name: 'Sam Park, LCSW', credentials: 'lcsw' })).toBe('Sam Park, LCSW');
  });
  it('shows the bare name without credentials', () => {
    expect(providerDisplayName({ name: 'Jordan Lee', credentials: '' })).toBe('Jordan Lee');
    expect(providerDisplayName({ name: 'Jordan Lee' })).toBe('Jordan Lee');
  });
});
