import { NextResponse, type NextRequest } from 'next/server'

/**
 * Convenience only: sends a browser without a session cookie to the sign-in page with a callback to where it was
 * going, so a pasted link lands there after sign-in. Every page and API route checks the session on the server
 * itself (lib/auth/session.ts); this is not the security boundary.
 */
export function proxy(request: NextRequest) {
  const hasSession = request.cookies.has('next-auth.session-token') || request.cookies.has('__Secure-next-auth.session-token')
  if (hasSession) return NextResponse.next()
  const url = request.nextUrl.clone()
  url.pathname = '/signin'
  url.search = ''
  url.searchParams.set('callbackUrl', request.nextUrl.pathname + request.nextUrl.search)
  return NextResponse.redirect(url)
}

export const config = {
  // pages only: API routes answer 401 themselves, and sign-in, static files and the health check stay reachable
  matcher: ['/((?!api|signin|_next|favicon.ico|robots.txt).*)'],
}
