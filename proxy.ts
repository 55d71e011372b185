import { NextResponse, type NextRequest } from 'next/server'

/**
 * Runs before every page:
 * 1. A strict Content Security Policy with a fresh nonce per request: scripts run only if Next.js marked them with
 *    it ('strict-dynamic' lets them load their chunks), so markup injected through a runbook cannot run a script even
 *    if it got past the sanitiser. Styles allow inline attributes (React and the charts set them); nothing else does.
 * 2. Convenience only: a browser without a session cookie goes to the sign-in page with a callback to where it was
 *    going, so a pasted link lands there after sign-in. Every page and API route checks the session on the server
 *    itself (lib/auth/session.ts); this is not the security boundary.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64')
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')

  const { pathname, search } = request.nextUrl
  const isSignIn = pathname === '/signin' || pathname.startsWith('/signin/')
  const hasSession = request.cookies.has('next-auth.session-token') || request.cookies.has('__Secure-next-auth.session-token')
  if (!isSignIn && !hasSession) {
    const url = request.nextUrl.clone()
    url.pathname = '/signin'
    url.search = ''
    url.searchParams.set('callbackUrl', pathname + search)
    return NextResponse.redirect(url)
  }

  const requestHeaders = new Headers(request.headers)
  requestHeaders.set('x-nonce', nonce)
  requestHeaders.set('Content-Security-Policy', csp)
  const response = NextResponse.next({ request: { headers: requestHeaders } })
  response.headers.set('Content-Security-Policy', csp)
  return response
}

export const config = {
  // pages only: API routes answer 401 themselves and return JSON, static files need no policy; /v1/ is the OTLP
  // receiver (token-authenticated, and a proxy would buffer its bodies)
  matcher: [{ source: '/((?!api|v1/|_next/static|_next/image|favicon.ico|robots.txt).*)', missing: [{ type: 'header', key: 'next-router-prefetch' }] }],
}
