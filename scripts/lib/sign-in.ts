/** Signs in through next-auth's credentials endpoint, as e2e/support/auth.ts does, and returns the Cookie header. */
export async function signIn(url: string, email = 'responder@firebreak.demo', password = 'demo-responder-password'): Promise<string> {
  const jar = new Map<string, string>()
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair.indexOf('=')
      jar.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const csrfResponse = await fetch(`${url}/api/auth/csrf`)
  keep(csrfResponse)
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string }
  const callback = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
    redirect: 'manual',
  })
  keep(callback)
  await callback.arrayBuffer()
  const me = await fetch(`${url}/api/me`, { headers: { cookie: cookie() } })
  await me.arrayBuffer()
  if (me.status !== 200) throw new Error(`sign-in as ${email} failed: /api/me answered ${me.status}`)
  return cookie()
}
