'use client'
import { Line, LineChart, ReferenceLine, Tooltip, YAxis } from 'recharts'

/** A small chart of one signal over the incident window, with the rule's threshold as a dashed line. */
export function Sparkline({ points, threshold, label }: { points: [number, number][]; threshold: number; label: string }) {
  const rows = points.map(([t, v]) => ({ t: t * 1000, v }))
  const max = Math.max(threshold, ...rows.map((r) => r.v))
  const min = Math.min(threshold, ...rows.map((r) => r.v))
  return (
    <figure className="sparkline" aria-label={`${label}: ${rows.length} points from ${new Date(rows[0].t).toISOString()} to ${new Date(rows[rows.length - 1].t).toISOString()}, peak ${max}`}>
      <LineChart width={160} height={40} data={rows} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
        <YAxis hide domain={[min, max]} />
        <ReferenceLine y={threshold} stroke="#b91c1c" strokeDasharray="3 3" />
        <Line type="monotone" dataKey="v" stroke="#334155" dot={false} strokeWidth={1.5} isAnimationActive={false} />
        <Tooltip labelFormatter={(t) => new Date(Number(t)).toISOString().slice(11, 16) + ' UTC'} formatter={(v) => [Number(v).toPrecision(3), label]} />
      </LineChart>
    </figure>
  )
}
