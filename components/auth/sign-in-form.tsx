'use client'
import { signIn } from 'next-auth/react'
import { useState, type FormEvent } from 'react'

export function SignInForm({ callbackUrl, initialError, oidcName }: { callbackUrl: string; initialError?: string; oidcName?: string }) {
  const [error, setError] = useState(initialError)
  const [isPending, setPending] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setPending(true)
    setError(undefined)
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    }).catch(() => undefined)
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl)
      return
    }
    setPending(false)
    setError(result?.error && result.error !== 'CredentialsSignin' ? result.error : 'Sign-in failed: check your email and password.')
  }

  return (
    <>
      {error ? (
        <div className="alert error" role="alert" data-testid="signin-error">
          {error}
        </div>
      ) : null}
      <form onSubmit={onSubmit}>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button className="primary" type="submit" disabled={isPending}>
          {isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {oidcName ? (
        <>
          <div className="divider">or</div>
          <button type="button" onClick={() => signIn('oidc', { callbackUrl })}>
            Sign in with {oidcName}
          </button>
        </>
      ) : null}
    </>
  )
}
