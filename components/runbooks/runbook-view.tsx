'use client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { callApi } from '@/components/admin/api'
import { RunbookMarkdown, type ChecklistState } from './runbook-markdown'

interface Tick {
  itemKey: string
  checked: boolean
  byName: string
  at: string
}

export function RunbookView(props: {
  id: string
  body: string
  steps: { key: string; plain: string }[]
  range: { start: string; end: string; label: string }
  incident?: { number: number; initialTicks: Tick[]; canTick: boolean }
}) {
  const queryClient = useQueryClient()
  const [error, setError] = useState<string | null>(null)
  const incident = props.incident
  const ticks = useQuery({
    queryKey: ['checklist', props.id, incident?.number],
    queryFn: () => callApi<{ ticks: Tick[] }>(`/api/runbooks/${props.id}/checklist?incident=${incident!.number}`).then((r) => r.ticks),
    initialData: incident?.initialTicks,
    enabled: !!incident,
    refetchInterval: 5_000,
  })
  const toggle = useMutation({
    mutationFn: (input: { itemKey: string; checked: boolean }) =>
      callApi(`/api/runbooks/${props.id}/checklist`, { method: 'POST', body: JSON.stringify({ incident: incident!.number, ...input }) }),
    onSuccess: () => {
      setError(null)
      return queryClient.invalidateQueries({ queryKey: ['checklist', props.id, incident?.number] })
    },
    onError: (e) => setError(e.message),
  })
  const checklist: ChecklistState | undefined = incident
    ? {
        canTick: incident.canTick && !toggle.isPending,
        items: props.steps.map((s) => ({ ...s, tick: ticks.data?.find((t) => t.itemKey === s.key) })),
        onToggle: (itemKey, checked) => toggle.mutate({ itemKey, checked }),
      }
    : undefined
  const done = checklist?.items.filter((i) => i.tick?.checked).length ?? 0
  return (
    <>
      {incident ? (
        <div className="checklist-progress" role="status" data-testid="checklist-progress">
          Checklist for INC-{incident.number}: {done} of {props.steps.length} steps done
          {!incident.canTick ? ' (your role cannot tick steps)' : ''}
        </div>
      ) : null}
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      <RunbookMarkdown body={props.body} range={props.range} checklist={checklist} />
    </>
  )
}
