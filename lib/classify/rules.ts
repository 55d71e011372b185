/**
 * Evidence rules for the classification wizard (issue #7), as data: each rule names its signal, a configurable
 * threshold (defaults from the seeds) and which answers it supports or rules out, with a weight. Evaluation lives in
 * ./evaluate.ts and is pure.
 *
 * PromQL templates use `{{name}}` placeholders: a fleet signal key from lib/fleet/config.ts (listed in `metrics`,
 * rendered as that signal's configured metric names) or a parameter (`rate`, `window`, `maxModelLen`).
 */
import { z } from 'zod'
import { fleetMetricsSchema, type FleetSignal } from '@/lib/fleet/config'
import { ERROR_STATES, FAILURE_CLASSES, PATHWAYS } from '@/lib/taxonomy'
import { CONTEXT_WINDOW_DETECTOR } from '@/lib/traces/detectors/context-window'
import { MISROUTING_DETECTOR } from '@/lib/traces/detectors/misrouting'
import { MODEL_VERSION_DETECTOR } from '@/lib/traces/detectors/model-version'
import { SILENT_ERROR_DETECTOR } from '@/lib/traces/detectors/silent-error'
import { TIMEOUT_DETECTOR } from '@/lib/traces/detectors/timeout-partial'
import { TOKEN_BUDGET_DETECTOR } from '@/lib/traces/detectors/token-budget'

export const STEPS = ['errorState', 'pathway', 'failureClass'] as const
export type Step = (typeof STEPS)[number]

export const FLEET_SIGNALS = Object.keys(fleetMetricsSchema.shape) as FleetSignal[]
export const DETECTOR_IDS = [CONTEXT_WINDOW_DETECTOR, MISROUTING_DETECTOR, MODEL_VERSION_DETECTOR, SILENT_ERROR_DETECTOR, TIMEOUT_DETECTOR, TOKEN_BUDGET_DETECTOR] as const
export const TEMPLATE_PARAMS = ['rate', 'window', 'step', 'lookback', 'maxModelLen'] as const

/** The answers each step may propose. */
export const STEP_ANSWERS: Record<Step, readonly string[]> = {
  errorState: ERROR_STATES,
  pathway: PATHWAYS,
  failureClass: FAILURE_CLASSES.map((c) => c.id),
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g

export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1])
}

export const signalSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('promql'),
      template: z.string().min(1),
      /** the fleet signals (lib/fleet/config.ts) the template references */
      metrics: z.array(z.enum(FLEET_SIGNALS as [FleetSignal, ...FleetSignal[]])),
      /**
       * the signals that must have series for an empty answer to mean "none happened" (default: all of `metrics`);
       * e.g. no last-terminated-reason series just means no container has terminated
       */
      required: z.array(z.enum(FLEET_SIGNALS as [FleetSignal, ...FleetSignal[]])).optional(),
    })
    .strict(),
  /** the number of findings of a trace detector (lib/traces/detectors) */
  z.object({ kind: z.literal('detector'), detector: z.enum(DETECTOR_IDS) }).strict(),
  /** the number of firing alerts whose `label` has one of `values` */
  z.object({ kind: z.literal('alert'), label: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), values: z.array(z.string().min(1)).min(1) }).strict(),
])
export type Signal = z.infer<typeof signalSchema>

export const COMPARISONS = ['>', '>=', '<', '<=', '=='] as const
export type Comparison = (typeof COMPARISONS)[number]

export const effectSchema = z
  .object({ answer: z.string().min(1), effect: z.enum(['supports', 'rulesOut']), weight: z.number().gt(0).lte(1) })
  .strict()
export type Effect = z.infer<typeof effectSchema>

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1),
    step: z.enum(STEPS),
    signal: signalSchema,
    comparison: z.enum(COMPARISONS),
    threshold: z.object({ default: z.number(), unit: z.string().optional(), source: z.string().min(1) }).strict(),
    /** what is missing, in words, when the signal has no data */
    missingHint: z.string().min(1),
    effects: z.array(effectSchema).min(1),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.signal.kind === 'promql') {
      for (const m of r.signal.required ?? []) {
        if (!r.signal.metrics.includes(m)) ctx.addIssue({ code: 'custom', path: ['signal', 'required'], message: `${m} is not among the signal's metrics` })
      }
      for (const p of templatePlaceholders(r.signal.template)) {
        const known = (r.signal.metrics as string[]).includes(p) || (TEMPLATE_PARAMS as readonly string[]).includes(p)
        if (!known) ctx.addIssue({ code: 'custom', path: ['signal', 'template'], message: `placeholder {{${p}}} is neither a listed metric nor a parameter` })
      }
    }
    const answers = STEP_ANSWERS[r.step]
    r.effects.forEach((e, i) => {
      if (!answers.includes(e.answer)) ctx.addIssue({ code: 'custom', path: ['effects', i, 'answer'], message: `"${e.answer}" is not a ${r.step} answer in lib/taxonomy` })
    })
  })
export type Rule = z.infer<typeof ruleSchema>

export const ruleSetSchema = z.array(ruleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>()
  rules.forEach((r, i) => {
    if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate rule id ${r.id}` })
    seen.add(r.id)
  })
})

// ---- signals shared between steps ----

/** `expression` at its peak over the incident window: evaluated every step, the largest value kept. */
function peak(expression: string): string {
  return `max(max_over_time((${expression})[{{window}}:{{step}}]))`
}
const LOAD_CONTINUES = 'on () (sum(rate({{gatewayRequests}}[{{rate}}])) > 0)'
/** pods with a fresh kube_pod_info sample (scraped in the last 90 s): the pod exists at that moment */
const POD_EXISTS = '((time() - max by (namespace, pod) (timestamp({{podInfo}}))) < 90)'

const SILENT_BEFORE_FIRST_REQUEST: Signal = {
  kind: 'promql',
  // seconds since a pod first appeared, for pods with no output at all in the lookback (never served), while the
  // gateway still sends load: silence during the load phase
  template: peak(
    `(((time() - min by (namespace, pod) (min_over_time(timestamp({{podInfo}})[{{lookback}}:{{step}}]))) unless on (namespace, pod) max by (namespace, pod) (max_over_time({{output}}[{{lookback}}]))) and on (namespace, pod) ${POD_EXISTS}) and ${LOAD_CONTINUES}`,
  ),
  metrics: ['podInfo', 'output', 'gatewayRequests'],
}
const SILENT_AFTER_FIRST_REQUEST: Signal = {
  kind: 'promql',
  // seconds since the last output of pods that did emit in the lookback and still exist, while load continues:
  // silence after load completed
  template: peak(
    `((time() - max by (namespace, pod) (max_over_time(timestamp({{output}})[{{lookback}}:{{step}}]))) and on (namespace, pod) ${POD_EXISTS}) and ${LOAD_CONTINUES}`,
  ),
  metrics: ['podInfo', 'output', 'gatewayRequests'],
}
const OOM_KILLED: Signal = {
  kind: 'promql',
  // restarts in the window of containers whose last termination was the OOM killer
  template: 'sum(increase({{restarts}}[{{window}}]) and on (namespace, pod, container) (max_over_time({{lastTerminatedReason}}{reason="OOMKilled"}[{{window}}]) == 1))',
  metrics: ['restarts', 'lastTerminatedReason'],
  required: ['restarts'],
}
const RESTARTS_AFTER_SERVING: Signal = {
  kind: 'promql',
  // restarts, step by step, of containers that had emitted output in the hour before (a crash under load, not a
  // startup probe killing a server that is still loading)
  template:
    'sum(sum_over_time(((changes({{restarts}}[{{step}}]) > 0) and on (namespace, pod) max by (namespace, pod) (max_over_time({{output}}[{{lookback}}])))[{{window}}:{{step}}]))',
  metrics: ['restarts', 'output'],
}
const DLQ_RISING_INFLIGHT_FLAT: Signal = {
  kind: 'promql',
  // dead-letter growth over the window, only where in-flight (unacked) stayed flat
  template: 'sum(delta({{queueReady}}{queue=~".+\\\\.dlq"}[{{window}}])) and on () (abs(sum(delta({{queueUnacked}}[{{window}}]))) < 1)',
  metrics: ['queueReady', 'queueUnacked'],
}
const GPU_FB_PEAK_SHARE: Signal = {
  kind: 'promql',
  template: 'max(max_over_time(({{gpuMemoryUsed}} / ({{gpuMemoryUsed}} + {{gpuMemoryFree}}))[{{window}}:{{step}}]))',
  metrics: ['gpuMemoryUsed', 'gpuMemoryFree'],
}
const XID: Signal = { kind: 'promql', template: 'max(max_over_time({{xidErrors}}[{{window}}]))', metrics: ['xidErrors'] }
const LENGTH_SHARE: Signal = {
  kind: 'promql',
  template: peak('(sum(rate({{requestSuccess}}{finished_reason="length"}[{{rate}}])) or on () vector(0)) / sum(rate({{requestSuccess}}[{{rate}}]))'),
  metrics: ['requestSuccess'],
}
const PROMPT_P99_SHARE: Signal = {
  kind: 'promql',
  template: peak('histogram_quantile(0.99, sum by (le) (rate({{promptTokens}}[{{rate}}]))) / {{maxModelLen}}'),
  metrics: ['promptTokens'],
}
const TTFT_P95: Signal = {
  kind: 'promql',
  template: peak('histogram_quantile(0.95, sum by (le) (rate({{timeToFirstToken}}[{{rate}}])))'),
  metrics: ['timeToFirstToken'],
}
const THROTTLED_SHARE: Signal = {
  kind: 'promql',
  template: peak('(sum(rate({{gatewayRequests}}{code="429"}[{{rate}}])) or on () vector(0)) / sum(rate({{gatewayRequests}}[{{rate}}]))'),
  metrics: ['gatewayRequests'],
}
const SECURITY_ALERT: Signal = { kind: 'alert', label: 'category', values: ['security', 'prompt-injection', 'unauthorized-access'] }
const DRIFT_ALERT: Signal = { kind: 'alert', label: 'alertname', values: ['InputDistributionDrift', 'DataDrift', 'FeatureDrift'] }
const MODEL_VERSIONS_SERVED: Signal = {
  kind: 'promql',
  // distinct model versions (model_name label) serving in the window: > 1 means a version change
  template: 'count(count by (model_name) (max_over_time({{requestsRunning}}[{{window}}])))',
  metrics: ['requestsRunning'],
}

const S003 = 'seed 003'
const S004 = 'seed 004'

/** The default rule set. Thresholds are the seeds' values; override them per rule id at evaluation. */
export const DEFAULT_RULES: Rule[] = ruleSetSchema.parse([
  // ---------- step 1: error state ----------
  {
    id: 'es-silent-before-first-request',
    title: 'Container silent during load (never served a request) while load continues',
    step: 'errorState',
    signal: SILENT_BEFORE_FIRST_REQUEST,
    comparison: '>=',
    threshold: { default: 120, unit: 's', source: `${S004}: silence during the model load phase is a loading problem (fleet silenceSeconds default)` },
    missingHint: 'container output stream vs first request served (output series, gateway traffic)',
    effects: [
      { answer: 'loading', effect: 'supports', weight: 1 },
      { answer: 'runtime', effect: 'rulesOut', weight: 0.6 },
    ],
  },
  {
    id: 'es-silent-after-first-request',
    title: 'Container silent after its first request while load continues',
    step: 'errorState',
    signal: SILENT_AFTER_FIRST_REQUEST,
    comparison: '>=',
    threshold: { default: 120, unit: 's', source: `${S004}: silence after load completion, on the first request, is a runtime problem` },
    missingHint: 'container output stream after the first request (output series, gateway traffic)',
    effects: [
      { answer: 'runtime', effect: 'supports', weight: 1 },
      { answer: 'loading', effect: 'rulesOut', weight: 0.6 },
    ],
  },
  {
    id: 'es-oom-killed',
    title: 'Containers OOM-killed (restarts with reason OOMKilled)',
    step: 'errorState',
    signal: OOM_KILLED,
    comparison: '>=',
    threshold: { default: 1, unit: 'restarts', source: `${S004}: the OOM killer terminates processes silently; queue stalls behind OOM kills are runtime failures` },
    missingHint: 'container restarts and last termination reason (kube-state-metrics)',
    effects: [
      { answer: 'runtime', effect: 'supports', weight: 1 },
      { answer: 'routing', effect: 'rulesOut', weight: 0.8 },
    ],
  },
  {
    id: 'es-restarts-after-serving',
    title: 'Containers restarted after serving requests (crash under load)',
    step: 'errorState',
    signal: RESTARTS_AFTER_SERVING,
    comparison: '>=',
    threshold: { default: 1, unit: 'restarts', source: `${S004}: came up, served, then died: a runtime failure, not loading` },
    missingHint: 'container restarts (kube-state-metrics) and the output of the restarted containers',
    effects: [
      { answer: 'runtime', effect: 'supports', weight: 0.8 },
      { answer: 'loading', effect: 'rulesOut', weight: 0.4 },
    ],
  },
  {
    id: 'es-gpu-memory-peak',
    title: 'GPU framebuffer use at peak while serving',
    step: 'errorState',
    signal: GPU_FB_PEAK_SHARE,
    comparison: '>',
    threshold: { default: 0.95, unit: 'share', source: `${S003}: alert when GPU memory exceeds 95 % at peak` },
    missingHint: 'GPU framebuffer used and free (dcgm-exporter) on the pipeline\'s nodes',
    effects: [{ answer: 'runtime', effect: 'supports', weight: 0.6 }],
  },
  {
    id: 'es-ttft-high',
    title: 'Time to first token p95 while serving',
    step: 'errorState',
    signal: TTFT_P95,
    comparison: '>',
    threshold: { default: 2, unit: 's', source: `${S003}: TTFT over its SLO: the server is up and stalls on requests` },
    missingHint: 'time-to-first-token histogram (vLLM)',
    effects: [{ answer: 'runtime', effect: 'supports', weight: 0.6 }],
  },
  {
    id: 'es-throttled',
    title: 'Gateway 429 share',
    step: 'errorState',
    signal: THROTTLED_SHARE,
    comparison: '>',
    threshold: { default: 0.01, unit: 'share', source: 'seed 002 F7: throttling (429): up, refusing work' },
    missingHint: 'gateway responses by status code',
    effects: [{ answer: 'runtime', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'es-input-drift',
    title: 'Input distribution drift alert firing',
    step: 'errorState',
    signal: DRIFT_ALERT,
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: 'seeds 001, 002: running and answering, but on inputs unlike its training data' },
    missingHint: 'input drift monitoring (drift alerts)',
    effects: [{ answer: 'degraded-output', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'es-model-version-changed',
    title: 'Model versions served in the window',
    step: 'errorState',
    signal: MODEL_VERSIONS_SERVED,
    comparison: '>',
    threshold: { default: 1, unit: 'versions', source: 'seeds 000 #2, 001: a version change behind healthy serving metrics shows in the answers' },
    missingHint: 'model version labels of the serving metrics',
    effects: [{ answer: 'degraded-output', effect: 'supports', weight: 0.6 }],
  },
  {
    id: 'es-model-version-trace',
    title: 'Traces show model versions out of step',
    step: 'errorState',
    signal: { kind: 'detector', detector: MODEL_VERSION_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: 'seeds 000 #2, 001: stages on different versions answer, wrongly' },
    missingHint: 'traces of the affected requests (model-version detector)',
    effects: [{ answer: 'degraded-output', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'es-queue-stalled',
    title: 'Dead-letter queue rising while in-flight stays flat',
    step: 'errorState',
    signal: DLQ_RISING_INFLIGHT_FLAT,
    comparison: '>=',
    threshold: { default: 1, unit: 'messages', source: `${S004}: routing failure: messages accumulate delivery counts and stall` },
    missingHint: 'dead-letter queue depth and in-flight (unacked) messages (RabbitMQ)',
    effects: [{ answer: 'routing', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'es-misrouting-trace',
    title: 'Traces show requests routed to the wrong model or node',
    step: 'errorState',
    signal: { kind: 'detector', detector: MISROUTING_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: 'seeds 000, 004: router decision vs request class' },
    missingHint: 'traces of the affected requests (misrouting detector)',
    effects: [{ answer: 'routing', effect: 'supports', weight: 1 }],
  },
  {
    id: 'es-silent-error-trace',
    title: 'Traces show calls that succeeded but returned wrong or partial output',
    step: 'errorState',
    signal: { kind: 'detector', detector: SILENT_ERROR_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: 'seed 000: silent errors: valid by status, wrong by content' },
    missingHint: 'traces of the affected requests (silent-error detector)',
    effects: [{ answer: 'degraded-output', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'es-length-terminated',
    title: 'Length-terminated share of responses',
    step: 'errorState',
    signal: LENGTH_SHARE,
    comparison: '>',
    threshold: { default: 0.05, unit: 'share', source: `${S003}: alert if more than five percent of responses are length-terminated` },
    missingHint: 'finish_reason of responses (vLLM request_success_total by finished_reason)',
    effects: [{ answer: 'degraded-output', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'es-security-alert',
    title: 'Security alert firing (prompt injection, unauthorized access)',
    step: 'errorState',
    signal: SECURITY_ALERT,
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: `${S003}, seed 002: input/output filter hits, auth anomalies` },
    missingHint: 'security alerts (filter hits, auth anomalies)',
    effects: [{ answer: 'security', effect: 'supports', weight: 1 }],
  },

  // ---------- step 2: pathway ----------
  {
    id: 'pw-gpu-memory-peak',
    title: 'GPU framebuffer use at peak',
    step: 'pathway',
    signal: GPU_FB_PEAK_SHARE,
    comparison: '>',
    threshold: { default: 0.95, unit: 'share', source: `${S003}: peak GPU memory reaching ninety-five percent will OOM` },
    missingHint: 'GPU framebuffer used/free at peak (dcgm-exporter)',
    effects: [{ answer: 'infrastructure', effect: 'supports', weight: 1 }],
  },
  {
    id: 'pw-silent-before-first-request',
    title: 'Containers silent during load while load continues',
    step: 'pathway',
    signal: SILENT_BEFORE_FIRST_REQUEST,
    comparison: '>=',
    threshold: { default: 120, unit: 's', source: `${S004}, seed 002 F3: a model that never comes up is held by its platform: storage bandwidth, cold starts, probes` },
    missingHint: 'container output stream vs first request served (output series, gateway traffic)',
    effects: [{ answer: 'infrastructure', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'pw-restarts-after-serving',
    title: 'Containers restarted after serving requests',
    step: 'pathway',
    signal: RESTARTS_AFTER_SERVING,
    comparison: '>=',
    threshold: { default: 1, unit: 'restarts', source: `${S004}: processes dying under load point at their resources (memory, GPU)` },
    missingHint: 'container restarts (kube-state-metrics) and the output of the restarted containers',
    effects: [{ answer: 'infrastructure', effect: 'supports', weight: 0.6 }],
  },
  {
    id: 'pw-ttft-high',
    title: 'Time to first token p95',
    step: 'pathway',
    signal: TTFT_P95,
    comparison: '>',
    threshold: { default: 2, unit: 's', source: `${S003}, seed 002 F1: prefill and queueing are resource limits` },
    missingHint: 'time-to-first-token histogram (vLLM)',
    effects: [{ answer: 'infrastructure', effect: 'supports', weight: 0.6 }],
  },
  {
    id: 'pw-throttled',
    title: 'Gateway 429 share',
    step: 'pathway',
    signal: THROTTLED_SHARE,
    comparison: '>',
    threshold: { default: 0.01, unit: 'share', source: 'seed 002 F7: capacity exhaustion' },
    missingHint: 'gateway responses by status code',
    effects: [{ answer: 'infrastructure', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'pw-xid-errors',
    title: 'GPU XID errors',
    step: 'pathway',
    signal: XID,
    comparison: '>',
    threshold: { default: 0, source: 'seed 001: hardware faults surface as XID errors' },
    missingHint: 'GPU XID errors (dcgm-exporter)',
    effects: [{ answer: 'infrastructure', effect: 'supports', weight: 1 }],
  },
  {
    id: 'pw-oom-killed',
    title: 'Containers OOM-killed',
    step: 'pathway',
    signal: OOM_KILLED,
    comparison: '>=',
    threshold: { default: 1, unit: 'restarts', source: `${S004}: memory reservation below the real footprint` },
    missingHint: 'container restarts and last termination reason (kube-state-metrics)',
    effects: [
      { answer: 'infrastructure', effect: 'supports', weight: 1 },
      { answer: 'integration', effect: 'rulesOut', weight: 0.6 },
    ],
  },
  {
    id: 'pw-queue-stalled',
    title: 'Dead-letter queue rising while in-flight stays flat',
    step: 'pathway',
    signal: DLQ_RISING_INFLIGHT_FLAT,
    comparison: '>=',
    threshold: { default: 1, unit: 'messages', source: `${S004}: queue stall between stages` },
    missingHint: 'dead-letter queue depth and in-flight (unacked) messages (RabbitMQ)',
    effects: [{ answer: 'integration', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'pw-misrouting-trace',
    title: 'Traces show requests routed to the wrong model or node',
    step: 'pathway',
    signal: { kind: 'detector', detector: MISROUTING_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: 'seeds 000, 004' },
    missingHint: 'traces of the affected requests (misrouting detector)',
    effects: [{ answer: 'integration', effect: 'supports', weight: 1 }],
  },
  {
    id: 'pw-timeout-partial-trace',
    title: 'Traces show an upstream timeout whose partial output was consumed',
    step: 'pathway',
    signal: { kind: 'detector', detector: TIMEOUT_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: 'seed 000 #5' },
    missingHint: 'traces of the affected requests (timeout-partial detector)',
    effects: [{ answer: 'integration', effect: 'supports', weight: 1 }],
  },
  {
    id: 'pw-length-terminated',
    title: 'Length-terminated share of responses',
    step: 'pathway',
    signal: LENGTH_SHARE,
    comparison: '>',
    threshold: { default: 0.05, unit: 'share', source: `${S003}: more than five percent length-terminated` },
    missingHint: 'finish_reason of responses (vLLM request_success_total by finished_reason)',
    effects: [{ answer: 'model', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'pw-prompt-near-context',
    title: 'Prompt tokens p99 as a share of the context window',
    step: 'pathway',
    signal: PROMPT_P99_SHARE,
    comparison: '>',
    threshold: { default: 0.9, unit: 'share of max_model_len', source: `${S003}: alert when inputs approach or exceed the context window` },
    missingHint: 'prompt token distribution and max_model_len (vLLM request_prompt_tokens)',
    effects: [{ answer: 'model', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'pw-model-version-changed',
    title: 'Model versions served in the window',
    step: 'pathway',
    signal: MODEL_VERSIONS_SERVED,
    comparison: '>',
    threshold: { default: 1, unit: 'versions', source: 'seeds 000 #2, 001: a new version changes the output distribution' },
    missingHint: 'model version labels of the serving metrics',
    effects: [
      { answer: 'model', effect: 'supports', weight: 1 },
      { answer: 'data', effect: 'rulesOut', weight: 0.5 },
    ],
  },
  {
    id: 'pw-input-drift',
    title: 'Input distribution drift alert firing',
    step: 'pathway',
    signal: DRIFT_ALERT,
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: 'seeds 001, 002: input statistics drift vs baseline' },
    missingHint: 'input drift monitoring (drift alerts)',
    effects: [{ answer: 'data', effect: 'supports', weight: 1 }],
  },
  {
    id: 'pw-security-alert',
    title: 'Security alert firing',
    step: 'pathway',
    signal: SECURITY_ALERT,
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: `${S003}, seed 002` },
    missingHint: 'security alerts (filter hits, auth anomalies)',
    effects: [{ answer: 'security', effect: 'supports', weight: 1 }],
  },

  // ---------- step 3: failure class ----------
  {
    id: 'fc-silent-before-first-request',
    title: 'Container silent during load while load continues',
    step: 'failureClass',
    signal: SILENT_BEFORE_FIRST_REQUEST,
    comparison: '>=',
    threshold: { default: 120, unit: 's', source: `${S004}: silence during load is a loading problem` },
    missingHint: 'container output stream vs first request served (output series, gateway traffic)',
    effects: [
      { answer: 'slow-model-loading', effect: 'supports', weight: 1 },
      { answer: 'container-oom-killed', effect: 'rulesOut', weight: 0.6 },
    ],
  },
  {
    id: 'fc-silent-after-first-request',
    title: 'Container silent after its first request while load continues',
    step: 'failureClass',
    signal: SILENT_AFTER_FIRST_REQUEST,
    comparison: '>=',
    threshold: { default: 120, unit: 's', source: `${S004}: silence on the first request is a runtime problem` },
    missingHint: 'container output stream after the first request (output series, gateway traffic)',
    effects: [
      { answer: 'container-oom-killed', effect: 'supports', weight: 0.6 },
      { answer: 'slow-model-loading', effect: 'rulesOut', weight: 0.8 },
    ],
  },
  {
    id: 'fc-gpu-memory-peak',
    title: 'GPU framebuffer use at peak',
    step: 'failureClass',
    signal: GPU_FB_PEAK_SHARE,
    comparison: '>',
    threshold: { default: 0.95, unit: 'share', source: `${S003}: peak GPU memory reaching ninety-five percent will OOM` },
    missingHint: 'GPU framebuffer used/free at peak (dcgm-exporter)',
    effects: [{ answer: 'gpu-oom', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-gpu-memory-headroom',
    title: 'GPU framebuffer use at peak leaves headroom',
    step: 'failureClass',
    signal: GPU_FB_PEAK_SHARE,
    comparison: '<',
    threshold: { default: 0.8, unit: 'share', source: `${S003}: GPU OOM needs peak use near the framebuffer (95 %); well below it, the OOM is elsewhere` },
    missingHint: 'GPU framebuffer used/free at peak (dcgm-exporter)',
    effects: [{ answer: 'gpu-oom', effect: 'rulesOut', weight: 0.8 }],
  },
  {
    id: 'fc-kv-cache-saturated',
    title: 'vLLM KV-cache usage',
    step: 'failureClass',
    signal: { kind: 'promql', template: 'max(max_over_time({{kvCacheUsage}}[{{window}}]))', metrics: ['kvCacheUsage'] },
    comparison: '>=',
    threshold: { default: 0.95, unit: 'share', source: `${S003}: KV cache saturation precedes GPU OOM (fleet kvCacheUsage default)` },
    missingHint: 'vLLM KV-cache usage',
    effects: [
      { answer: 'gpu-oom', effect: 'supports', weight: 0.6 },
      // requests queue because the KV cache is full (vLLM preempts), not because replicas ran out: without 429s it is not capacity
      { answer: 'throttling-capacity', effect: 'rulesOut', weight: 0.5 },
    ],
  },
  {
    id: 'fc-preemptions',
    title: 'vLLM preemptions per second at peak',
    step: 'failureClass',
    signal: { kind: 'promql', template: peak('sum(rate({{preemptions}}[{{rate}}]))'), metrics: ['preemptions'] },
    comparison: '>',
    threshold: { default: 0.1, unit: 'per s', source: `${S003}: the KV cache cannot hold the running batch; vLLM preempts and recomputes (fleet preemptionsPerSecond default)` },
    missingHint: 'vLLM preemptions counter',
    effects: [
      { answer: 'gpu-oom', effect: 'supports', weight: 0.6 },
      // TTFT from requests being preempted and recomputed, not from prefill batching alone
      { answer: 'latency-saturation', effect: 'rulesOut', weight: 0.4 },
    ],
  },
  {
    id: 'fc-oom-killed',
    title: 'Containers OOM-killed by the kernel (host/cgroup memory, reason OOMKilled)',
    step: 'failureClass',
    signal: OOM_KILLED,
    comparison: '>=',
    threshold: { default: 1, unit: 'restarts', source: `${S004}: the Linux OOM killer terminates without application logs; CUDA OOM exits with Error, not OOMKilled` },
    missingHint: 'container restarts and last termination reason (kube-state-metrics)',
    effects: [
      { answer: 'container-oom-killed', effect: 'supports', weight: 1 },
      { answer: 'gpu-oom', effect: 'rulesOut', weight: 0.5 },
    ],
  },
  {
    id: 'fc-queue-stall-with-oom-kills',
    title: 'Queue stalled while its consumers are OOM-killed (runtime is the cause)',
    step: 'failureClass',
    signal: {
      kind: 'promql',
      template: `(${OOM_KILLED.template}) and on () (${DLQ_RISING_INFLIGHT_FLAT.template})`,
      metrics: ['restarts', 'lastTerminatedReason', 'queueReady', 'queueUnacked'],
      required: ['restarts', 'queueReady', 'queueUnacked'],
    },
    comparison: '>=',
    threshold: { default: 1, unit: 'restarts', source: `${S004}: with Parler cycling through OOM kills, SQS stalled; fixing memory drained the queue` },
    missingHint: 'OOM kills of the queue consumers together with dead-letter queue depth',
    effects: [
      { answer: 'container-oom-killed', effect: 'supports', weight: 1 },
      { answer: 'queue-stall-dead-letters', effect: 'rulesOut', weight: 0.8 },
    ],
  },
  {
    id: 'fc-queue-stalled',
    title: 'Dead-letter queue rising while in-flight stays flat',
    step: 'failureClass',
    signal: DLQ_RISING_INFLIGHT_FLAT,
    comparison: '>=',
    threshold: { default: 1, unit: 'messages', source: `${S004}: DLQ depth, delivery counts rising, in-flight flat` },
    missingHint: 'dead-letter queue depth and in-flight (unacked) messages (RabbitMQ)',
    effects: [{ answer: 'queue-stall-dead-letters', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-xid-errors',
    title: 'GPU XID errors',
    step: 'failureClass',
    signal: XID,
    comparison: '>',
    threshold: { default: 0, source: 'seed 001: XID errors, ECC, a GPU fallen off the bus' },
    missingHint: 'GPU XID errors (dcgm-exporter)',
    effects: [
      { answer: 'accelerator-hardware-fault', effect: 'supports', weight: 1 },
      // a GPU reporting XID errors explains its server's crashes; the kernel's OOM killer is then not the first suspect
      { answer: 'container-oom-killed', effect: 'rulesOut', weight: 0.5 },
    ],
  },
  {
    id: 'fc-ttft-high',
    title: 'Time to first token p95',
    step: 'failureClass',
    signal: TTFT_P95,
    comparison: '>',
    threshold: { default: 2, unit: 's', source: `${S003}: TTFT is set by the prefill phase; set the default to your TTFT SLO` },
    missingHint: 'time-to-first-token histogram (vLLM)',
    effects: [
      { answer: 'latency-saturation', effect: 'supports', weight: 0.6 },
      { answer: 'throttling-capacity', effect: 'supports', weight: 0.3 },
    ],
  },
  {
    id: 'fc-waiting-flat',
    title: 'Waiting requests stay low (TTFT from prefill batching, not queueing)',
    step: 'failureClass',
    signal: { kind: 'promql', template: 'max(max_over_time({{requestsWaiting}}[{{window}}]))', metrics: ['requestsWaiting'] },
    comparison: '<=',
    threshold: { default: 1, unit: 'requests', source: `${S003}: prefill of a batch of long requests raises TTFT with no queue` },
    missingHint: 'vLLM waiting requests',
    effects: [{ answer: 'throttling-capacity', effect: 'rulesOut', weight: 0.8 }],
  },
  {
    id: 'fc-waiting-growing',
    title: 'Waiting requests pile up (TTFT from queueing)',
    step: 'failureClass',
    signal: { kind: 'promql', template: 'max(max_over_time({{requestsWaiting}}[{{window}}]))', metrics: ['requestsWaiting'] },
    comparison: '>',
    threshold: { default: 10, unit: 'requests', source: 'seed 002 F1/F7: resource saturation queues requests; capacity exhaustion' },
    missingHint: 'vLLM waiting requests',
    effects: [
      { answer: 'throttling-capacity', effect: 'supports', weight: 0.8 },
      { answer: 'latency-saturation', effect: 'rulesOut', weight: 0.3 },
    ],
  },
  {
    id: 'fc-throttled',
    title: 'Gateway 429 share',
    step: 'failureClass',
    signal: THROTTLED_SHARE,
    comparison: '>',
    threshold: { default: 0.01, unit: 'share', source: 'seed 002 F7: throttling (429) and capacity exhaustion' },
    missingHint: 'gateway responses by status code',
    effects: [{ answer: 'throttling-capacity', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-unauthorized',
    title: 'Gateway 401 share',
    step: 'failureClass',
    signal: {
      kind: 'promql',
      template: peak('(sum(rate({{gatewayRequests}}{code="401"}[{{rate}}])) or on () vector(0)) / sum(rate({{gatewayRequests}}[{{rate}}]))'),
      metrics: ['gatewayRequests'],
    },
    comparison: '>',
    threshold: { default: 0.01, unit: 'share', source: 'seed 002 F6: authentication failures between services' },
    missingHint: 'gateway responses by status code',
    effects: [{ answer: 'auth-failures', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-misrouting-trace',
    title: 'Traces show requests routed to the wrong model or node',
    step: 'failureClass',
    signal: { kind: 'detector', detector: MISROUTING_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: 'seeds 000, 004' },
    missingHint: 'traces of the affected requests (misrouting detector)',
    effects: [{ answer: 'misrouting', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-timeout-partial-trace',
    title: 'Traces show an upstream timeout whose partial output was consumed',
    step: 'failureClass',
    signal: { kind: 'detector', detector: TIMEOUT_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: 'seed 000 #5' },
    missingHint: 'traces of the affected requests (timeout-partial detector)',
    effects: [{ answer: 'timeout-partial-results', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-length-terminated',
    title: 'Length-terminated share of responses',
    step: 'failureClass',
    signal: LENGTH_SHARE,
    comparison: '>',
    threshold: { default: 0.05, unit: 'share', source: `${S003}: alert if more than five percent of responses are length-terminated` },
    missingHint: 'finish_reason of responses (vLLM request_success_total by finished_reason)',
    effects: [{ answer: 'token-budget-exhaustion', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-token-budget-trace',
    title: 'Traces show length-terminated responses consumed downstream',
    step: 'failureClass',
    signal: { kind: 'detector', detector: TOKEN_BUDGET_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: S003 },
    missingHint: 'traces of the affected requests (token-budget detector)',
    effects: [{ answer: 'token-budget-exhaustion', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'fc-prompt-near-context',
    title: 'Prompt tokens p99 as a share of the context window',
    step: 'failureClass',
    signal: PROMPT_P99_SHARE,
    comparison: '>',
    threshold: { default: 0.9, unit: 'share of max_model_len', source: `${S003}: alert when inputs approach or exceed the context window` },
    missingHint: 'prompt token distribution and max_model_len (vLLM request_prompt_tokens)',
    effects: [{ answer: 'context-window-overflow', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-context-window-trace',
    title: 'Traces show prompts truncated at the context window',
    step: 'failureClass',
    signal: { kind: 'detector', detector: CONTEXT_WINDOW_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: S003 },
    missingHint: 'traces of the affected requests (context-window detector)',
    effects: [{ answer: 'context-window-overflow', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'fc-model-version-trace',
    title: 'Traces show model versions out of step',
    step: 'failureClass',
    signal: { kind: 'detector', detector: MODEL_VERSION_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: 'seeds 000 #2, 001' },
    missingHint: 'traces of the affected requests (model-version detector)',
    effects: [
      { answer: 'model-version-drift', effect: 'supports', weight: 1 },
      { answer: 'input-distribution-shift', effect: 'rulesOut', weight: 0.5 },
    ],
  },
  {
    id: 'fc-model-version-changed',
    title: 'Model versions served in the window',
    step: 'failureClass',
    signal: MODEL_VERSIONS_SERVED,
    comparison: '>',
    threshold: { default: 1, unit: 'versions', source: 'seeds 000 #2, 001: version label changed at deploy time' },
    missingHint: 'model version labels of the serving metrics',
    effects: [
      { answer: 'model-version-drift', effect: 'supports', weight: 1 },
      { answer: 'input-distribution-shift', effect: 'rulesOut', weight: 0.5 },
    ],
  },
  {
    id: 'fc-model-version-stable',
    title: 'One model version served throughout the window',
    step: 'failureClass',
    signal: MODEL_VERSIONS_SERVED,
    comparison: '<=',
    threshold: { default: 1, unit: 'versions', source: 'seed 001: accuracy decays with no version change: drift, not a new model' },
    missingHint: 'model version labels of the serving metrics',
    effects: [{ answer: 'model-version-drift', effect: 'rulesOut', weight: 0.8 }],
  },
  {
    id: 'fc-input-drift',
    title: 'Input distribution drift alert firing',
    step: 'failureClass',
    signal: DRIFT_ALERT,
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: 'seeds 001, 002: input statistics drift vs baseline' },
    missingHint: 'input drift monitoring (drift alerts)',
    effects: [{ answer: 'input-distribution-shift', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-prompt-injection',
    title: 'Prompt-injection filter alert firing',
    step: 'failureClass',
    signal: { kind: 'alert', label: 'category', values: ['prompt-injection'] },
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: `${S003}: input and output filter hits` },
    missingHint: 'prompt-injection filter alerts',
    effects: [{ answer: 'prompt-injection', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-unauthorized-access',
    title: 'Unauthorized-access alert firing',
    step: 'failureClass',
    signal: { kind: 'alert', label: 'category', values: ['unauthorized-access'] },
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: 'seed 002: auth anomalies, unknown callers' },
    missingHint: 'endpoint access alerts',
    effects: [{ answer: 'unauthorized-access', effect: 'supports', weight: 1 }],
  },
])

export function findRule(id: string, rules: Rule[] = DEFAULT_RULES): Rule | undefined {
  return rules.find((r) => r.id === id)
}
