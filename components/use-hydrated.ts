'use client'
import { useEffect, useState } from 'react'

/**
 * False in the server-rendered page, true once React has taken over. Editors with prefilled text stay read-only
 * until then: an edit made before hydration is lost, or doubled when React restores its own value under a selection
 * (seen in the e2e run on a loaded machine).
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}
