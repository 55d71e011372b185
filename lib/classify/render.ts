/**
 * Renders an evidence rule's PromQL template (./rules.ts) into queries for one incident: `{{signal}}` becomes the
 * signal's configured metric name with its configured matchers, the incident's scope (its pipeline, the nodes and pods
 * serving it) and any matchers the template writes right after the placeholder (`{{gatewayRequests}}{code="429"}`)
 * merged into one selector. Pure.
 *
 * A signal with several candidate names (vLLM's rename) gives several variants of the query: variant i uses each
 * signal's i-th name (or its last); the gatherer asks for all of them in one batch and keeps the first with data.
 */
import type { FleetConfig, FleetSignal } from '@/lib/fleet/config'
import { queueNamesFor } from '@/lib/fleet/config'

/** What the incident is about, as far as telemetry can tell; empty lists mean "not known: fleet-wide". */
export interface Scope {
  pipeline: string | null
  nodes: string[]
  pods: string[]
}

export interface TemplateParams {
  /** the incident window, as a PromQL duration (`5400s`) */
  window: string
  /** rate() range */
  rate: string
  /** subquery resolution */
  step: string
  /** how far back a container's first sample or last output is looked for */
  lookback: string
  /** the served context length (tokens) of the incident's model, when known */
  maxModelLen: number | null
}

/** How each signal is narrowed to the incident. */
type ScopeKind = 'pipeline' | 'gateway' | 'gpuHost' | 'node' | 'pod' | 'queue'
const SCOPE_OF: Record<FleetSignal, ScopeKind> = {
  gpuMemoryUsed: 'gpuHost',
  gpuMemoryFree: 'gpuHost',
  gpuUtilisation: 'gpuHost',
  gpuTemperature: 'gpuHost',
  gpuThermalViolation: 'gpuHost',
  xidErrors: 'gpuHost',
  gpuAllocatable: 'node',
  gpuRequests: 'pod',
  podInfo: 'pod',
  restarts: 'pod',
  lastTerminatedReason: 'pod',
  kvCacheUsage: 'pipeline',
  requestsRunning: 'pipeline',
  requestsWaiting: 'pipeline',
  preemptions: 'pipeline',
  output: 'pipeline',
  requestSuccess: 'pipeline',
  promptTokens: 'pipeline',
  timeToFirstToken: 'pipeline',
  gatewayRequests: 'gateway',
  queueReady: 'queue',
  queueUnacked: 'queue',
}

const PLACEHOLDER_WITH_MATCHERS = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}(\{[^{}]*\})?/g

/** A label value as a PromQL string literal. */
export function promqlString(value: string): string {
  return JSON.stringify(value)
}

/** Values as an anchored regular expression for `=~`. */
export function anyOfRegex(values: string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')
}

function scopeMatcher(kind: ScopeKind, scope: Scope, config: FleetConfig): string | null {
  const l = config.labels
  switch (kind) {
    case 'pipeline':
      return scope.pipeline ? `${l.pipeline}=${promqlString(scope.pipeline)}` : null
    case 'gateway':
      return scope.pipeline ? `${l.gatewayPipeline}=${promqlString(scope.pipeline)}` : null
    case 'gpuHost':
      return scope.nodes.length ? `${l.gpuHost}=~${promqlString(anyOfRegex(scope.nodes))}` : null
    case 'node':
      return scope.nodes.length ? `${l.node}=~${promqlString(anyOfRegex(scope.nodes))}` : null
    case 'pod':
      return scope.pods.length ? `${l.pod}=~${promqlString(anyOfRegex(scope.pods))}` : null
    case 'queue': {
      if (!scope.pipeline) return null
      const { queue, deadLetterQueue } = queueNamesFor(scope.pipeline, config)
      return `${l.queue}=~${promqlString(anyOfRegex([queue, deadLetterQueue]))}`
    }
  }
}

/** How many variants a template has: the most candidate names of any signal it uses. */
export function variantCount(template: string, config: FleetConfig): number {
  let count = 1
  for (const m of template.matchAll(PLACEHOLDER_WITH_MATCHERS)) {
    const signal = config.metrics[m[1] as FleetSignal]
    if (signal) count = Math.max(count, signal.metrics.length)
  }
  return count
}

export class TemplateError extends Error {}

/** One variant of a template as PromQL. Throws TemplateError for a parameter with no value (e.g. maxModelLen). */
export function renderTemplate(template: string, config: FleetConfig, params: TemplateParams, scope: Scope, variant = 0): string {
  return template.replace(PLACEHOLDER_WITH_MATCHERS, (_whole, name: string, extra: string | undefined) => {
    const signal = config.metrics[name as FleetSignal]
    if (signal) {
      const metric = signal.metrics[Math.min(variant, signal.metrics.length - 1)]
      const matchers = [signal.matchers.trim(), scopeMatcher(SCOPE_OF[name as FleetSignal], scope, config), extra?.slice(1, -1).trim()].filter(
        (m): m is string => !!m,
      )
      return matchers.length ? `${metric}{${matchers.join(', ')}}` : metric
    }
    if (!(name in params)) throw new TemplateError(`unknown placeholder {{${name}}}`)
    const value = params[name as keyof TemplateParams]
    if (value === null) throw new TemplateError(`no value for {{${name}}}`)
    return `${String(value)}${extra ?? ''}`
  })
}

/** The parameters every template of one gathering gets; a rule's new parameter is added here and in TemplateParams. */
export function templateParams(input: { windowMs: number; stepSeconds: number; fleet: FleetConfig; scope: Scope; maxModelLen: number | null }): TemplateParams {
  return {
    window: seconds(input.windowMs),
    rate: input.fleet.windows.rate,
    step: `${input.stepSeconds}s`,
    lookback: `${input.fleet.windows.livenessLookbackMinutes}m`,
    maxModelLen: input.maxModelLen,
  }
}

/** A duration in whole seconds as PromQL. */
export function seconds(ms: number): string {
  return `${Math.max(60, Math.round(ms / 1000))}s`
}
