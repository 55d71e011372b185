'use client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { callApi } from '@/components/api-client'
import type { PanelRange } from './promql-block'
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
  range: PanelRange
  incident?: { number: number; initialTicks: Tick[]; canTick: boolean }
}) {
  const queryClient = useQueryClient()
  const [error, setError] = useState<string | null>(null)
  // a tick shows at once; if the server refuses it, it springs back and the error says why
  const [optimistic, setOptimistic] = useState<Record<string, boolean>>({})
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
    onMutate: ({ itemKey, checked }) => setOptimistic((o) => ({ ...o, [itemKey]: checked })),
    onSuccess: () => {
      setError(null)
      return queryClient.invalidateQueries({ queryKey: ['checklist', props.id, incident?.number] })
    },
    onError: (e) => setError(e.message),
    onSettled: (_data, _error, { itemKey }) =>
      setOptimistic((o) => {
        const { [itemKey]: _settled, ...rest } = o
        return rest
      }),
  })
  const checklist: ChecklistState | undefined = incident
    ? {
        canTick: incident.canTick,
        items: props.steps.map((s) => {
          const tick = ticks.data?.find((t) => t.itemKey === s.key)
          const pending = optimistic[s.key]
          return { ...s, tick: pending === undefined ? tick : { checked: pending, byName: tick?.byName ?? 'you', at: tick?.at ?? new Date().toISOString() } }
        }),
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
