import { safeReturn } from './SignInPage';
import { suggestTenantId } from './SignUpPage';

describe('safeReturn', () => {
  it('follows paths of this site only', () => {
    expect(safeReturn('/explorer?q=drop')).toBe('/explorer?q=drop');
    expect(safeReturn('//evil.example/')).toBe('/');
    expect(safeReturn('/\\evil.example')).toBe('/');
    expect(safeReturn('https://evil.example/')).toBe('/');
    expect(safeReturn(null)).toBe('/');
  });
});

describe('suggestTenantId', () => {
  it('makes an id the API accepts from a display name', () => {
    expect(suggestTenantId('Acme Corp. (EU)')).toBe('acme-corp-eu');
    expect(suggestTenantId('  Café Ünïcode ')).toBe('cafe-unicode');
  });
});
