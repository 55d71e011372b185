/** Fixed loopback ports for the e2e run (overridable), so the config can name its base URL before set-up starts. */
const appPort = Number(process.env.E2E_APP_PORT ?? 3410)
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 3411)

export const E2E = {
  appPort,
  oidcPort,
  demoPort: Number(process.env.E2E_DEMO_PORT ?? 3420),
  appUrl: `http://127.0.0.1:${appPort}`,
  oidcIssuer: `http://127.0.0.1:${oidcPort}`,
  oidcClientId: 'firebreak-e2e',
  oidcClientSecret: 'firebreak-e2e-client-secret',
  oidcDisplayName: 'Test SSO',
}
