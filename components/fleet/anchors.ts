import type { Flag } from '@/lib/fleet/types'

/** Element ids for rows, so a flag links to its row and a URL fragment lands on it. */
export function anchorId(kind: 'node' | 'pod' | 'pipeline', name: string): string {
  return `${kind}-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`
}

export function flagAnchor(flag: Flag): string {
  if (flag.pod) return anchorId('pod', flag.pod)
  if (flag.node) return anchorId('node', flag.node)
  return anchorId('pipeline', flag.pipeline ?? '')
}
