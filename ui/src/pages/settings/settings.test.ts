import { scopesFor } from './KeysPage';

describe('key scopes', () => {
  it('gives a token the right to connect, to every endpoint or one', () => {
    expect(scopesFor('personalAccessToken', ['events:read'], '')).toEqual(['db:connect']);
    expect(scopesFor('personalAccessToken', [], ' shop-db ')).toEqual(['db:connect:shop-db']);
  });

  it('gives an API key only real permissions', () => {
    expect(scopesFor('apiKey', ['events:read', 'root', 'ledger:read'], '')).toEqual(['events:read', 'ledger:read']);
  });
});
