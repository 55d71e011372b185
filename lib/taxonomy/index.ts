/**
 * The failure taxonomy (../shared/DESIGN.md): the wizard's map, one runbook per class. Error states come from seed 004
 * (classify the state before diagnosing the cause), pathways from seed 001.
 */
export const ERROR_STATES = ['loading', 'runtime', 'routing', 'degraded-output', 'security'] as const
export type ErrorState = (typeof ERROR_STATES)[number]

export const PATHWAYS = ['infrastructure', 'integration', 'model', 'data', 'security'] as const
export type Pathway = (typeof PATHWAYS)[number]

export const ERROR_STATE_LABELS: Record<ErrorState, string> = {
  loading: 'Loading: never came up (cold start, weights loading, storage bandwidth)',
  runtime: 'Runtime: came up, then dies or stalls on requests',
  routing: 'Routing: requests go to the wrong place or nowhere',
  'degraded-output': 'Degraded output: running and answering, but wrong',
  security: 'Security: abuse of the model or its endpoint',
}

export interface FailureClass {
  id: string
  title: string
  errorState: ErrorState
  pathway: Pathway
  seeds: string
  typicalEvidence: string
}

export const FAILURE_CLASSES: FailureClass[] = [
  { id: 'gpu-oom', title: 'GPU out-of-memory (KV cache, batch size, fragmentation)', errorState: 'runtime', pathway: 'infrastructure', seeds: '003, 002 F5, 001', typicalEvidence: 'GPU FB used > 95 % at peak, vLLM KV-cache usage near 1, preemptions, server restarts' },
  { id: 'accelerator-hardware-fault', title: 'Accelerator hardware fault (XID errors, ECC, a GPU fallen off the bus)', errorState: 'runtime', pathway: 'infrastructure', seeds: '001', typicalEvidence: 'dcgm-exporter XID errors non-zero, a GPU vanishing from the exporter, its workers restarting' },
  { id: 'container-oom-killed', title: 'Container OOM-killed silently (reservation or limit below the real footprint)', errorState: 'runtime', pathway: 'infrastructure', seeds: '004', typicalEvidence: 'container output stops after the first request, restart count rises, OOMKilled' },
  { id: 'slow-model-loading', title: 'Slow or stuck model loading (cold start, shared storage bandwidth)', errorState: 'loading', pathway: 'infrastructure', seeds: '004, 002 F3', typicalEvidence: 'silence during load, storage throughput at its ceiling while IOPS are low, many simultaneous cold starts' },
  { id: 'latency-saturation', title: 'Latency saturation, time-to-first-token spike (prefill batching, queueing)', errorState: 'runtime', pathway: 'infrastructure', seeds: '003, 002 F1', typicalEvidence: 'TTFT p95 over SLO while decode speed is normal, waiting requests grow' },
  { id: 'resource-contention-degradation', title: 'Resource-contention degradation (precision fallback, GC pauses)', errorState: 'degraded-output', pathway: 'infrastructure', seeds: '000 #4', typicalEvidence: 'quality dips correlated with GPU memory pressure' },
  { id: 'throttling-capacity', title: 'Throttling (429) and capacity exhaustion', errorState: 'runtime', pathway: 'infrastructure', seeds: '002 F7', typicalEvidence: '429 rate, autoscaler at max' },
  { id: 'misrouting', title: 'Misrouting (wrong model or node for the request)', errorState: 'routing', pathway: 'integration', seeds: '000, 004', typicalEvidence: 'router decision vs request class, GPU model on a CPU node' },
  { id: 'queue-stall-dead-letters', title: 'Queue stall and dead letters', errorState: 'routing', pathway: 'integration', seeds: '004', typicalEvidence: 'DLQ depth, delivery counts rising, in-flight flat' },
  { id: 'timeout-partial-results', title: 'Timeout-induced partial results', errorState: 'degraded-output', pathway: 'integration', seeds: '000 #5', typicalEvidence: 'upstream span timed out, downstream consumed partial output' },
  { id: 'api-contract-version-skew', title: 'API contract or version skew between stages', errorState: 'degraded-output', pathway: 'integration', seeds: '001, 000 #2', typicalEvidence: 'parse errors downstream, versions differ between spans' },
  { id: 'auth-failures', title: 'Authentication failures between services (401)', errorState: 'runtime', pathway: 'integration', seeds: '002 F6', typicalEvidence: '401 rate, token or configuration changes' },
  { id: 'cache-staleness', title: 'Cache staleness after a model update', errorState: 'degraded-output', pathway: 'integration', seeds: '001', typicalEvidence: 'cache hit rate high, cached entries older than the model version' },
  { id: 'token-budget-exhaustion', title: 'Token-budget exhaustion (finish_reason = length)', errorState: 'degraded-output', pathway: 'model', seeds: '003', typicalEvidence: 'length-terminated share > 5 %' },
  { id: 'context-window-overflow', title: 'Context-window overflow and silent truncation', errorState: 'degraded-output', pathway: 'model', seeds: '003', typicalEvidence: 'prompt tokens p99 near max_model_len, truncation flags' },
  { id: 'model-version-drift', title: 'Silent model version drift or skew', errorState: 'degraded-output', pathway: 'model', seeds: '000 #2, 001', typicalEvidence: 'version label changed, output distribution shift at deploy time' },
  { id: 'calibration-collapse', title: 'Calibration collapse after quantization', errorState: 'degraded-output', pathway: 'model', seeds: '001', typicalEvidence: 'accuracy stable, confidence distribution shifted, threshold decisions change' },
  { id: 'output-quality-degradation', title: 'Output quality degradation (LLM)', errorState: 'degraded-output', pathway: 'model', seeds: '003, 000', typicalEvidence: 'judge score trend below 0.9 x baseline, CUSUM/EWMA alarm' },
  { id: 'cascading-context-corruption', title: 'Cascading context corruption', errorState: 'degraded-output', pathway: 'model', seeds: '000 #1', typicalEvidence: 'upstream output valid by schema, wrong by meaning; downstream plausible but wrong' },
  { id: 'retrieval-generation-mismatch', title: 'Retrieval-generation mismatch', errorState: 'degraded-output', pathway: 'model', seeds: '000 #3', typicalEvidence: 'retrieval scores fine, answer quality poor; embedder and generator versions out of step' },
  { id: 'input-distribution-shift', title: 'Input distribution shift (data drift)', errorState: 'degraded-output', pathway: 'data', seeds: '001, 002', typicalEvidence: 'input statistics drift vs baseline, accuracy decays without infra signals' },
  { id: 'feature-outage-schema-drift', title: 'Feature outage, stale features, input schema drift', errorState: 'degraded-output', pathway: 'data', seeds: '002 F4', typicalEvidence: 'missing-feature logs, feature freshness age, preprocessing errors' },
  { id: 'prompt-injection', title: 'Prompt injection', errorState: 'security', pathway: 'security', seeds: '003', typicalEvidence: 'input and output filter hits, system-prompt disclosure indicators' },
  { id: 'unauthorized-access', title: 'Unauthorized access to an inference endpoint', errorState: 'security', pathway: 'security', seeds: '002', typicalEvidence: 'auth anomalies, unknown callers' },
]

/** The runbook for when the class is still unknown: seed 002's incident checklist. */
export const TRIAGE_RUNBOOK_ID = 'triage'

export function findFailureClass(id: string): FailureClass | undefined {
  return FAILURE_CLASSES.find((c) => c.id === id)
}
