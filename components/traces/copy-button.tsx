'use client'
import { useEffect, useState } from 'react'

/** Copies a value (a trace id, a link, a prompt) and says so; when the clipboard is refused it says that instead. */
export function CopyButton({ value, label = 'Copy', what }: { value: string; label?: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2_000)
    return () => clearTimeout(timer)
  }, [state])
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setState('copied')
    } catch {
      setState('failed')
    }
  }
  return (
    <button type="button" className="trace-copy" onClick={copy} aria-label={`${label} ${what}`} title={`${label} ${what}`}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : label}
      <span className="trace-sr-only" role="status">{state === 'copied' ? `${what} copied` : state === 'failed' ? 'The browser refused the clipboard: select the text and copy it' : ''}</span>
    </button>
  )
}
