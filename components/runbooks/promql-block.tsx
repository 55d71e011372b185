'use client'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { ApiError, callApi } from '@/components/api-client'

interface Series {
  labels: Record<string, string>
  points: [number, number][]
}

function utc(iso: string): string {
  return `${iso.slice(11, 16)} UTC`
}

const COLORS = ['#c2410c', '#2563eb', '#15803d', '#7c3aed', '#b91c1c', '#0891b2', '#a16207', '#4b5563']

function seriesName(labels: Record<string, string>): string {
  const entries = Object.entries(labels).filter(([k]) => k !== '__name__')
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : labels.__name__ ?? 'value'
}

/** A ```promql block: the query, a chart over the time range, and the latest value of each series. */
/**
 * The time range of a panel: fixed ends for a resolved incident; "until now" for an open one; a sliding window
 * (durationMs) otherwise. Open-ended ranges move with every refresh, so a live panel stays live.
 */
export interface PanelRange {
  start?: string
  end?: string
  durationMs?: number
  label: string
}

export function resolveRange(range: PanelRange, now: number = Date.now()): { start: string; end: string } {
  const end = range.end ? Date.parse(range.end) : now
  const start = range.start ? Date.parse(range.start) : end - (range.durationMs ?? 3 * 3_600_000)
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() }
}

export function PromqlBlock({ query, range }: { query: string; range: PanelRange }) {
  const [shown, setShown] = useState(() => resolveRange(range))
  const result = useQuery({
    queryKey: ['promql', query, range.start, range.end, range.durationMs],
    queryFn: () => {
      const current = resolveRange(range)
      setShown(current)
      return callApi<{ series: Series[]; stepSeconds: number; isDemo?: boolean }>(`/api/metrics/query_range?${new URLSearchParams({ query, ...current })}`)
    },
    retry: false,
    staleTime: 10_000,
    // keep polling through an outage: the panel recovers by itself when the backend is back
    refetchInterval: 15_000,
  })
  const down = result.error instanceof ApiError ? (result.error.details as { backend?: string; downSince?: string } | undefined) : undefined
  const isStale = result.isError && result.data !== undefined
  const series = result.data?.series ?? []
  const times = [...new Set(series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b)
  const rows = times.map((t) => Object.fromEntries([['t', t], ...series.map((s, i) => [`s${i}`, s.points.find(([pt]) => pt === t)?.[1] ?? null])]))
  return (
    <figure className={`promql-block${isStale ? ' stale' : ''}`} data-testid="promql-block">
      <pre className="promql-query"><code>{query}</code></pre>
      {result.isPending ? <p className="muted" role="status">Querying the metrics backend ({range.label})…</p> : null}
      {result.isError ? (
        <p className="alert error promql-error" role="alert">
          {down?.backend && down.downSince ? `${down.backend} has not answered since ${utc(down.downSince)}. ` : ''}
          {/[.!?]$/.test(result.error.message) ? result.error.message : `${result.error.message}.`}
          {isStale ? ` Showing the last data Firebreak had, from ${utc(new Date(result.dataUpdatedAt).toISOString())}.` : ''}
        </p>
      ) : null}
      {result.data && series.length === 0 ? <p className="muted">No data for {range.label}.</p> : null}
      {result.data && series.length > 0 ? (
        <>
          <div style={{ width: '100%', height: 200 }}>
            <ResponsiveContainer>
              <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                <XAxis dataKey="t" type="number" domain={[Date.parse(shown.start) / 1000, Date.parse(shown.end) / 1000]} allowDataOverflow tickFormatter={(t: number) => new Date(t * 1000).toISOString().slice(11, 16)} fontSize={11} />
                <YAxis fontSize={11} width={56} />
                <Tooltip labelFormatter={(t) => new Date(Number(t) * 1000).toISOString().replace('T', ' ').slice(0, 19) + ' UTC'} />
                {series.slice(0, COLORS.length).map((s, i) => (
                  <Line key={i} dataKey={`s${i}`} name={seriesName(s.labels)} stroke={COLORS[i]} dot={false} isAnimationActive={false} connectNulls />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
          <table className="promql-table">
            <thead>
              <tr><th scope="col">Series</th><th scope="col">Latest</th></tr>
            </thead>
            <tbody>
              {series.slice(0, 10).map((s, i) => (
                <tr key={i}>
                  <td className="mono small">{seriesName(s.labels)}</td>
                  <td className="mono">{s.points.at(-1)?.[1].toPrecision(4) ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <figcaption className="muted small">{result.data.isDemo ? <span className="badge demo" title="Generated by Firebreak's demo scenarios, not read from a real Prometheus">demo data</span> : null} {range.label}{series.length > 10 ? ` · showing 10 of ${series.length} series` : ''}</figcaption>
        </>
      ) : null}
    </figure>
  )
}
