/**
 * The PromQL the demo must answer exactly as Prometheus does: prometheus-parity.int.test.ts runs every query here, and
 * every ```promql block of the shipped runbooks, against a real Prometheus and the demo evaluator holding the same
 * samples. A feature that sends new PromQL adds it to FIREBREAK_QUERIES.
 */
import fs from 'node:fs'
import path from 'node:path'
import { extractPromqlBlocks, parseRunbook } from '@/lib/runbooks/parse'

/** Queries Firebreak sends (SLOs, fleet view, panels) and ones that exercise each part of the evaluator. */
export const FIREBREAK_QUERIES: string[] = [
  // SLOs and fleet view
  'sum by (pipeline) (rate(http_requests_total{job="llm-gateway",code=~"5.."}[5m])) / sum by (pipeline) (rate(http_requests_total{job="llm-gateway"}[5m]))',
  'histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:time_to_first_token_seconds_bucket[5m])))',
  'sum(rate(vllm:request_success_total{finished_reason="length"}[15m])) / sum(rate(vllm:request_success_total[15m]))',
  'max by (Hostname) (DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE))',
  'kube_node_status_allocatable{resource="nvidia_com_gpu"} - on(node) group_left sum by (node) (kube_pod_container_resource_requests{resource="nvidia_com_gpu"})',
  'increase(kube_pod_container_status_restarts_total[1h])',
  'sum by (namespace, pod) (rate(vllm:generation_tokens_total[2m]))',
  'time() - timestamp(vllm:num_requests_running)',
  'sum by (pipeline, upstream) (rate(http_requests_total{code=~"5.."}[5m])) / ignoring (code) sum by (pipeline, upstream) (rate(http_requests_total[5m]))',
  'sum(rate(node_mountstats_nfs_total_read_bytes_total[5m])) / 1e6',
  'histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[10m])))',
  'histogram_quantile(0.5, rate(vllm:time_to_first_token_seconds_bucket[5m]))',
  // the rank falls in the +Inf bucket on the OOM node (about 3 % of its TTFTs are over 10 s); q at and past the ends
  'histogram_quantile(0.999, sum by (le, instance) (rate(vllm:time_to_first_token_seconds_bucket[5m])))',
  'histogram_quantile(0, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))',
  'histogram_quantile(1, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))',
  'histogram_quantile(1.5, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))',
  // selectors, offsets, staleness
  'vllm:num_requests_running',
  '{__name__=~"DCGM_FI_DEV_(FB_USED|FB_FREE)", Hostname="gpu-node-1", gpu!="1"}',
  'kube_pod_info{pod!~"rag-chat-7d9f6c-.*"}',
  'vllm:num_requests_waiting offset 30m',
  'rate(http_requests_total{code="503"}[5m] offset 1h)',
  'timestamp(vllm:num_requests_running offset 10m)',
  'count by (__name__) ({__name__=~"vllm:.*"})',
  // offset binds to the operand on its left, not to the whole binary expression (the lezer tree says otherwise)
  'DCGM_FI_DEV_FB_USED - DCGM_FI_DEV_FB_USED offset 1h',
  '-vllm:num_requests_waiting offset 5m',
  // comparisons, bool, set operators
  'DCGM_FI_DEV_GPU_UTIL > bool 80',
  'sum by (instance) (vllm:num_requests_waiting > bool 5)',
  'sum(rate(vllm:num_preemptions_total[5m])) > 0.1',
  '0.5 < vllm:kv_cache_usage_perc',
  'rate(vllm:num_preemptions_total[5m]) > 0.1 and on (instance) vllm:kv_cache_usage_perc > 0.9',
  'kube_pod_info unless on (namespace, pod) vllm:num_requests_running',
  'count(vllm:num_requests_running) or vector(0)',
  'DCGM_FI_DEV_GPU_UTIL > 80 or DCGM_FI_DEV_GPU_TEMP > 60',
  '2 > bool 1',
  '1 + 2 * 3 ^ 2 ^ 0.5 - -4 % 3',
  // the sign of a literal before ^ is a unary minus over the power (lezer reads it as part of the literal)
  '-2 ^ 2 + 2 ^ -2 ^ 2',
  // vector matching
  'kube_pod_container_status_last_terminated_reason * on (namespace, pod, container) group_left (node) kube_pod_container_resource_requests',
  'kube_pod_info * on (namespace, pod) group_right (node) vllm:num_requests_running',
  'vllm:num_requests_running / on (namespace, pod) vllm:num_requests_waiting',
  'DCGM_FI_DEV_FB_USED / ignoring (UUID) DCGM_FI_DEV_FB_FREE',
  // aggregations
  'topk(3, DCGM_FI_DEV_GPU_UTIL)',
  'bottomk(2, vllm:kv_cache_usage_perc)',
  'topk(1, rate(http_requests_total[5m]))',
  'quantile(0.9, vllm:kv_cache_usage_perc)',
  'avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL)',
  'count without (gpu, UUID) (DCGM_FI_DEV_GPU_TEMP)',
  'stddev(DCGM_FI_DEV_GPU_TEMP)',
  'stdvar by (Hostname) (DCGM_FI_DEV_GPU_UTIL)',
  'min(vllm:kv_cache_usage_perc)',
  'group by (node) (kube_pod_info)',
  // functions
  'label_replace(vllm:num_requests_running, "node", "$1", "instance", "(.*):\\\\d+")',
  'sum by (node) (label_replace(rate(vllm:num_preemptions_total[5m]), "node", "$1", "instance", "([^:]+):.*"))',
  'label_join(kube_node_status_allocatable, "id", "/", "node", "resource")',
  'absent(vllm:num_requests_running{pipeline="rag-chat"})',
  'absent_over_time(vllm:num_requests_running{pod="nope"}[5m])',
  'scalar(sum(kube_node_status_allocatable{resource="nvidia_com_gpu"}))',
  'vector(1)',
  'time()',
  'irate(http_requests_total[5m])',
  'delta(vllm:kv_cache_usage_perc[10m])',
  'idelta(kube_pod_container_status_restarts_total[5m])',
  'deriv(vllm:num_requests_waiting[10m])',
  'predict_linear(DCGM_FI_DEV_FB_USED[30m], 3600)',
  'changes(vllm:num_requests_waiting[30m])',
  'resets(kube_pod_container_status_restarts_total[1h])',
  'avg_over_time(vllm:kv_cache_usage_perc[10m])',
  'quantile_over_time(0.9, vllm:num_requests_waiting[15m])',
  'min_over_time(DCGM_FI_DEV_FB_FREE[5m])',
  'last_over_time(vllm:num_requests_running[10m])',
  'stddev_over_time(DCGM_FI_DEV_GPU_UTIL[30m])',
  'count_over_time(vllm:num_requests_running[1h])',
  'sum_over_time(vllm:num_requests_waiting[10m])',
  'present_over_time(vllm:num_requests_running[10m])',
  'clamp_max(rate(http_requests_total[5m]) * 100, 50)',
  'clamp(vllm:kv_cache_usage_perc, 0.56, 0.58)',
  'clamp_min(-vllm:num_requests_waiting, -3)',
  'round(vllm:kv_cache_usage_perc * 100, 0.5)',
  'abs(delta(DCGM_FI_DEV_GPU_UTIL[10m]))',
  'sort_desc(sum by (instance) (rate(vllm:generation_tokens_total[5m])))',
  'sort(vllm:kv_cache_usage_perc)',
  // subqueries
  'max_over_time(sum(rate(http_requests_total{code="503"}[5m]))[30m:1m])',
  'avg_over_time(sum by (Hostname) (DCGM_FI_DEV_GPU_UTIL)[1h:5m] offset 10m)',
  'max_over_time(sum(vllm:num_requests_waiting)[30m:])',
]

/**
 * Queries both must refuse (Prometheus with bad_data or an execution error, the demo with a MetricsSourceError). A
 * refusal is not compared further: Prometheus' wording differs.
 */
export const REFUSED_QUERIES: string[] = [
  // many-to-many: two GPUs per Hostname on the "one" side
  'DCGM_FI_DEV_GPU_UTIL / on (Hostname) DCGM_FI_DEV_GPU_TEMP',
  'DCGM_FI_DEV_GPU_UTIL - on (Hostname) group_left DCGM_FI_DEV_GPU_TEMP',
  // one-to-one with two matches on the left
  'DCGM_FI_DEV_GPU_UTIL - on (Hostname) label_replace(kube_node_status_allocatable, "Hostname", "$1", "node", "(.*)")',
  // the subquery binds to the right operand only, which makes the + a binary expression over a range vector
  'max_over_time(vllm:num_requests_waiting + vllm:num_requests_running[10m:1m])',
  // the same labels twice once rate() drops the names
  'rate({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting"}[5m])',
  'rate(vllm:num_preemptions_total)',
  'sum(rate(vllm:num_preemptions_total[5m])',
  '1 > 2',
  'vllm:num_requests_running and 1',
  '{foo=""}',
]

/**
 * Queries the demo cannot evaluate (it says "connect a Prometheus"), each with the reason. The parity test fails when
 * a runbook block is refused without being listed here, and when a listed one starts working: the list cannot grow or
 * go stale silently.
 */
export const KNOWN_UNSUPPORTED: { query: string; reason: string }[] = []

export interface RunbookQuery {
  /** "gpu-oom.md block 2" */
  where: string
  query: string
}

/** Every ```promql block of the shipped runbooks, extracted with the runbook parser itself. */
export function runbookQueries(dir = path.resolve(import.meta.dirname, '../../../runbooks')): RunbookQuery[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .sort()
    .flatMap((file) => {
      const parsed = parseRunbook(fs.readFileSync(path.join(dir, file), 'utf8'))
      if (!parsed.ok) throw new Error(`${file} does not parse: ${parsed.errors.join('; ')}`)
      return extractPromqlBlocks(parsed.body).map((query, i) => ({ where: `${file} block ${i + 1}`, query }))
    })
}
