/**
 * Renders an evidence rule's PromQL template (./rules.ts) into queries for one incident: `{{signal}}` becomes the
 * signal's configured metric name with its configured matchers, the incident's scope (its pipeline, the nodes and pods
 * serving it) and any matchers the template writes right after the placeholder (`{{gatewayRequests}}{code="429"}`)
 * merged into one selector. Pure.
 *
 * A signal with several candidate names (vLLM's rename) gives several variants of the query: variant i uses each
 * signal's i-th name (or its last); the gatherer asks for all of them in one batch and keeps the first with data.
 *
 * Parameters (`{{window}}`, `{{nearContextLe}}`, ...) are rendered first, so a template may use one inside a signal's
 * matchers (`{{promptTokens}}{le=~"{{nearContextLe}}"}`). A queue signal may name which of the pipeline's queues it
 * means: `{{queueReady.deadLetter}}` is its configured dead-letter queue, `{{queueUnacked.work}}` its work queue
 * (lib/fleet/config.ts queueNamesFor); plain `{{queueReady}}` is both.
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
  /**
   * the `le` of vLLM's prompt-token histogram (1-2-5 buckets up to max_model_len) that is the largest bucket within
   * 90 % of the context window, as a regular expression for `le=~` (vLLM writes `5000.0`); null when unknown
   */
  nearContextLe: string | null
  /** the serving metrics' model label (fleet labels.model) */
  modelLabel: string
  /**
   * an anchored RE2 regular expression for label_replace whose first group is the model's identity without a trailing
   * version (`support-assistant-v15`, `model@rev`, `model:tag` → the part before), escaped for a PromQL string
   */
  modelVersionPattern: string
  /** fleet thresholds: KV-cache usage that is saturated, preemptions per second that are pressure */
  kvCacheSaturated: number
  preemptionsPerSecond: number
}

/**
 * A served model name's identity and version: a trailing `-v15` / `_v1.2` / `.v3`, an `@revision` or a `:tag` is the
 * version. Two names with the same identity in one window are a version change; a generator and a judge are two
 * identities. Override per deployment by passing a different pattern to templateParams.
 */
export const DEFAULT_MODEL_VERSION_PATTERN = '(.+?)(?:[-_.][vV][0-9]+(?:[._][0-9]+)*|@[^@/]+|:[^:/]+)?'

/**
 * vLLM's prompt-token histogram buckets are 1, 2, 5, 10, 20, 50, ... up to max_model_len (build_1_2_5_buckets). The
 * largest of them at or below `share` of the context window, or null when there is none.
 */
export function nearContextBucket(maxModelLen: number, share = 0.9): number | null {
  const limit = maxModelLen * share
  let best: number | null = null
  for (let exp = 1; exp <= limit; exp *= 10) for (const m of [1, 2, 5]) if (m * exp <= limit && m * exp <= maxModelLen) best = m * exp
  return best
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

/** `{{signal}}` or `{{signal.qualifier}}`, with the matchers the template writes right after it */
const PLACEHOLDER_WITH_MATCHERS = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)(?:\.([a-zA-Z]+))?\s*\}\}(\{[^{}]*\})?/g
const PARAMETER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g

/** Which of a pipeline's queues a queue signal means. */
export const QUEUE_QUALIFIERS = ['work', 'deadLetter'] as const
export type QueueQualifier = (typeof QUEUE_QUALIFIERS)[number]

/** The qualifiers each signal accepts in a template (`{{queueReady.deadLetter}}`). */
export function qualifiersOf(signal: FleetSignal): readonly string[] {
  return SCOPE_OF[signal] === 'queue' ? QUEUE_QUALIFIERS : []
}

/** A label value as a PromQL string literal. */
export function promqlString(value: string): string {
  return JSON.stringify(value)
}

/** Values as an anchored regular expression for `=~`. */
export function anyOfRegex(values: string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')
}

/** A configured queue name pattern (`{pipeline}.dlq`) as a regular expression for any pipeline. */
function queuePattern(pattern: string): string {
  return pattern
    .split('{pipeline}')
    .map((part) => anyOfRegex([part]))
    .join('.+')
}

/** The queue names (or, fleet-wide, patterns) of one kind, as label matchers. */
function queueMatcher(which: QueueQualifier, scope: Scope, config: FleetConfig): string {
  const l = config.labels
  if (scope.pipeline) {
    const names = queueNamesFor(scope.pipeline, config)
    return `${l.queue}=${promqlString(which === 'work' ? names.queue : names.deadLetterQueue)}`
  }
  const own = Object.values(config.queues.pipelines)
  const deadLetter = [queuePattern(config.queues.deadLetterQueueName), ...own.flatMap((p) => (p.deadLetterQueue ? [anyOfRegex([p.deadLetterQueue])] : []))].join('|')
  if (which === 'deadLetter') return `${l.queue}=~${promqlString(deadLetter)}`
  const work = [queuePattern(config.queues.queueName), ...own.flatMap((p) => (p.queue ? [anyOfRegex([p.queue])] : []))].join('|')
  return `${l.queue}=~${promqlString(work)}, ${l.queue}!~${promqlString(deadLetter)}`
}

function scopeMatcher(kind: ScopeKind, scope: Scope, config: FleetConfig, qualifier?: string): string | null {
  if (kind === 'queue' && qualifier) return queueMatcher(qualifier as QueueQualifier, scope, config)
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
  // parameters first, so a signal's matchers may use them
  const withParams = template.replace(PARAMETER, (whole, name: string) => {
    if (name in config.metrics) return whole
    if (!(name in params)) throw new TemplateError(`unknown placeholder {{${name}}}`)
    const value = params[name as keyof TemplateParams]
    if (value === null) throw new TemplateError(`no value for {{${name}}}`)
    return String(value)
  })
  return withParams.replace(PLACEHOLDER_WITH_MATCHERS, (_whole, name: string, qualifier: string | undefined, extra: string | undefined) => {
    const signal = config.metrics[name as FleetSignal]
    if (!signal) throw new TemplateError(`unknown placeholder {{${name}${qualifier ? `.${qualifier}` : ''}}}`)
    if (qualifier && !qualifiersOf(name as FleetSignal).includes(qualifier)) throw new TemplateError(`{{${name}}} takes no qualifier .${qualifier}`)
    const metric = signal.metrics[Math.min(variant, signal.metrics.length - 1)]
    const matchers = [signal.matchers.trim(), scopeMatcher(SCOPE_OF[name as FleetSignal], scope, config, qualifier), extra?.slice(1, -1).trim()].filter(
      (m): m is string => !!m,
    )
    return matchers.length ? `${metric}{${matchers.join(', ')}}` : metric
  })
}

/** The parameters every template of one gathering gets; a rule's new parameter is added here and in TemplateParams. */
export function templateParams(input: { windowMs: number; stepSeconds: number; fleet: FleetConfig; scope: Scope; maxModelLen: number | null; modelVersionPattern?: string }): TemplateParams {
  const bucket = input.maxModelLen ? nearContextBucket(input.maxModelLen) : null
  return {
    window: seconds(input.windowMs),
    rate: input.fleet.windows.rate,
    step: `${input.stepSeconds}s`,
    lookback: `${input.fleet.windows.livenessLookbackMinutes}m`,
    maxModelLen: input.maxModelLen,
    // vLLM (prometheus_client) writes bucket bounds as floats: le="5000.0"
    nearContextLe: bucket === null ? null : `${bucket}(\\\\.0)?`,
    modelLabel: input.fleet.labels.model,
    modelVersionPattern: promqlString(input.modelVersionPattern ?? DEFAULT_MODEL_VERSION_PATTERN).slice(1, -1),
    kvCacheSaturated: input.fleet.thresholds.kvCacheUsage,
    preemptionsPerSecond: input.fleet.thresholds.preemptionsPerSecond,
  }
}

/** A duration in whole seconds as PromQL. */
export function seconds(ms: number): string {
  return `${Math.max(60, Math.round(ms / 1000))}s`
}
