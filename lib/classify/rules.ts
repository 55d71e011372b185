/**
 * Evidence rules for the classification wizard (issue #7), as data: each rule names its signal, a configurable
 * threshold (defaults from the seeds) and which answers it supports or rules out, with a weight. Evaluation lives in
 * ./evaluate.ts and is pure.
 *
 * PromQL templates use `{{name}}` placeholders: a fleet signal key from lib/fleet/config.ts (listed in `metrics`,
 * rendered as that signal's configured metric names, narrowed to the incident; a queue signal may say which queue:
 * `{{queueReady.deadLetter}}`) or a parameter (TEMPLATE_PARAMS, computed in ./render.ts templateParams).
 *
 * Every rule must stay quiet on a healthy fleet (lib/telemetry/scenarios/incidents.ts HEALTHY_FLEET): vLLM reserving
 * 95 % of GPU memory, a pipeline serving two models, pods that never emit vLLM metrics, a replica cold-starting, an
 * old XID, a few poison messages.
 */
import { z } from 'zod'
import { fleetMetricsSchema, type FleetSignal } from '@/lib/fleet/config'
import { ERROR_STATES, FAILURE_CLASSES, PATHWAYS } from '@/lib/taxonomy'
import { qualifiersOf } from './render'
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
export const TEMPLATE_PARAMS = [
  'rate',
  'window',
  'step',
  'lookback',
  'maxModelLen',
  'nearContextLe',
  'modelLabel',
  'modelVersionPattern',
  'kvCacheSaturated',
  'preemptionsPerSecond',
] as const

/** The answers each step may propose. */
export const STEP_ANSWERS: Record<Step, readonly string[]> = {
  errorState: ERROR_STATES,
  pathway: PATHWAYS,
  failureClass: FAILURE_CLASSES.map((c) => c.id),
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)(?:\.([a-zA-Z]+))?\s*\}\}/g

export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1])
}

/** Placeholders with a qualifier (`{{queueReady.deadLetter}}`), as [name, qualifier]. */
function qualifiedPlaceholders(template: string): [string, string][] {
  return [...template.matchAll(PLACEHOLDER)].filter((m) => m[2]).map((m) => [m[1], m[2]])
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
      for (const [p, q] of qualifiedPlaceholders(r.signal.template)) {
        const ok = (FLEET_SIGNALS as string[]).includes(p) && qualifiersOf(p as FleetSignal).includes(q)
        if (!ok) ctx.addIssue({ code: 'custom', path: ['signal', 'template'], message: `placeholder {{${p}.${q}}}: ${p} takes no qualifier ${q}` })
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
/** the share of gateway requests answered 5xx above which traffic is failing */
export const FAILING_TRAFFIC_SHARE = 0.05
/** silence of a serving pod before its first output that is too long for any cold start, failing traffic or not */
export const SILENT_LOADING_LONG_SECONDS = 1800
/** the gateway's 5xx share is over FAILING_TRAFFIC_SHARE (a vector with no labels, or nothing) */
const TRAFFIC_FAILING = `(sum(rate({{gatewayRequests}}{code=~"5.."}[{{rate}}])) / sum(rate({{gatewayRequests}}[{{rate}}])) > ${FAILING_TRAFFIC_SHARE})`

/**
 * Seconds since a serving pod (one that requests a GPU: not an embedder, a router or a finished job) first appeared,
 * for pods that still exist and have emitted nothing in the lookback (never served).
 */
const SILENT_SERVING_POD_SINCE_START =
  '((((time() - min by (namespace, pod) (min_over_time(timestamp({{podInfo}})[{{lookback}}:{{step}}]))) unless on (namespace, pod) max by (namespace, pod) (max_over_time({{output}}[{{lookback}}]))) and on (namespace, pod) ' +
  POD_EXISTS +
  ') and on (namespace, pod) {{gpuRequests}})'
const SILENT_BEFORE_FIRST_REQUEST: Signal = {
  kind: 'promql',
  // silence during the load phase, while the gateway still sends load, that is a problem rather than a cold start: the
  // gateway is failing requests meanwhile, or the silence outlasts any cold start
  template: peak(
    `((${SILENT_SERVING_POD_SINCE_START} and on () ${TRAFFIC_FAILING}) or (${SILENT_SERVING_POD_SINCE_START} >= ${SILENT_LOADING_LONG_SECONDS})) and ${LOAD_CONTINUES}`,
  ),
  metrics: ['podInfo', 'output', 'gatewayRequests', 'gpuRequests'],
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
/**
 * Container restarts step by step (the counter against one step before, which needs no particular scrape interval),
 * kept where the container's freshest last-terminated reason at that step is OOMKilled: the reason of that restart.
 * (kube-state-metrics keeps the last reason until the next termination, so a window-wide look would count a CUDA OOM
 * exiting with Error after an older kernel OOM kill.)
 */
const OOM_KILLED: Signal = {
  kind: 'promql',
  template:
    'sum(sum_over_time((({{restarts}} - {{restarts}} offset {{step}}) > 0 and on (namespace, pod, container) (timestamp({{lastTerminatedReason}}{reason="OOMKilled"}) >= on (namespace, pod, container) group_left max by (namespace, pod, container) (timestamp({{lastTerminatedReason}}))))[{{window}}:{{step}}]))',
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
/**
 * Messages the pipeline's configured dead-letter queue gained over the window (last minus first, no extrapolation),
 * only while its work queue holds messages in flight (unacked above 0 all window) that do not move (flat): consumers
 * stuck on deliveries, not an idle queue where a few poison messages trickle into the DLQ.
 */
const DLQ_RISING_INFLIGHT_FLAT: Signal = {
  kind: 'promql',
  template:
    'sum({{queueReady.deadLetter}} - {{queueReady.deadLetter}} offset {{window}}) and on () (sum(max_over_time({{queueUnacked.work}}[{{window}}]) - min_over_time({{queueUnacked.work}}[{{window}}])) < 1) and on () (sum(min_over_time({{queueUnacked.work}}[{{window}}])) > 0)',
  metrics: ['queueReady', 'queueUnacked'],
}
const GPU_FB_SHARE = '({{gpuMemoryUsed}} / ({{gpuMemoryUsed}} + {{gpuMemoryFree}}))'
/** vLLM is short of KV cache: saturated, or preempting running requests (a vector with no labels, or nothing) */
const KV_PRESSURE = '((max({{kvCacheUsage}}) >= {{kvCacheSaturated}}) or (sum(rate({{preemptions}}[{{rate}}])) > {{preemptionsPerSecond}}))'
/**
 * Peak framebuffer share of the incident's GPUs at moments when vLLM is short of KV cache. vLLM reserves 90-95 % of
 * the framebuffer at start (--gpu-memory-utilization), so a full framebuffer alone is how it always looks.
 */
const GPU_FB_PEAK_UNDER_KV_PRESSURE: Signal = {
  kind: 'promql',
  template: peak(`${GPU_FB_SHARE} and on () ${KV_PRESSURE}`),
  metrics: ['gpuMemoryUsed', 'gpuMemoryFree', 'kvCacheUsage', 'preemptions'],
  required: ['gpuMemoryUsed', 'gpuMemoryFree', 'kvCacheUsage'],
}
const GPU_FB_PEAK_SHARE: Signal = {
  kind: 'promql',
  template: 'max(max_over_time(({{gpuMemoryUsed}} / ({{gpuMemoryUsed}} + {{gpuMemoryFree}}))[{{window}}:{{step}}]))',
  metrics: ['gpuMemoryUsed', 'gpuMemoryFree'],
}
/**
 * XID codes that point at the GPU itself (NVIDIA's XID catalogue): ECC and row-remapping failures, the GPU fallen off
 * the bus, NVLink, contained/uncontained memory errors, GSP errors. Application XIDs (13 graphics exception, 31 MMU
 * fault, 43 GPU stopped processing, 45 preemptive cleanup) are the workload's, not the hardware's.
 */
export const HARDWARE_XIDS = [48, 63, 64, 74, 79, 92, 94, 95, 119, 120, 121, 140] as const
/**
 * GPUs reporting a new hardware XID in the window: DCGM_FI_DEV_XID_ERRORS is the last XID a GPU reported and keeps it,
 * so an XID counts where the gauge changed (against one step before) to a hardware code.
 */
const XID: Signal = {
  kind: 'promql',
  template: `sum(count_over_time((({{xidErrors}} != {{xidErrors}} offset {{step}}) and (${HARDWARE_XIDS.map((code) => `{{xidErrors}} == ${code}`).join(' or ')}))[{{window}}:{{step}}]))`,
  metrics: ['xidErrors'],
}
/**
 * A share only where the rate window held enough requests to mean something: at 3 a.m. traffic one cut-off answer or
 * one 429 among ten is not a 10 % share.
 */
function enoughRequests(total: string): string {
  return `and on () (sum(increase(${total}[{{rate}}])) >= 50)`
}

const LENGTH_SHARE: Signal = {
  kind: 'promql',
  template: peak(`((sum(rate({{requestSuccess}}{finished_reason="length"}[{{rate}}])) or on () vector(0)) / sum(rate({{requestSuccess}}[{{rate}}]))) ${enoughRequests('{{requestSuccess}}')}`),
  metrics: ['requestSuccess'],
}
/**
 * Share of prompts longer than the largest bucket of vLLM's prompt-token histogram within 90 % of the context window.
 * (A p99 from histogram_quantile cannot show it: the buckets are 1-2-5 up to max_model_len, so the quantile stops at
 * the largest finite bucket, about 0.6 of the window.)
 */
const PROMPT_NEAR_CONTEXT_SHARE: Signal = {
  kind: 'promql',
  template: peak(
    '(sum(rate({{promptTokens}}{le="+Inf"}[{{rate}}])) - sum(rate({{promptTokens}}{le=~"{{nearContextLe}}"}[{{rate}}]))) / sum(rate({{promptTokens}}{le="+Inf"}[{{rate}}]))',
  ),
  metrics: ['promptTokens'],
}
const TTFT_P95: Signal = {
  kind: 'promql',
  template: peak('histogram_quantile(0.95, sum by (le) (rate({{timeToFirstToken}}[{{rate}}])))'),
  metrics: ['timeToFirstToken'],
}
const THROTTLED_SHARE: Signal = {
  kind: 'promql',
  template: peak(`((sum(rate({{gatewayRequests}}{code="429"}[{{rate}}])) or on () vector(0)) / sum(rate({{gatewayRequests}}[{{rate}}]))) ${enoughRequests('{{gatewayRequests}}')}`),
  metrics: ['gatewayRequests'],
}
const SECURITY_ALERT: Signal = { kind: 'alert', label: 'category', values: ['security', 'prompt-injection', 'unauthorized-access'] }
const DRIFT_ALERT: Signal = { kind: 'alert', label: 'alertname', values: ['InputDistributionDrift', 'DataDrift', 'FeatureDrift'] }
/**
 * The most versions any one model served in the window. A served name's version is a trailing suffix (-v15, @rev,
 * :tag; modelVersionPattern): a generator and a judge are two models with one version each, v14 and v15 are two
 * versions of one.
 */
const MODEL_VERSIONS_SERVED: Signal = {
  kind: 'promql',
  template:
    'max(count by (firebreak_model) (count by (firebreak_model, {{modelLabel}}) (label_replace(max_over_time({{requestsRunning}}[{{window}}]), "firebreak_model", "$1", "{{modelLabel}}", "{{modelVersionPattern}}"))))',
  metrics: ['requestsRunning'],
}

const S003 = 'seed 003'
const S004 = 'seed 004'

/** The default rule set. Thresholds are the seeds' values; override them per rule id at evaluation. */
export const DEFAULT_RULES: Rule[] = ruleSetSchema.parse([
  // ---------- step 1: error state ----------
  {
    id: 'es-silent-before-first-request',
    title: 'GPU serving container silent during load (never served) while the gateway fails requests, or for over 30 minutes',
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
    title: 'GPU framebuffer use at peak while the KV cache is saturated or vLLM preempts',
    step: 'errorState',
    signal: GPU_FB_PEAK_UNDER_KV_PRESSURE,
    comparison: '>',
    threshold: { default: 0.95, unit: 'share', source: `${S003}: alert when GPU memory exceeds 95 % at peak (with KV-cache pressure: vLLM reserves 90-95 % at start)` },
    missingHint: 'GPU framebuffer used and free (dcgm-exporter) on the pipeline\'s nodes, vLLM KV-cache usage and preemptions',
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
    // the server answers, slowly: it got past loading and is failing at runtime
    effects: [{ answer: 'runtime', effect: 'supports', weight: 0.8 }],
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
    title: 'Input distribution drift alert fired during the incident',
    step: 'errorState',
    signal: DRIFT_ALERT,
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: 'seeds 001, 002: running and answering, but on inputs unlike its training data' },
    missingHint: 'input drift monitoring (drift alerts)',
    effects: [{ answer: 'degraded-output', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'es-model-version-changed',
    title: 'Most versions of one model served in the window',
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
    id: 'es-token-budget-trace',
    title: 'Traces show length-terminated responses consumed downstream',
    step: 'errorState',
    signal: { kind: 'detector', detector: TOKEN_BUDGET_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: `${S003}: a cut-off answer passed on as if whole: running, answering, wrong` },
    missingHint: 'traces of the affected requests (token-budget detector)',
    effects: [{ answer: 'degraded-output', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'es-security-alert',
    title: 'Security alert fired during the incident (prompt injection, unauthorized access)',
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
    title: 'GPU framebuffer use at peak while the KV cache is saturated or vLLM preempts',
    step: 'pathway',
    signal: GPU_FB_PEAK_UNDER_KV_PRESSURE,
    comparison: '>',
    threshold: { default: 0.95, unit: 'share', source: `${S003}: peak GPU memory reaching ninety-five percent will OOM (with KV-cache pressure: vLLM reserves 90-95 % at start)` },
    missingHint: 'GPU framebuffer used/free at peak (dcgm-exporter), vLLM KV-cache usage and preemptions',
    effects: [{ answer: 'infrastructure', effect: 'supports', weight: 1 }],
  },
  {
    id: 'pw-silent-before-first-request',
    title: 'GPU serving containers silent during load while the gateway fails requests, or for over 30 minutes',
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
    effects: [{ answer: 'infrastructure', effect: 'supports', weight: 0.8 }],
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
    title: 'GPU hardware XID errors reported in the window',
    step: 'pathway',
    signal: XID,
    comparison: '>=',
    threshold: { default: 1, unit: 'XID events', source: 'seed 001: hardware faults surface as XID errors (ECC, fallen off the bus; not application XIDs)' },
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
    id: 'pw-token-budget-trace',
    title: 'Traces show length-terminated responses consumed downstream',
    step: 'pathway',
    signal: { kind: 'detector', detector: TOKEN_BUDGET_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: `${S003}: the generation budget (max_tokens) is the model's configuration` },
    missingHint: 'traces of the affected requests (token-budget detector)',
    effects: [{ answer: 'model', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'pw-prompt-near-context',
    title: 'Share of prompts longer than the largest prompt-token bucket within 90 % of the context window',
    step: 'pathway',
    signal: PROMPT_NEAR_CONTEXT_SHARE,
    comparison: '>',
    threshold: { default: 0.01, unit: 'share of requests', source: `${S003}: alert when inputs approach or exceed the context window (90 % of max_model_len)` },
    missingHint: 'prompt token distribution and max_model_len (vLLM request_prompt_tokens)',
    effects: [{ answer: 'model', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'pw-model-version-changed',
    title: 'Most versions of one model served in the window',
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
    id: 'pw-model-version-trace',
    title: 'Traces show model versions out of step',
    step: 'pathway',
    signal: { kind: 'detector', detector: MODEL_VERSION_DETECTOR },
    comparison: '>=',
    threshold: { default: 1, unit: 'findings', source: 'seeds 000 #2, 001: stages answering from different model versions' },
    missingHint: 'traces of the affected requests (model-version detector)',
    effects: [{ answer: 'model', effect: 'supports', weight: 0.8 }],
  },
  {
    id: 'pw-input-drift',
    title: 'Input distribution drift alert fired during the incident',
    step: 'pathway',
    signal: DRIFT_ALERT,
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: 'seeds 001, 002: input statistics drift vs baseline' },
    missingHint: 'input drift monitoring (drift alerts)',
    effects: [{ answer: 'data', effect: 'supports', weight: 1 }],
  },
  {
    id: 'pw-security-alert',
    title: 'Security alert fired during the incident',
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
    title: 'GPU serving container silent during load while the gateway fails requests, or for over 30 minutes',
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
    title: 'GPU framebuffer use at peak while the KV cache is saturated or vLLM preempts',
    step: 'failureClass',
    signal: GPU_FB_PEAK_UNDER_KV_PRESSURE,
    comparison: '>',
    threshold: { default: 0.95, unit: 'share', source: `${S003}: peak GPU memory reaching ninety-five percent will OOM (with KV-cache pressure: vLLM reserves 90-95 % at start)` },
    missingHint: 'GPU framebuffer used/free at peak (dcgm-exporter), vLLM KV-cache usage and preemptions',
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
      template: `(${OOM_KILLED.template}) and on () (${DLQ_RISING_INFLIGHT_FLAT.template} >= 1)`,
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
    title: 'GPU hardware XID errors reported in the window',
    step: 'failureClass',
    signal: XID,
    comparison: '>=',
    threshold: { default: 1, unit: 'XID events', source: 'seed 001: XID errors, ECC, a GPU fallen off the bus (hardware codes only, new in the window)' },
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
      { answer: 'latency-saturation', effect: 'supports', weight: 0.8 },
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
      template: peak(`((sum(rate({{gatewayRequests}}{code="401"}[{{rate}}])) or on () vector(0)) / sum(rate({{gatewayRequests}}[{{rate}}]))) ${enoughRequests('{{gatewayRequests}}')}`),
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
    title: 'Share of prompts longer than the largest prompt-token bucket within 90 % of the context window',
    step: 'failureClass',
    signal: PROMPT_NEAR_CONTEXT_SHARE,
    comparison: '>',
    threshold: { default: 0.01, unit: 'share of requests', source: `${S003}: alert when inputs approach or exceed the context window (90 % of max_model_len)` },
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
    title: 'Most versions of one model served in the window',
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
    title: 'Input distribution drift alert fired during the incident',
    step: 'failureClass',
    signal: DRIFT_ALERT,
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: 'seeds 001, 002: input statistics drift vs baseline' },
    missingHint: 'input drift monitoring (drift alerts)',
    effects: [{ answer: 'input-distribution-shift', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-prompt-injection',
    title: 'Prompt-injection filter alert fired during the incident',
    step: 'failureClass',
    signal: { kind: 'alert', label: 'category', values: ['prompt-injection'] },
    comparison: '>=',
    threshold: { default: 1, unit: 'alerts', source: `${S003}: input and output filter hits` },
    missingHint: 'prompt-injection filter alerts',
    effects: [{ answer: 'prompt-injection', effect: 'supports', weight: 1 }],
  },
  {
    id: 'fc-unauthorized-access',
    title: 'Unauthorized-access alert fired during the incident',
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
