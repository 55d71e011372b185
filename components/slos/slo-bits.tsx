import { percent, utcTime, type SloStatus, type TelemetryState } from './types'

/** Remaining budget as a bar: green while most is left, amber under a quarter, red when spent. */
export function BudgetBar({ remaining }: { remaining: number | null }) {
  if (remaining === null) return <span className="muted">—</span>
  const shown = Math.max(0, Math.min(1, remaining))
  const tone = remaining <= 0 ? 'bad' : remaining < 0.25 ? 'warn' : 'ok'
  return (
    <span className="budget" title={`${percent(remaining, 1)} of the period's error budget is left`}>
      <span className={`budget-bar ${tone}`} aria-hidden="true">
        <span style={{ width: `${shown * 100}%` }} />
      </span>
      <span className="mono">{remaining <= 0 ? `spent (${percent(remaining, 0)})` : percent(remaining, 1)}</span>
    </span>
  )
}

export function ConditionBadge({ status }: { status: SloStatus | null }) {
  if (!status) return <span className="badge">unknown</span>
  const firing = status.alerts.filter((a) => a.isFiring)
  const label = firing.map((a) => `${a.rule.factor}× over ${a.rule.long} and ${a.rule.short}`).join('; ')
  switch (status.condition) {
    case 'page':
      return <span className="badge bad" title={label}>page</span>
    case 'ticket':
      return <span className="badge warn" title={label}>ticket</span>
    case 'ok':
      return <span className="badge ok">ok</span>
    default:
      return <span className="badge" title={status.missing.join('; ')}>unknown</span>
  }
}

/** Says where the numbers come from (demo data, a down backend since when) so nobody mistakes them. */
export function TelemetryNotice({ telemetry, fetchError, lastUpdated }: { telemetry: TelemetryState; fetchError: string | null; lastUpdated: number }) {
  return (
    <>
      {telemetry.isDemo ? (
        <p className="demo-banner" role="note">
          <strong>Demo data.</strong> These numbers come from Firebreak’s built-in scenarios, not from a real Prometheus. Set PROMETHEUS_URL to see your own.
        </p>
      ) : null}
      {telemetry.problem ? (
        <div className="alert error" role="alert">
          {telemetry.problem.down ? `${telemetry.problem.down.backend} has not answered since ${utcTime(telemetry.problem.down.downSince)}: ${telemetry.problem.message}` : telemetry.problem.message}
        </div>
      ) : null}
      {fetchError ? (
        <div className="alert error" role="alert">
          Could not refresh ({fetchError}); showing the data from {utcTime(new Date(lastUpdated).toISOString())}. Retrying every 15 seconds.
        </div>
      ) : null}
    </>
  )
}
