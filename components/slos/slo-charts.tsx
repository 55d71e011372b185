'use client'
import { Area, AreaChart, CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { percent } from './types'

/** The charts' data as lib/slo computes it. */
export type { SloCharts as ChartData } from '@/lib/slo/evaluate'
import type { SloCharts as ChartData } from '@/lib/slo/evaluate'

export interface IncidentMarker {
  number: number
  title: string
  startedAt: string
  resolvedAt: string | null
}

function tickFormatter(rangeSeconds: number) {
  return (t: number) => {
    const iso = new Date(t * 1000).toISOString()
    return rangeSeconds > 2 * 86400 ? iso.slice(5, 10) : iso.slice(11, 16)
  }
}

const tooltipTime = (t: unknown) => `${new Date(Number(t) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`

function Markers({ incidents, domain }: { incidents: IncidentMarker[]; domain: [number, number] }) {
  return (
    <>
      {incidents.map((i) => {
        const x1 = Math.max(domain[0], Date.parse(i.startedAt) / 1000)
        const x2 = Math.min(domain[1], i.resolvedAt ? Date.parse(i.resolvedAt) / 1000 : domain[1])
        // a faint band for the incident's span and a line with its number where it started (labels of incidents that
        // began before the range would pile up at its left edge, so only those that start inside it are labelled)
        const startsInside = Date.parse(i.startedAt) / 1000 >= domain[0]
        return x2 > x1 ? (
          <g key={i.number}>
            <ReferenceArea x1={x1} x2={x2} fill="#fca5a5" fillOpacity={0.12} />
            {startsInside ? <ReferenceLine x={x1} stroke="#b91c1c" strokeWidth={1} label={{ value: `INC-${i.number}`, position: 'insideTopLeft', fontSize: 10, fill: '#991b1b' }} /> : null}
          </g>
        ) : null
      })}
    </>
  )
}

/** SLI against objective, error budget remaining over the period, and burn rate with the alert thresholds. */
export function SloCharts({ charts, objective, incidents }: { charts: ChartData; objective: number; incidents: IncidentMarker[] }) {
  const domain: [number, number] = [Date.parse(charts.start) / 1000, Date.parse(charts.end) / 1000]
  const rangeSeconds = domain[1] - domain[0]
  const xAxis = <XAxis dataKey="t" type="number" domain={domain} allowDataOverflow tickFormatter={tickFormatter(rangeSeconds)} fontSize={11} />
  const sliRows = charts.sli.map(([t, v]) => ({ t, v }))
  const sliMin = Math.min(objective, ...charts.sli.map(([, v]) => v))
  const budgetRows = charts.budgetRemaining.map(([t, v]) => ({ t, v }))
  const burnRows = charts.burnRate.map(([t, v]) => ({ t, v }))
  const maxFactor = Math.max(...charts.thresholds.map((r) => r.factor))
  const burnMax = Math.max(maxFactor * 1.2, ...charts.burnRate.map(([, v]) => v))
  return (
    <div className="slo-charts">
      <figure className="chart" data-testid="chart-sli">
        <figcaption>SLI against the objective ({percent(objective, 3)})</figcaption>
        <div style={{ width: '100%', height: 180 }}>
          <ResponsiveContainer>
            <LineChart data={sliRows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              {xAxis}
              <YAxis domain={[Math.max(0, sliMin - (1 - sliMin) * 0.2), 1]} tickFormatter={(v: number) => percent(v, 2)} fontSize={11} width={64} />
              <Tooltip labelFormatter={tooltipTime} formatter={(v) => [percent(Number(v), 3), 'SLI']} />
              <Markers incidents={incidents} domain={domain} />
              <ReferenceLine y={objective} stroke="#b91c1c" strokeDasharray="6 3" label={{ value: 'objective', position: 'insideBottomRight', fontSize: 10 }} />
              <Line dataKey="v" stroke="#2563eb" dot={false} isAnimationActive={false} name="SLI" />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="chart" data-testid="chart-budget">
        <figcaption>Error budget remaining over the rolling period</figcaption>
        <div style={{ width: '100%', height: 180 }}>
          <ResponsiveContainer>
            <AreaChart data={budgetRows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              {xAxis}
              <YAxis domain={[(min: number) => Math.min(0, min), 1]} tickFormatter={(v: number) => percent(v, 0)} fontSize={11} width={64} />
              <Tooltip labelFormatter={tooltipTime} formatter={(v) => [percent(Number(v), 1), 'budget left']} />
              <Markers incidents={incidents} domain={domain} />
              <ReferenceLine y={0} stroke="#b91c1c" />
              <Area dataKey="v" stroke="#15803d" fill="#bbf7d0" isAnimationActive={false} connectNulls name="budget left" />
            </AreaChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="chart" data-testid="chart-burn">
        <figcaption>Burn rate over {charts.burnRateWindow} with the alert thresholds</figcaption>
        <div style={{ width: '100%', height: 180 }}>
          <ResponsiveContainer>
            <LineChart data={burnRows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              {xAxis}
              <YAxis domain={[0, Math.ceil(burnMax)]} tickFormatter={(v: number) => `${v}×`} fontSize={11} width={48} />
              <Tooltip labelFormatter={tooltipTime} formatter={(v) => [`${Number(v).toFixed(2)}×`, 'burn rate']} />
              <Markers incidents={incidents} domain={domain} />
              {charts.thresholds.map((r) => (
                <ReferenceLine key={`${r.factor}-${r.long}`} y={r.factor} stroke={r.severity === 'page' ? '#b91c1c' : '#d97706'} strokeDasharray="4 4" label={{ value: `${r.severity} ${r.factor}× (${r.long}/${r.short})`, position: 'insideTopRight', fontSize: 10 }} />
              ))}
              <Line dataKey="v" stroke="#7c3aed" dot={false} isAnimationActive={false} name="burn rate" />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
    </div>
  )
}
