/**
 * Which metric feeds which column of the fleet view, the label names that join them, and the thresholds that raise a
 * flag. Every field has a working default for dcgm-exporter, kube-state-metrics, vLLM (old and new metric names), an
 * API gateway's http_requests_total and the RabbitMQ exporter; a team changes them under `fleet` in
 * firebreak.config.json.
 */
import { z } from 'zod'
import { checkPromql } from '@/lib/telemetry/promql'

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const DURATION = /^\d+(ms|s|m|h|d)$/

const metricName = z.string().regex(METRIC_NAME, 'is not a Prometheus metric name')
const labelName = z.string().regex(LABEL_NAME, 'is not a Prometheus label name')
const promqlDuration = z.string().regex(DURATION, 'is not a PromQL duration such as 5m or 1h')

/**
 * One signal: candidate metric names, first one with data wins per series (they are joined with PromQL `or`, so a
 * fleet half on an older vLLM still fills every row), and extra label matchers for all of them.
 */
export const signalSchema = z
  .object({
    metrics: z.array(metricName).min(1, 'needs at least one metric name'),
    /** label matchers added to every candidate, as inside {...}: `job="llm-gateway"` */
    matchers: z.string().max(500).default(''),
  })
  .strict()
  .superRefine((signal, ctx) => {
    if (!signal.matchers.trim()) return
    const check = checkPromql(`${signal.metrics[0]}{${signal.matchers}}`)
    if (!check.ok) ctx.addIssue({ code: 'custom', path: ['matchers'], message: `are not valid label matchers: ${check.error}` })
  })
export type Signal = z.infer<typeof signalSchema>

function signal(metrics: string[], matchers = '') {
  return signalSchema.default({ metrics, matchers })
}

export const fleetLabelsSchema = z
  .object({
    /** kube-state-metrics: the node a pod runs on, and the node of allocatable resources */
    node: labelName.default('node'),
    /** dcgm-exporter: the host of a GPU (the node name when NODE_NAME is passed to the exporter) */
    gpuHost: labelName.default('Hostname'),
    gpu: labelName.default('gpu'),
    gpuModel: labelName.default('modelName'),
    namespace: labelName.default('namespace'),
    pod: labelName.default('pod'),
    container: labelName.default('container'),
    /** kube-state-metrics: why a container last terminated (OOMKilled, Error) */
    reason: labelName.default('reason'),
    /** serving metrics (vLLM): the model, pipeline and scrape target of a server */
    model: labelName.default('model_name'),
    pipeline: labelName.default('pipeline'),
    instance: labelName.default('instance'),
    /** the gateway's request counter: which pipeline, which upstream (host:port of the server), which status code */
    gatewayPipeline: labelName.default('pipeline'),
    gatewayUpstream: labelName.default('upstream'),
    gatewayCode: labelName.default('code'),
    queue: labelName.default('queue'),
  })
  .strict()

export const fleetMetricsSchema = z
  .object({
    gpuMemoryUsed: signal(['DCGM_FI_DEV_FB_USED']),
    gpuMemoryFree: signal(['DCGM_FI_DEV_FB_FREE']),
    gpuUtilisation: signal(['DCGM_FI_DEV_GPU_UTIL']),
    gpuTemperature: signal(['DCGM_FI_DEV_GPU_TEMP']),
    /** nanoseconds throttled per second (a counter); off in dcgm-exporter's default counters, so often absent */
    gpuThermalViolation: signal(['DCGM_FI_DEV_THERMAL_VIOLATION']),
    /** the last XID error a GPU reported (0 for none) */
    xidErrors: signal(['DCGM_FI_DEV_XID_ERRORS']),
    gpuAllocatable: signal(['kube_node_status_allocatable'], 'resource="nvidia_com_gpu"'),
    gpuRequests: signal(['kube_pod_container_resource_requests'], 'resource="nvidia_com_gpu"'),
    podInfo: signal(['kube_pod_info']),
    restarts: signal(['kube_pod_container_status_restarts_total']),
    lastTerminatedReason: signal(['kube_pod_container_status_last_terminated_reason']),
    /** vLLM renamed gpu_cache_usage_perc to kv_cache_usage_perc (V1 engine); both are asked for */
    kvCacheUsage: signal(['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc']),
    requestsRunning: signal(['vllm:num_requests_running']),
    requestsWaiting: signal(['vllm:num_requests_waiting']),
    preemptions: signal(['vllm:num_preemptions_total']),
    /**
     * The container's output stream (seed 004): a series the server emits whether or not it has requests. The time of
     * its last sample is the container's liveness.
     */
    output: signal(['vllm:num_requests_running']),
    /** completed requests by finished_reason (the classification wizard's length-terminated share) */
    requestSuccess: signal(['vllm:request_success_total']),
    /** histogram of prompt tokens per request (the wizard's prompt p99 vs the context window) */
    promptTokens: signal(['vllm:request_prompt_tokens_bucket']),
    /** histogram of time to first token (the wizard's TTFT p95) */
    timeToFirstToken: signal(['vllm:time_to_first_token_seconds_bucket']),
    gatewayRequests: signal(['http_requests_total'], 'job="llm-gateway"'),
    /** the built-in rabbitmq_prometheus plugin names per-queue metrics either way, depending on its endpoint */
    queueReady: signal(['rabbitmq_queue_messages_ready', 'rabbitmq_detailed_queue_messages_ready']),
    queueUnacked: signal(['rabbitmq_queue_messages_unacked', 'rabbitmq_detailed_queue_messages_unacked']),
  })
  .strict()
export type FleetSignal = keyof z.infer<typeof fleetMetricsSchema>

export const fleetThresholdsSchema = z
  .object({
    /** the share of one GPU's framebuffer in use above which it is flagged (seed 003: > 95 % at peak) */
    gpuMemoryShare: z.number().gt(0).lte(1).default(0.95),
    kvCacheUsage: z.number().gt(0).lte(1).default(0.95),
    preemptionsPerSecond: z.number().min(0).default(0.1),
    /** a serving container that has emitted nothing for this long is silent */
    silenceSeconds: z.number().int().positive().default(120),
    /** ... but only while its gateway still sends it at least this many requests per second */
    gatewayRequestsPerSecond: z.number().min(0).default(0.1),
    /** false: flag silence even where no gateway traffic series says whether the container should be serving */
    silenceNeedsTraffic: z.boolean().default(true),
    /** share of time a GPU was thermally throttled */
    thermalThrottleShare: z.number().gt(0).lte(1).default(0.1),
    restartsInWindow: z.number().int().positive().default(1),
    deadLetterMessages: z.number().int().positive().default(1),
  })
  .strict()

export const fleetWindowsSchema = z
  .object({
    /** the range of rate() for counters (preemptions, gateway traffic, throttling) */
    rate: promqlDuration.default('5m'),
    /** how far back restarts are counted */
    restarts: promqlDuration.default('1h'),
    /** how far back the last output of a container is looked for */
    livenessLookbackMinutes: z.number().int().min(5).max(360).default(60),
    livenessStepSeconds: z.number().int().min(5).max(300).default(15),
  })
  .strict()

export const fleetModelSchema = z
  .object({
    /** GPU memory the model needs in total across the GPUs its pod requests (weights, KV cache, overhead) */
    gpuMemoryMiB: z.number().positive().optional(),
    requiresGpu: z.boolean().default(true),
  })
  .strict()

export const fleetQueuesSchema = z
  .object({
    /** the work queue of a pipeline; {pipeline} is replaced by its name */
    queueName: z.string().min(1).default('{pipeline}'),
    deadLetterQueueName: z.string().min(1).default('{pipeline}.dlq'),
    /** per pipeline, when its queues do not follow the names above */
    pipelines: z.record(z.string(), z.object({ queue: z.string().min(1).optional(), deadLetterQueue: z.string().min(1).optional() }).strict()).default({}),
  })
  .strict()

export const FLEET_QUERY_IDS = [
  'gpuMemoryUsed',
  'gpuMemoryFree',
  'gpuUtilisation',
  'gpuTemperature',
  'gpuThrottle',
  'xidErrors',
  'gpuAllocatable',
  'gpuRequests',
  'podInfo',
  'podFirstSeen',
  'restarts',
  'restartsInWindow',
  'lastTerminated',
  'kvCacheUsage',
  'requestsRunning',
  'requestsWaiting',
  'preemptions',
  'lastOutput',
  'gatewayRequests',
  'queueReady',
  'queueUnacked',
] as const
export type FleetQueryId = (typeof FLEET_QUERY_IDS)[number]

export const fleetConfigSchema = z
  .object({
    labels: fleetLabelsSchema.prefault({}),
    metrics: fleetMetricsSchema.prefault({}),
    /**
     * Whole PromQL queries that replace the built ones, by query id. A replacement must return the labels the built
     * query groups by (see lib/fleet/README.md), so the join still finds its rows.
     */
    queries: z.partialRecord(z.enum(FLEET_QUERY_IDS), z.string().min(1).max(10_000)).default({}),
    thresholds: fleetThresholdsSchema.prefault({}),
    windows: fleetWindowsSchema.prefault({}),
    /** by model name as the serving metrics label it; for the misplacement check */
    models: z.record(z.string(), fleetModelSchema).default({}),
    /** whether a model server not listed in `models` needs a GPU (vLLM serves on GPUs) */
    modelsRequireGpu: z.boolean().default(true),
    queues: fleetQueuesSchema.prefault({}),
    /** each query gives up after this long; the view shows what the others returned */
    queryTimeoutMs: z.number().int().min(500).max(60_000).default(8_000),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const [id, query] of Object.entries(config.queries)) {
      const check = checkPromql(query ?? '')
      if (!check.ok) ctx.addIssue({ code: 'custom', path: ['queries', id], message: `does not parse: ${check.error}` })
    }
  })
export type FleetConfig = z.infer<typeof fleetConfigSchema>

export const DEFAULT_FLEET_CONFIG: FleetConfig = fleetConfigSchema.parse({})

/** The work and dead-letter queue names of a pipeline. */
export function queueNamesFor(pipeline: string, config: FleetConfig): { queue: string; deadLetterQueue: string } {
  const own = config.queues.pipelines[pipeline]
  return {
    queue: own?.queue ?? config.queues.queueName.replaceAll('{pipeline}', pipeline),
    deadLetterQueue: own?.deadLetterQueue ?? config.queues.deadLetterQueueName.replaceAll('{pipeline}', pipeline),
  }
}
