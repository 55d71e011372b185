/**
 * The named scenarios, built from the failure classes in the seeds. Metric names are the real ones
 * (dcgm-exporter, vLLM, kube-state-metrics) so the same PromQL works on the demo, in tests and in production.
 */
import type { Scenario, SeriesSpec } from './model'

const NODES = ['gpu-node-1', 'gpu-node-2', 'gpu-node-3']
const FB_TOTAL_MIB = 81_920 // an 80 GB A100/H100
const MODEL = 'llama-3-70b-instruct'

/** A smooth 0 -> 1 ramp between two minutes. */
export function ramp(t: number, from: number, to: number): number {
  if (t <= from) return 0
  if (t >= to) return 1
  return (t - from) / (to - from)
}

function wave(t: number, period = 37): number {
  return Math.sin((t / period) * 2 * Math.PI)
}

function gpuSeries(node: string, fbUsedShare: (t: number) => number, util: (t: number) => number): SeriesSpec[] {
  const labels = { Hostname: node, gpu: '0', modelName: 'NVIDIA H100 80GB HBM3', UUID: `GPU-${node}-0` }
  return [
    { metric: 'DCGM_FI_DEV_FB_USED', labels, kind: 'gauge', value: (t) => Math.round(FB_TOTAL_MIB * fbUsedShare(t)) },
    { metric: 'DCGM_FI_DEV_FB_FREE', labels, kind: 'gauge', value: (t) => FB_TOTAL_MIB - Math.round(FB_TOTAL_MIB * fbUsedShare(t)) },
    { metric: 'DCGM_FI_DEV_GPU_UTIL', labels, kind: 'gauge', value: util },
    { metric: 'DCGM_FI_DEV_GPU_TEMP', labels, kind: 'gauge', value: (t) => 62 + 8 * util(t) / 100 },
    { metric: 'DCGM_FI_DEV_XID_ERRORS', labels, kind: 'gauge', value: () => 0 },
  ]
}

function vllmSeries(node: string, kv: (t: number) => number, waiting: (t: number) => number, preemptionsPerSecond: (t: number) => number, lengthShare: (t: number) => number): SeriesSpec[] {
  const labels = { model_name: MODEL, instance: `${node}:8000`, pipeline: 'rag-chat' }
  const requestsPerSecond = 12
  return [
    { metric: 'vllm:kv_cache_usage_perc', labels, kind: 'gauge', value: kv },
    { metric: 'vllm:num_requests_waiting', labels, kind: 'gauge', value: waiting },
    { metric: 'vllm:num_requests_running', labels, kind: 'gauge', value: (t) => 24 + 4 * wave(t) },
    { metric: 'vllm:num_preemptions_total', labels, kind: 'counter', value: preemptionsPerSecond },
    { metric: 'vllm:request_success_total', labels: { ...labels, finished_reason: 'stop' }, kind: 'counter', value: (t) => requestsPerSecond * (1 - lengthShare(t)) },
    { metric: 'vllm:request_success_total', labels: { ...labels, finished_reason: 'length' }, kind: 'counter', value: (t) => requestsPerSecond * lengthShare(t) },
  ]
}

const healthyFb = (t: number) => 0.9 + 0.01 * wave(t)

/** A node serving normally; `lengthShare` is the share of completions stopped by max_tokens. */
function healthyNode(node: string, lengthShare: (t: number) => number = () => 0.015): SeriesSpec[] {
  return [...gpuSeries(node, healthyFb, (t) => 70 + 10 * wave(t)), ...vllmSeries(node, (t) => 0.55 + 0.05 * wave(t), () => 0, () => 0, lengthShare)]
}

export const BASELINE: Scenario = {
  id: 'baseline',
  title: 'Healthy baseline',
  description: 'Three GPU nodes serving rag-chat at steady load: vLLM reserves 90 % of GPU memory, KV cache around 0.55, no preemptions, 1.5 % of completions stop at max_tokens.',
  durationMinutes: 360,
  series: NODES.flatMap((node) => healthyNode(node)),
}

/** GPU OOM on one node under long prompts (seed 003): KV cache saturates, preemptions climb, the framebuffer fills. */
export const GPU_OOM: Scenario = {
  id: 'gpu-oom',
  title: 'GPU OOM on one node under long prompts',
  description: 'From minute 240, long RAG prompts reach gpu-node-2: its KV cache saturates, vLLM preempts requests, framebuffer use passes 97 % and requests queue; the other nodes stay healthy.',
  durationMinutes: 360,
  series: NODES.flatMap((node) =>
    node === 'gpu-node-2'
      ? [
          ...gpuSeries(node, (t) => 0.9 + 0.08 * ramp(t, 240, 270), (t) => 70 + 25 * ramp(t, 240, 260)),
          ...vllmSeries(node, (t) => 0.55 + 0.45 * ramp(t, 240, 255), (t) => 40 * ramp(t, 250, 280), (t) => 0.8 * ramp(t, 250, 265), () => 0.015),
        ]
      : healthyNode(node),
  ),
}

/** Token-budget exhaustion after a max_tokens change (seed 003): length-terminated share jumps from 1.5 % to 11 %. */
export const TOKEN_BUDGET: Scenario = {
  id: 'token-budget-exhaustion',
  title: 'Token-budget exhaustion after a max_tokens change',
  description: 'At minute 300 a deploy lowers max_tokens from 1024 to 256: the share of completions stopped by length goes from 1.5 % to 11 %, over the 5 % threshold; latency and GPUs look normal.',
  durationMinutes: 360,
  series: NODES.flatMap((node) => healthyNode(node, (t) => 0.015 + 0.095 * ramp(t, 300, 302))),
}

export const SCENARIOS: Scenario[] = [BASELINE, GPU_OOM, TOKEN_BUDGET]

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id)
}
