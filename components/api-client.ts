/** An API error as the client sees it: the server's message, its code, and any details it sent to recover with. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly details?: unknown,
    /** one entry per invalid field, for forms that show each next to its field */
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message)
  }
}

/** Fetch helper for the console's screens: returns JSON or throws an ApiError with the API's own message. */
export async function callApi<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } })
  const body = await response.json().catch(() => null)
  if (!response.ok) {
    const error = body?.error
    const details = Array.isArray(error?.issues) ? ` (${error.issues.map((i: { path: string; message: string }) => `${i.path}: ${i.message}`).join('; ')})` : ''
    throw new ApiError((error?.message ?? `Request failed with ${response.status}`) + details, response.status, error?.code, error?.details, Array.isArray(error?.issues) ? error.issues : [])
  }
  return body as T
}
