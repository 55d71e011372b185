/** Fetch helper for the admin screens: returns JSON or throws with the API's own error message. */
export async function callApi<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } })
  const body = await response.json().catch(() => null)
  if (!response.ok) {
    const error = body?.error
    const details = Array.isArray(error?.issues) ? ` (${error.issues.map((i: { path: string; message: string }) => `${i.path}: ${i.message}`).join('; ')})` : ''
    throw new Error((error?.message ?? `Request failed with ${response.status}`) + details)
  }
  return body as T
}
