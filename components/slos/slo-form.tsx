'use client'
import { useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { ApiError, callApi } from '@/components/api-client'
import type { Slo } from './types'

const WINDOW = '{{.window}}'

/** Define or edit an SLO. Every field is a labelled input; the server's per-field errors show next to each. */
export function SloForm({ existing }: { existing?: Slo }) {
  const router = useRouter()
  const queryClient = useQueryClient()
  const sli = existing?.sli
  const [kind, setKind] = useState<'ratio' | 'threshold'>(sli?.kind ?? 'ratio')
  const [eventKind, setEventKind] = useState<'bad' | 'good'>(sli?.kind === 'ratio' && sli.goodQuery && !sli.badQuery ? 'good' : 'bad')
  const [issues, setIssues] = useState<Record<string, string>>({})
  const [message, setMessage] = useState<string | null>(null)
  const [isSaving, setSaving] = useState(false)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const text = (name: string) => String(form.get(name) ?? '').trim()
    const objectivePercent = Number(text('objective'))
    const body = {
      ...(existing ? { version: existing.version } : { name: text('name') }),
      displayName: text('displayName'),
      service: text('service'),
      description: text('description'),
      objective: Number.isFinite(objectivePercent) ? Math.round(objectivePercent * 1e6) / 1e8 : NaN,
      periodDays: Number(text('periodDays')),
      alerting: text('alerting'),
      minEvents: Number(text('minEvents') || 0),
      sli:
        kind === 'ratio'
          ? { kind, totalQuery: text('totalQuery'), ...(eventKind === 'bad' ? { badQuery: text('eventQuery') } : { goodQuery: text('eventQuery') }) }
          : { kind, query: text('query'), op: text('op'), value: Number(text('value')) },
    }
    setSaving(true)
    setIssues({})
    setMessage(null)
    try {
      const { slo } = await callApi<{ slo: Slo }>(existing ? `/api/slos/${existing.name}` : '/api/slos', { method: existing ? 'PUT' : 'POST', body: JSON.stringify(body) })
      await queryClient.invalidateQueries({ queryKey: ['slos'] })
      await queryClient.invalidateQueries({ queryKey: ['slo', slo.name] })
      router.push(`/slos/${slo.name}`)
      router.refresh()
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) {
        setIssues(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^sli\.(goodQuery|badQuery)$/, 'sli.eventQuery'), i.message])))
        setMessage('Some fields need attention; nothing was saved.')
      } else {
        setMessage(error instanceof Error ? error.message : 'Saving failed; nothing was saved.')
      }
    } finally {
      setSaving(false)
    }
  }

  async function remove() {
    if (!existing || !window.confirm(`Delete the SLO “${existing.displayName}”? Its definition goes; the audit log keeps a copy.`)) return
    setSaving(true)
    try {
      await callApi(`/api/slos/${existing.name}`, { method: 'DELETE' })
      await queryClient.invalidateQueries({ queryKey: ['slos'] })
      router.push('/slos')
      router.refresh()
    } catch (error) {
      setMessage(error instanceof Error ? error.message : 'Deleting failed; nothing was changed.')
      setSaving(false)
    }
  }

  const field = (path: string) => (issues[path] ? <span className="field-error" id={`${path}-error`} role="alert">{issues[path]}</span> : null)
  const described = (path: string) => (issues[path] ? { 'aria-invalid': true, 'aria-describedby': `${path}-error` } : {})
  return (
    <form className="panel slo-form" onSubmit={submit} noValidate>
      {message ? <div className="alert error" role="alert">{message}</div> : null}
      {!existing ? (
        <label>
          Name (in links and exported rules)
          <input name="name" required placeholder="rag-chat-availability" pattern="[a-z0-9]([-a-z0-9]*[a-z0-9])?" {...described('name')} />
          {field('name')}
        </label>
      ) : null}
      <label>
        Title
        <input name="displayName" required defaultValue={existing?.displayName} placeholder="rag-chat answers without a gateway error" {...described('displayName')} />
        {field('displayName')}
      </label>
      <div className="form-row">
        <label>
          Service or pipeline
          <input name="service" required defaultValue={existing?.service} placeholder="rag-chat" {...described('service')} />
          {field('service')}
        </label>
        <label>
          Objective (%)
          <input name="objective" required inputMode="decimal" defaultValue={existing ? String(Math.round(existing.objective * 1e8) / 1e6) : '99.9'} {...described('objective')} />
          {field('objective')}
        </label>
        <label>
          Period (days)
          <input name="periodDays" type="number" min={1} max={90} required defaultValue={existing?.periodDays ?? 30} {...described('periodDays')} />
          {field('periodDays')}
        </label>
      </div>
      <label>
        Description
        <textarea name="description" rows={2} defaultValue={existing?.description} />
      </label>
      <fieldset>
        <legend>Indicator</legend>
        <label className="inline">
          <input type="radio" name="kind" value="ratio" checked={kind === 'ratio'} onChange={() => setKind('ratio')} /> Ratio of events (requests, completions)
        </label>
        <label className="inline">
          <input type="radio" name="kind" value="threshold" checked={kind === 'threshold'} onChange={() => setKind('threshold')} /> Threshold on a value, budgeted by time slices
        </label>
        {kind === 'ratio' ? (
          <>
            <p className="muted small">Write each range as <code>[{WINDOW}]</code>: Firebreak fills in every burn-rate window (5m, 1h, 6h, 30d, …).</p>
            <label>
              <select value={eventKind} onChange={(e) => setEventKind(e.target.value as 'bad' | 'good')} aria-label="Which events the first query counts">
                <option value="bad">Bad events per second</option>
                <option value="good">Good events per second</option>
              </select>
              <textarea name="eventQuery" rows={2} className="mono" required defaultValue={sli?.kind === 'ratio' ? (sli.badQuery ?? sli.goodQuery) : ''} placeholder={`sum(rate(http_requests_total{job="llm-gateway",code=~"5.."}[${WINDOW}]))`} {...described('sli.eventQuery')} />
              {field('sli.eventQuery')}
            </label>
            <label>
              All events per second
              <textarea name="totalQuery" rows={2} className="mono" required defaultValue={sli?.kind === 'ratio' ? sli.totalQuery : ''} placeholder={`sum(rate(http_requests_total{job="llm-gateway"}[${WINDOW}]))`} {...described('sli.totalQuery')} />
              {field('sli.totalQuery')}
            </label>
          </>
        ) : (
          <>
            <label>
              Query (one value per instant; Firebreak takes the max)
              <textarea name="query" rows={2} className="mono" required defaultValue={sli?.kind === 'threshold' ? sli.query : ''} placeholder="max(DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE))" {...described('sli.query')} />
              {field('sli.query')}
            </label>
            <div className="form-row">
              <label>
                Good when the value is
                <select name="op" defaultValue={sli?.kind === 'threshold' ? sli.op : 'lt'}>
                  <option value="lt">below (&lt;)</option>
                  <option value="lte">at most (≤)</option>
                  <option value="gt">above (&gt;)</option>
                  <option value="gte">at least (≥)</option>
                </select>
              </label>
              <label>
                Threshold
                <input name="value" inputMode="decimal" required defaultValue={sli?.kind === 'threshold' ? String(sli.value) : '0.95'} {...described('sli.value')} />
                {field('sli.value')}
              </label>
            </div>
          </>
        )}
      </fieldset>
      <div className="form-row">
        <label>
          Burn-rate alerts
          <select name="alerting" defaultValue={existing?.alerting ?? 'sre-workbook'}>
            <option value="sre-workbook">SRE workbook / Sloth: page 14.4× (1h/5m), 6× (6h/30m); ticket 3× (1d/2h), 1× (3d/6h)</option>
            <option value="pyrra">Pyrra: page 14× and 7×, ticket 2× and 1×, windows scaled to the period</option>
          </select>
        </label>
        <label>
          Minimum events in the short window to alert
          <input name="minEvents" type="number" min={0} defaultValue={existing?.minEvents ?? 10} {...described('minEvents')} />
          {field('minEvents')}
        </label>
      </div>
      <div className="form-row" style={{ justifyContent: 'space-between' }}>
        <button type="submit" className="primary" disabled={isSaving}>{isSaving ? 'Saving…' : existing ? 'Save changes' : 'Create SLO'}</button>
        {existing ? (
          <button type="button" disabled={isSaving} onClick={() => void remove()}>
            Delete SLO
          </button>
        ) : null}
      </div>
    </form>
  )
}
