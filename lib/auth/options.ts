import 'server-only'
import type { NextAuthOptions } from 'next-auth'
import CredentialsProvider from 'next-auth/providers/credentials'
import type { Provider } from 'next-auth/providers/index'
import { getDb } from '@/lib/db'
import { getEnv } from '@/lib/env'
import { logger } from '@/lib/logger'
import { credentialsSchema } from '@/lib/users/schemas'
import { clientAddress } from './request'
import { SIGN_IN_MESSAGES, SignInRefused, signInWithOidc, signInWithPassword } from './sign-in'

export const OIDC_PROVIDER_ID = 'oidc'

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined
  const value = (headers as Record<string, string | string[] | undefined>)[name]
  return Array.isArray(value) ? value[0] : value
}

function buildProviders(): Provider[] {
  const env = getEnv()
  const providers: Provider[] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        const parsed = credentialsSchema.safeParse(credentials)
        if (!parsed.success) throw new Error(SIGN_IN_MESSAGES.invalid)
        const ip = clientAddress(headerValue(req?.headers, 'x-forwarded-for'), headerValue(req?.headers, 'x-real-ip'))
        try {
          const actor = await signInWithPassword(parsed.data.email, parsed.data.password, ip, headerValue(req?.headers, 'user-agent'))
          return { id: actor.id, email: actor.email, name: actor.name }
        } catch (error) {
          if (error instanceof SignInRefused) throw new Error(error.message)
          logger.error('password sign-in failed', { error })
          throw new Error('Sign-in is unavailable right now (the database did not answer). Try again in a minute.')
        }
      },
    }),
  ]
  if (env.oidc) {
    providers.push({
      id: OIDC_PROVIDER_ID,
      name: env.oidc.displayName,
      type: 'oauth',
      wellKnown: `${env.oidc.issuer}/.well-known/openid-configuration`,
      clientId: env.oidc.clientId,
      clientSecret: env.oidc.clientSecret,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      // The ID token is verified; email and name come from userinfo too, since not every provider puts them in the token.
      userinfo: {
        async request({ client, tokens }) {
          // next-auth types tokens loosely; at run time it is openid-client's TokenSet
          const fromToken = (tokens as unknown as { claims(): { sub: string } & Record<string, unknown> }).claims()
          const fromUserinfo = tokens.access_token ? await client.userinfo(tokens.access_token).catch(() => ({})) : {}
          return { ...fromToken, ...fromUserinfo, sub: fromToken.sub }
        },
      },
      checks: ['pkce', 'state'],
      profile(profile: { sub: string; email?: string; name?: string; preferred_username?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.preferred_username ?? null }
      },
    })
  }
  return providers
}

let cached: NextAuthOptions | undefined

export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached
  const env = getEnv()
  cached = {
    secret: env.nextAuthSecret,
    session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
    pages: { signIn: '/signin', error: '/signin' },
    providers: buildProviders(),
    logger: {
      error: (code, metadata) => logger.error(`next-auth: ${code}`, { metadata }),
      warn: (code) => logger.warn(`next-auth: ${code}`),
      debug: () => undefined,
    },
    callbacks: {
      async signIn({ account, user }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true
        if (!user.email) return '/signin?error=OidcNoEmail'
        try {
          await signInWithOidc({ email: user.email, name: user.name }, env.oidc!.defaultRole)
          return true
        } catch (error) {
          if (error instanceof SignInRefused) return '/signin?error=AccountDisabled'
          logger.error('OIDC sign-in failed', { error })
          return '/signin?error=Unavailable'
        }
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          // The OIDC subject is not our user id: find the account the signIn callback created or matched.
          const dbUser = account.provider === OIDC_PROVIDER_ID
            ? await getDb().user.findUnique({ where: { email: user.email!.toLowerCase() }, select: { id: true } })
            : { id: user.id }
          token.uid = dbUser?.id
        }
        return token
      },
      async session({ session, token }) {
        if (session.user) (session.user as { id?: string }).id = token.uid as string | undefined
        return session
      },
    },
  }
  return cached
}
