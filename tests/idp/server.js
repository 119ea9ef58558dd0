// The organisation's IdP in the test suite: oidc-provider (a certified OpenID provider), started by
// tests/api/access/test_oidc_provider.py. Settings come from the environment:
//   PORT         where to listen (127.0.0.1)
//   JWKS_FILE    the signing keys, private (the first signs; rotation = restart with a new first key)
//   CLIENTS_FILE the clients: client_credentials clients whose `extra_claims` go into their tokens
import fs from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const jwks = JSON.parse(fs.readFileSync(process.env.JWKS_FILE, 'utf8'));
const clients = JSON.parse(fs.readFileSync(process.env.CLIENTS_FILE, 'utf8'));
const audience = process.env.AUDIENCE || 'api://turnabout';

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients,
  jwks,
  extraClientMetadata: { properties: ['extra_claims'] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'people:read people:write programs:read',
        audience,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  async extraTokenClaims(ctx, token) {
    const client = await provider.Client.find(token.clientId);
    return client?.extra_claims ?? {};
  },
});
provider.listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
