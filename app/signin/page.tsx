import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { SignInForm } from '@/components/auth/sign-in-form'
import { getActor } from '@/lib/auth/session'
import { getEnv } from '@/lib/env'

export const metadata: Metadata = { title: 'Sign in' }
export const dynamic = 'force-dynamic'

const ERROR_TEXT: Record<string, string> = {
  AccountDisabled: 'This account is disabled. Ask an admin to enable it.',
  OidcNoEmail: 'Your identity provider did not send an email address; Firebreak needs one to find your account.',
  Unavailable: 'Sign-in is unavailable right now. Try again in a minute.',
  OAuthSignin: 'Could not reach the identity provider. Try again, or sign in with a password.',
  OAuthCallback: 'The identity provider answered with an error. Try again, or sign in with a password.',
  SessionRequired: 'Sign in to see that page.',
}

/** Only same-site paths: a callbackUrl from a pasted link must not send anyone to another site. */
function safeCallback(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/'
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams
  const callbackUrl = safeCallback(params.callbackUrl)
  if (await getActor()) redirect(callbackUrl)
  const oidc = getEnv().oidc
  const error = params.error ? (ERROR_TEXT[params.error] ?? params.error) : undefined
  return (
    <div className="signin">
      <div className="panel">
        <div>
          <h1>
            Fire<span style={{ color: 'var(--accent)' }}>break</span>
          </h1>
          <p className="muted" style={{ margin: 0 }}>Incident console and runbooks for ML inference</p>
        </div>
        <SignInForm callbackUrl={callbackUrl} initialError={error} oidcName={oidc?.displayName} />
      </div>
    </div>
  )
}
