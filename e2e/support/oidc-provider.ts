/**
 * A real, certified OpenID provider (the `oidc-provider` package) on 127.0.0.1 for the SSO test. Its built-in
 * development login page accepts any login name; the account's email is `<login>@sso.example`.
 */
import type { Server } from 'node:http'
import Provider from 'oidc-provider'
import { E2E } from './ports'

export async function startOidcProvider(): Promise<{ stop(): Promise<void> }> {
  const provider = new Provider(E2E.oidcIssuer, {
    clients: [
      {
        client_id: E2E.oidcClientId,
        client_secret: E2E.oidcClientSecret,
        redirect_uris: [`${E2E.appUrl}/api/auth/callback/oidc`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: `${id}@sso.example`, email_verified: true, name: `SSO ${id}` }
        },
      }
    },
    cookies: { keys: ['firebreak-e2e-oidc-cookie-key'] },
  })
  // The issuer is plain http on loopback; tell the provider it may be.
  provider.proxy = true
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(E2E.oidcPort, '127.0.0.1', () => resolve(s))
  })
  return { stop: () => new Promise((resolve) => server.close(() => resolve())) }
}
