import { describe, expect, it } from 'vitest'
import { ERROR_STATES, findFailureClass, PATHWAYS } from '@/lib/taxonomy'
import { DEFAULT_TRACE_CONFIG } from '@/lib/traces/config'
import { detectFindings } from '@/lib/traces/detectors'
import { spansFromOtlpJson } from '@/lib/traces/otlp-json'
import type { TraceSpan } from '@/lib/traces/model'
import { CONFUSABLE_PAIRS, EXTRA_SCENARIOS, findIncidentScenario, GPU_OOM_AFTER_EARLIER_OOM_KILL, HEALTHY_FLEET, INCIDENT_SCENARIOS } from './incidents'
import { BASELINE, GPU_OOM, SCENARIOS } from './library'
import { generateSeries, scenarioStart, type GeneratedSeries, type Scenario } from './model'
import { SCENARIO_TRACE_CONFIG, scenarioTraces, toOtlpJson } from './traces'

const end = new Date('2026-11-22T06:00:00Z')
const byId = (id: string): Scenario => {
  const scenario = findIncidentScenario(id)
  if (!scenario) throw new Error(`no scenario ${id}`)
  return scenario
}
const truth = (s: Scenario) => findFailureClass(s.failureClass!)!

describe('the incident scenarios', () => {
  it('have unique ids, also against the library, and a failure class of the taxonomy each', () => {
    const ids = INCIDENT_SCENARIOS.map((s) => s.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).not.toContain(BASELINE.id)
    for (const s of SCENARIOS) if (s.failureClass) expect(ids).toContain(s.id)
    for (const s of INCIDENT_SCENARIOS) expect(findFailureClass(s.failureClass ?? ''), s.id).toBeDefined()
  })

  it('cover every error state and every pathway', () => {
    expect(new Set(INCIDENT_SCENARIOS.map((s) => truth(s).errorState))).toEqual(new Set(ERROR_STATES))
    expect(new Set(INCIDENT_SCENARIOS.map((s) => truth(s).pathway))).toEqual(new Set(PATHWAYS))
  })

  it("cover the seeds' confusable pairs with two scenarios whose true answers differ", () => {
    const pairs: [string, string, 'id' | 'errorState' | 'pathway'][] = [
      ['slow-model-loading', 'container-oom-killed', 'errorState'],
      ['queue-consumers-oom-killed', 'queue-stall-dead-letters', 'errorState'],
      ['gpu-oom', 'container-oom-killed', 'id'],
      ['latency-saturation', 'throttling-capacity', 'id'],
      ['model-version-drift', 'input-distribution-shift', 'pathway'],
    ]
    for (const [a, b, differIn] of pairs) {
      expect(truth(byId(a))[differIn], `${a} vs ${b}`).not.toBe(truth(byId(b))[differIn])
      expect(CONFUSABLE_PAIRS.some((p) => p.a === a && p.b === b)).toBe(true)
    }
    expect(truth(byId('slow-model-loading')).errorState).toBe('loading')
    expect(truth(byId('container-oom-killed')).errorState).toBe('runtime')
    // seed 004: the queue stalled behind OOM kills is a runtime failure; the routing symptom is the consequence
    expect(truth(byId('queue-consumers-oom-killed'))).toMatchObject({ id: 'container-oom-killed', errorState: 'runtime' })
    expect(truth(byId('queue-stall-dead-letters'))).toMatchObject({ errorState: 'routing', pathway: 'integration' })
  })

  it('raise alerts inside the window, labelled for the webhook, each with a runbook of the taxonomy', () => {
    for (const s of INCIDENT_SCENARIOS) {
      expect(s.alerts.length, s.id).toBeGreaterThan(0)
      expect(s.onsetMinute, s.id).toBeGreaterThan(0)
      expect(s.onsetMinute!).toBeLessThan(s.durationMinutes)
      for (const a of s.alerts) {
        for (const label of ['pipeline', 'model', 'namespace', 'alertname', 'severity']) expect(a.labels[label], `${s.id} ${a.labels.alertname} ${label}`).toBeTruthy()
        expect(['critical', 'error', 'warning']).toContain(a.labels.severity)
        expect(a.annotations.summary && a.annotations.description, s.id).toBeTruthy()
        const runbook = /^\/runbooks\/([a-z-]+)$/.exec(a.annotations.runbook_url ?? '')
        expect(runbook && findFailureClass(runbook[1]), `${s.id} ${a.annotations.runbook_url}`).toBeTruthy()
        expect(a.startsAtMinute).toBeGreaterThanOrEqual(s.onsetMinute!)
        expect(a.startsAtMinute).toBeLessThan(s.durationMinutes)
      }
      expect(s.alerts.some((a) => a.annotations.runbook_url === `/runbooks/${s.failureClass}`), s.id).toBe(true)
      // the alerts name the pipeline whose gateway traffic and servers the series describe
      const pipelines = new Set(s.alerts.map((a) => a.labels.pipeline))
      expect(pipelines.size).toBe(1)
      const pipeline = [...pipelines][0]
      expect(s.series.some((x) => x.metric === 'http_requests_total' && x.labels.pipeline === pipeline), s.id).toBe(true)
      expect(s.series.some((x) => x.metric === 'vllm:num_requests_running' && x.labels.pipeline === pipeline), s.id).toBe(true)
    }
  })

  it('carry the category label on security alerts only', () => {
    const categorised = INCIDENT_SCENARIOS.filter((s) => s.alerts.some((a) => a.labels.category))
    expect(categorised.map((s) => s.id)).toEqual(['prompt-injection'])
    expect(byId('prompt-injection').alerts[0].labels.category).toBe('prompt-injection')
  })

  it('stay small enough to backfill: at most 200 series each, no two with the same labels', () => {
    for (const s of INCIDENT_SCENARIOS) {
      const generated = generateSeries(s, end)
      expect(generated.length, s.id).toBeLessThanOrEqual(200)
      const keys = generated.map((g) => `${g.metric}${JSON.stringify(Object.entries(g.labels).sort())}`)
      expect(new Set(keys).size, s.id).toBe(keys.length)
    }
  })
})

// ---- what the series say over the incident window, computed from the generated samples ----

interface Window {
  series: GeneratedSeries[]
  from: number
  to: number
}

function incidentWindow(scenario: Scenario): Window {
  const start = scenarioStart(scenario, end).getTime() / 1000
  return { series: generateSeries(scenario, end), from: start + scenario.onsetMinute! * 60, to: start + scenario.durationMinutes * 60 }
}

const select = (w: Window, metric: string, where: Record<string, string> = {}) =>
  w.series.filter((s) => s.metric === metric && Object.entries(where).every(([k, v]) => s.labels[k] === v))

/** the largest sample of any matching gauge in the window */
function peakGauge(w: Window, metric: string, where: Record<string, string> = {}): number {
  let peak = -Infinity
  for (const s of select(w, metric, where)) for (const [t, v] of s.points) if (t >= w.from && t <= w.to && v > peak) peak = v
  return peak
}

/** per timestamp in the window, f of the per-second rates (over 5 minutes) of the matching counters, summed by key */
function rates(w: Window, metric: string, keyOf: (labels: Record<string, string>) => string, where: Record<string, string> = {}): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>()
  for (const s of select(w, metric, where)) {
    const at = new Map(s.points)
    for (const [t, v] of s.points) {
      const before = at.get(t - 300)
      if (t < w.from || t > w.to || before === undefined) continue
      const row = out.get(t) ?? new Map<string, number>()
      row.set(keyOf(s.labels), (row.get(keyOf(s.labels)) ?? 0) + (v - before) / 300)
      out.set(t, row)
    }
  }
  return out
}

/** the peak over the window of the TTFT p95, interpolated in the histogram's buckets as histogram_quantile does */
function peakTtftP95(w: Window): number {
  let peak = 0
  for (const row of rates(w, 'vllm:time_to_first_token_seconds_bucket', (l) => l.le).values()) {
    const buckets = [...row.entries()].map(([le, count]) => ({ le: Number(le), count })).sort((a, b) => a.le - b.le)
    const total = buckets.at(-1)!.count
    if (total <= 0) continue
    const rank = 0.95 * total
    const i = buckets.findIndex((b) => b.count >= rank)
    const lower = i === 0 ? { le: 0, count: 0 } : buckets[i - 1]
    const p95 = buckets[i].le === Infinity ? lower.le : lower.le + ((buckets[i].le - lower.le) * (rank - lower.count)) / (buckets[i].count - lower.count)
    peak = Math.max(peak, p95)
  }
  return peak
}

/** the peak over the window of the share of gateway requests answered with `code` */
function peakCodeShare(w: Window, code: string): number {
  let peak = 0
  for (const row of rates(w, 'http_requests_total', (l) => l.code).values()) {
    const total = [...row.values()].reduce((a, b) => a + b, 0)
    if (total > 0) peak = Math.max(peak, (row.get(code) ?? 0) / total)
  }
  return peak
}

function peakLengthShare(w: Window): number {
  let peak = 0
  for (const row of rates(w, 'vllm:request_success_total', (l) => l.finished_reason).values()) {
    const total = (row.get('stop') ?? 0) + (row.get('length') ?? 0)
    if (total > 0) peak = Math.max(peak, (row.get('length') ?? 0) / total)
  }
  return peak
}

function peakFramebufferShare(w: Window): number {
  let peak = 0
  for (const used of select(w, 'DCGM_FI_DEV_FB_USED')) {
    const free = new Map(select(w, 'DCGM_FI_DEV_FB_FREE', { Hostname: used.labels.Hostname, gpu: used.labels.gpu })[0].points)
    for (const [t, v] of used.points) if (t >= w.from && t <= w.to) peak = Math.max(peak, v / (v + free.get(t)!))
  }
  return peak
}

/**
 * restarts in the window whose own termination had `reason`: the container's freshest last-terminated-reason sample at
 * the restart (kube-state-metrics keeps the last reason until the next termination, so an older OOMKilled says nothing
 * about a later restart)
 */
function restartsWithReason(w: Window, reason: string): number {
  let total = 0
  for (const s of select(w, 'kube_pod_container_status_restarts_total')) {
    const reasons = select(w, 'kube_pod_container_status_last_terminated_reason', { pod: s.labels.pod, container: s.labels.container })
    for (let i = 1; i < s.points.length; i++) {
      const [t, v] = s.points[i]
      const restarts = v - s.points[i - 1][1]
      if (t < w.from || t > w.to || restarts <= 0) continue
      const latest = reasons
        .map((r) => ({ reason: r.labels.reason, at: Math.max(-Infinity, ...r.points.filter(([at]) => at <= t).map(([at]) => at)) }))
        .sort((a, b) => b.at - a.at)[0]
      if (latest && latest.at > -Infinity && latest.reason === reason) total += restarts
    }
  }
  return total
}

/** the old reading: restarts of containers whose last terminated reason was `reason` at any point in the window */
function restartsWithReasonAnywhereInWindow(w: Window, reason: string): number {
  const pods = new Set(select(w, 'kube_pod_container_status_last_terminated_reason', { reason }).filter((s) => s.points.some(([t]) => t >= w.from && t <= w.to)).map((s) => s.labels.pod))
  return restartsIn(w, (pod) => pods.has(pod))
}

function restartsIn(w: Window, podFilter: (pod: string) => boolean = () => true): number {
  let total = 0
  for (const s of select(w, 'kube_pod_container_status_restarts_total')) {
    if (!podFilter(s.labels.pod)) continue
    const inWindow = s.points.filter(([t]) => t >= w.from - 60 && t <= w.to)
    if (inWindow.length > 1) total += inWindow.at(-1)![1] - inWindow[0][1]
  }
  return total
}

/** for each pod of the window, the longest silence (seconds) of its output after it first emitted, and before */
function silences(w: Window): { pod: string; beforeFirstOutput: number; afterServing: number }[] {
  return select(w, 'kube_pod_info').map((info) => {
    const pod = info.labels.pod
    const exists = info.points.filter(([t]) => t >= w.from - 600 && t <= w.to).map(([t]) => t)
    const output = select(w, 'vllm:num_requests_running', { pod })[0]?.points.map(([t]) => t).filter((t) => t >= w.from - 600 && t <= w.to) ?? []
    const firstOutput = output[0] ?? Infinity
    const beforeFirstOutput = exists.length && exists[0] < firstOutput ? Math.min(firstOutput, exists.at(-1)! + 60) - exists[0] : 0
    let afterServing = 0
    // a gap between two samples, or from the last sample to the pod's last minute
    for (let i = 1; i < output.length; i++) afterServing = Math.max(afterServing, output[i] - output[i - 1] - 60)
    if (output.length && exists.length) afterServing = Math.max(afterServing, exists.at(-1)! - output.at(-1)!)
    return { pod, beforeFirstOutput, afterServing }
  })
}

function dlqGrowth(w: Window, dlq: string): number {
  const points = select(w, 'rabbitmq_queue_messages_ready', { queue: dlq })[0]?.points.filter(([t]) => t >= w.from && t <= w.to) ?? []
  return points.length ? points.at(-1)![1] - points[0][1] : 0
}

function unackedValues(w: Window): Set<number> {
  return new Set(select(w, 'rabbitmq_queue_messages_unacked').flatMap((s) => s.points.filter(([t]) => t >= w.from && t <= w.to).map(([, v]) => v)))
}

function servedModelNames(w: Window): Set<string> {
  return new Set(select(w, 'vllm:num_requests_running').filter((s) => s.points.some(([t]) => t >= w.from && t <= w.to)).map((s) => s.labels.model_name))
}

describe('the series tell each pair apart', () => {
  const w = Object.fromEntries(INCIDENT_SCENARIOS.map((s) => [s.id, incidentWindow(s)]))

  it('loading vs runtime: silent before the first request vs silent after serving, restarted by the OOM killer', () => {
    const loading = silences(w['slow-model-loading'])
    const oom = silences(w['container-oom-killed'])
    // the new replicas of the slow rollout emit nothing for over an hour after they appear
    expect(Math.max(...loading.map((s) => s.beforeFirstOutput))).toBeGreaterThan(3600)
    // the OOM-killed ones appear, emit within a minute, then fall silent for 3 minutes at a time after serving
    expect(Math.max(...oom.map((s) => s.beforeFirstOutput))).toBeLessThan(120)
    const newPods = oom.filter((s) => s.pod.includes('4c1a7e'))
    expect(newPods).toHaveLength(2)
    for (const pod of newPods) expect(pod.afterServing).toBeGreaterThanOrEqual(180)
    expect(restartsWithReason(w['container-oom-killed'], 'OOMKilled')).toBeGreaterThanOrEqual(10)
    expect(restartsWithReason(w['slow-model-loading'], 'OOMKilled')).toBe(0)
  })

  it('GPU OOM vs host-memory OOM kill: framebuffer, KV cache, preemptions and the termination reason', () => {
    const gpu = w['gpu-oom']
    const host = w['container-oom-killed']
    expect(peakFramebufferShare(gpu)).toBeGreaterThan(0.95)
    expect(peakFramebufferShare(host)).toBeLessThan(0.8)
    expect(peakGauge(gpu, 'vllm:kv_cache_usage_perc')).toBeGreaterThanOrEqual(0.95)
    expect(peakGauge(host, 'vllm:kv_cache_usage_perc')).toBeLessThan(0.7)
    const preemptions = (x: Window) => Math.max(0, ...[...rates(x, 'vllm:num_preemptions_total', () => '').values()].map((r) => r.get('')!))
    expect(preemptions(gpu)).toBeGreaterThan(0.1)
    expect(preemptions(host)).toBe(0)
    // CUDA OOM exits with Error; the kernel's OOM killer leaves OOMKilled
    expect(restartsWithReason(gpu, 'OOMKilled')).toBe(0)
    expect(restartsWithReason(gpu, 'Error')).toBeGreaterThanOrEqual(1)
    expect(restartsWithReason(host, 'OOMKilled')).toBeGreaterThanOrEqual(1)
    // and the host side shows it: the working set reaches the memory limit
    const limit = peakGauge(host, 'kube_pod_container_resource_limits', { resource: 'memory' })
    expect(peakGauge(host, 'container_memory_working_set_bytes')).toBeGreaterThanOrEqual(limit * 0.99)
  })

  it('routing symptom with a runtime cause vs a pure queue stall: dead letters rise with in-flight flat in both, OOM kills in one', () => {
    for (const id of ['queue-consumers-oom-killed', 'queue-stall-dead-letters']) {
      expect(dlqGrowth(w[id], 'transcripts.dlq'), id).toBeGreaterThan(100)
      expect(unackedValues(w[id]).size, id).toBe(2) // 16 on the work queue, 0 on the DLQ, the whole window
    }
    expect(restartsWithReason(w['queue-consumers-oom-killed'], 'OOMKilled')).toBeGreaterThanOrEqual(10)
    expect(restartsIn(w['queue-stall-dead-letters'])).toBe(0)
    expect(select(w['queue-stall-dead-letters'], 'kube_pod_container_status_last_terminated_reason')).toHaveLength(0)
    expect(Math.max(...silences(w['queue-stall-dead-letters']).map((s) => s.afterServing))).toBe(0)
  })

  it('TTFT from prefill batching vs queueing: both over 2 s, only one with waiting requests and 429s', () => {
    const prefill = w['latency-saturation']
    const queueing = w['throttling-capacity']
    expect(peakTtftP95(prefill)).toBeGreaterThan(2)
    expect(peakTtftP95(queueing)).toBeGreaterThan(2)
    expect(peakGauge(prefill, 'vllm:num_requests_waiting')).toBeLessThanOrEqual(1)
    expect(peakGauge(queueing, 'vllm:num_requests_waiting')).toBeGreaterThan(10)
    expect(peakCodeShare(prefill, '429')).toBe(0)
    expect(peakCodeShare(queueing, '429')).toBeGreaterThan(0.01)
    expect(peakGauge(queueing, 'kube_horizontalpodautoscaler_status_current_replicas')).toBe(peakGauge(queueing, 'kube_horizontalpodautoscaler_spec_max_replicas'))
    // before the onset both were healthy: p95 near 1 s
    const before = (s: Scenario) => ({ ...w[s.id], from: w[s.id].from - 3600, to: w[s.id].from - 60 })
    expect(peakTtftP95(before(byId('latency-saturation')))).toBeLessThan(1.5)
  })

  it('drift vs a version change: two served model names in one, a drift alert and one version in the other', () => {
    expect(servedModelNames(w['model-version-drift'])).toEqual(new Set(['support-assistant-v14', 'support-assistant-v15']))
    expect(servedModelNames(w['input-distribution-shift'])).toEqual(new Set(['support-assistant-v14']))
    const driftAlert = (s: Scenario) => s.alerts.some((a) => ['InputDistributionDrift', 'DataDrift', 'FeatureDrift'].includes(a.labels.alertname))
    expect(driftAlert(byId('input-distribution-shift'))).toBe(true)
    expect(driftAlert(byId('model-version-drift'))).toBe(false)
    // the shared symptom: both fire the same quality alert
    for (const id of ['model-version-drift', 'input-distribution-shift']) expect(byId(id).alerts.map((a) => a.labels.alertname)).toContain('AnswerQualityDrop')
  })

  it('keeps each distinguishing signal to the scenarios it belongs to', () => {
    const where = (predicate: (x: Window) => boolean) => INCIDENT_SCENARIOS.filter((s) => predicate(w[s.id])).map((s) => s.id).sort()
    expect(where((x) => peakFramebufferShare(x) > 0.95)).toEqual(['gpu-oom'])
    expect(where((x) => peakGauge(x, 'DCGM_FI_DEV_XID_ERRORS') > 0)).toEqual(['accelerator-hardware-fault'])
    expect(where((x) => restartsWithReason(x, 'OOMKilled') > 0)).toEqual(['container-oom-killed', 'queue-consumers-oom-killed'])
    expect(where((x) => peakLengthShare(x) > 0.05)).toEqual(['token-budget-exhaustion'])
    expect(where((x) => peakCodeShare(x, '429') > 0.01)).toEqual(['throttling-capacity'])
    expect(where((x) => dlqGrowth(x, 'transcripts.dlq') > 0)).toEqual(['queue-consumers-oom-killed', 'queue-stall-dead-letters'])
    expect(where((x) => servedModelNames(x).size > 1)).toEqual(['model-version-drift'])
    expect(where((x) => peakTtftP95(x) > 2)).toEqual(['gpu-oom', 'latency-saturation', 'throttling-capacity'])
    // the OOM node of gpu-oom also queues: waiting requests are not a class of their own
    expect(where((x) => peakGauge(x, 'vllm:num_requests_waiting') > 10)).toEqual(['gpu-oom', 'throttling-capacity'])
  })

  it('leaves the library scenarios as they were', () => {
    const oom = generateSeries(GPU_OOM, end)
    expect(oom).toHaveLength(GPU_OOM.series.length)
    expect(new Set(oom.filter((s) => s.metric === 'vllm:num_requests_running').map((s) => s.labels.model_name))).toEqual(new Set(['llama-3-70b-instruct']))
    expect(peakGauge({ series: oom, from: 0, to: Infinity }, 'DCGM_FI_DEV_XID_ERRORS')).toBe(0)
  })
})

describe('the healthy fleet and the regressions (not one-per-class scenarios)', () => {
  const healthy = incidentWindow(HEALTHY_FLEET)
  // the wizard's window starts 15 minutes before the first alert
  const wide = { ...healthy, from: healthy.from - 15 * 60 }

  it('are kept out of INCIDENT_SCENARIOS, small, with unique series and the alerts the webhook needs', () => {
    for (const s of EXTRA_SCENARIOS) {
      expect(INCIDENT_SCENARIOS.map((x) => x.id)).not.toContain(s.id)
      const generated = generateSeries(s, end)
      expect(generated.length, s.id).toBeLessThanOrEqual(200)
      expect(new Set(generated.map((g) => `${g.metric}${JSON.stringify(Object.entries(g.labels).sort())}`)).size, s.id).toBe(generated.length)
      for (const a of s.alerts) for (const label of ['pipeline', 'model', 'namespace', 'alertname', 'severity']) expect(a.labels[label], `${s.id} ${label}`).toBeTruthy()
    }
    expect(HEALTHY_FLEET.failureClass).toBeUndefined()
  })

  it('healthy: vLLM at 95 % of GPU memory with no KV-cache pressure, a generator and a judge, pods without vLLM metrics', () => {
    expect(peakFramebufferShare(wide)).toBeGreaterThan(0.95)
    expect(peakGauge(wide, 'vllm:kv_cache_usage_perc')).toBeLessThan(0.7)
    expect(Math.max(0, ...[...rates(wide, 'vllm:num_preemptions_total', () => '').values()].map((r) => r.get('')!))).toBe(0)
    expect(servedModelNames(wide)).toEqual(new Set(['llama-3.1-70b-instruct', 'prometheus-7b-v2.0']))
    const withoutVllm = select(wide, 'kube_pod_info').filter((p) => select(wide, 'vllm:num_requests_running', { pod: p.labels.pod }).length === 0)
    expect(withoutVllm.map((p) => p.labels.created_by_kind).sort()).toEqual(['Job', 'ReplicaSet'])
    for (const p of withoutVllm) expect(select(wide, 'kube_pod_container_resource_requests', { pod: p.labels.pod, resource: 'nvidia_com_gpu' })).toHaveLength(0)
  })

  it('healthy: an old application XID, a trickle of dead letters on an idle queue, a cold start with no errors', () => {
    const xid = select(wide, 'DCGM_FI_DEV_XID_ERRORS').filter((s) => s.points.some(([, v]) => v > 0))
    expect(xid.map((s) => Math.max(...s.points.map(([, v]) => v))).sort()).toEqual([13, 31])
    // the XID 13 was reported long before the window and never changed in it
    const old = xid.find((s) => s.points.some(([, v]) => v === 13))!
    expect(old.points.filter(([t]) => t >= wide.from).every(([, v]) => v === 13)).toBe(true)
    expect(dlqGrowth(wide, 'grounded-qa.dlq')).toBeGreaterThan(0)
    expect(dlqGrowth(wide, 'grounded-qa.dlq')).toBeLessThan(10)
    expect(Math.min(...select(wide, 'rabbitmq_queue_messages_unacked', { queue: 'grounded-qa' })[0].points.filter(([t]) => t >= wide.from).map(([, v]) => v))).toBe(0)
    const cold = silences(wide).find((s) => s.pod.startsWith('grounded-qa-3f6a9d'))!
    expect(cold.beforeFirstOutput).toBeGreaterThanOrEqual(240)
    expect(cold.beforeFirstOutput).toBeLessThanOrEqual(360)
    expect(peakCodeShare(wide, '503')).toBeLessThan(0.01)
    expect(restartsIn(wide)).toBe(0)
  })

  it('H2: a CUDA OOM (Error) after an older kernel OOM kill is not an OOM-killed restart', () => {
    const w = incidentWindow(GPU_OOM_AFTER_EARLIER_OOM_KILL)
    const window = { ...w, from: w.from + 20 * 60 - 15 * 60 }
    expect(restartsWithReason(window, 'OOMKilled')).toBe(0)
    expect(restartsWithReason(window, 'Error')).toBe(3)
    // what the window-wide reading counted
    expect(restartsWithReasonAnywhereInWindow(window, 'OOMKilled')).toBeGreaterThan(0)
    expect(peakGauge(window, 'vllm:kv_cache_usage_perc')).toBeGreaterThanOrEqual(0.95)
  })
})

// ---- traces ----

/** The detectors each scenario's traces must trigger: the evidence of its true answer, and nothing of its partner's. */
const EXPECTED_DETECTORS: Record<string, string[]> = {
  'token-budget-exhaustion': ['token-budget'],
  'model-version-drift': ['model-version'],
  misrouting: ['misrouting'],
}

describe('scenario traces', () => {
  it('are 2 to 5 per scenario, inside the incident window, with ids that are deterministic and unique', () => {
    const ids = new Set<string>()
    for (const s of INCIDENT_SCENARIOS) {
      const traces = scenarioTraces(s, end)
      expect(traces.length, s.id).toBeGreaterThanOrEqual(2)
      expect(traces.length, s.id).toBeLessThanOrEqual(5)
      const onsetUs = (scenarioStart(s, end).getTime() + s.onsetMinute! * 60_000) * 1000
      for (const t of traces) {
        expect(ids.has(t.traceId)).toBe(false)
        ids.add(t.traceId)
        expect(t.traceId).toMatch(/^[0-9a-f]{32}$/)
        for (const span of t.spans) {
          expect(span.traceId).toBe(t.traceId)
          expect(span.spanId).toMatch(/^[0-9a-f]{16}$/)
          expect(span.startUs).toBeGreaterThan(onsetUs)
          expect(span.startUs + span.durationUs).toBeLessThan(end.getTime() * 1000)
        }
        // one root, every parent in the trace, the pipeline on the root for the wizard's search
        const spanIds = new Set(t.spans.map((x) => x.spanId))
        const roots = t.spans.filter((x) => x.parentSpanId === null)
        expect(roots).toHaveLength(1)
        expect(t.spans.every((x) => x.parentSpanId === null || spanIds.has(x.parentSpanId))).toBe(true)
        expect(roots[0].attributes.pipeline).toBe(s.alerts[0].labels.pipeline)
      }
      expect(scenarioTraces(s, end)).toEqual(traces)
    }
  })

  it.each(INCIDENT_SCENARIOS.map((s) => ({ id: s.id, scenario: s })))('trigger exactly the detectors $id relies on', ({ id, scenario }) => {
    const findings = scenarioTraces(scenario, end).flatMap((t) => detectFindings(t, SCENARIO_TRACE_CONFIG))
    expect([...new Set(findings.map((f) => f.detector))].sort()).toEqual(EXPECTED_DETECTORS[id] ?? [])
    for (const f of findings) expect(f.failureClass).toBe(scenario.failureClass)
  })

  it('show the version skew and the misrouting in some requests, not all, and need the routing rules for the latter', () => {
    const perTrace = (id: string, detector: string) => scenarioTraces(byId(id), end).map((t) => detectFindings(t, SCENARIO_TRACE_CONFIG).filter((f) => f.detector === detector).length)
    expect(perTrace('model-version-drift', 'model-version')).toEqual([1, 1, 0])
    expect(perTrace('misrouting', 'misrouting')).toEqual([1, 1, 0, 0])
    const defaults = scenarioTraces(byId('misrouting'), end).flatMap((t) => detectFindings(t, DEFAULT_TRACE_CONFIG))
    expect(defaults).toEqual([])
  })

  it('give traces for a scenario without a recipe from its alerts, healthy', () => {
    const traces = scenarioTraces({ ...BASELINE, id: 'unknown', alerts: GPU_OOM.alerts }, end)
    expect(traces.length).toBeGreaterThanOrEqual(2)
    expect(traces.flatMap((t) => detectFindings(t, SCENARIO_TRACE_CONFIG))).toEqual([])
  })

  it('round-trip through OTLP/JSON as the receiver parses it', () => {
    const traces = INCIDENT_SCENARIOS.flatMap((s) => scenarioTraces(s, end))
    // through JSON text, as it goes over the wire
    const payload = JSON.parse(JSON.stringify(toOtlpJson(traces))) as { resourceSpans: { scopeSpans: { spans: { startTimeUnixNano: unknown; attributes: { value: Record<string, unknown> }[] }[] }[] }[] }
    const sample = payload.resourceSpans[0].scopeSpans[0].spans[0]
    expect(typeof sample.startTimeUnixNano).toBe('string')
    expect(sample.attributes.every((kv) => Object.keys(kv.value).length <= 1)).toBe(true)
    const parsed = spansFromOtlpJson(payload)
    const sort = (spans: TraceSpan[]) => [...spans].sort((a, b) => a.spanId.localeCompare(b.spanId))
    expect(sort(parsed)).toEqual(sort(traces.flatMap((t) => t.spans)))
  })

  it('encode each attribute type as OTLP does', () => {
    const [trace] = scenarioTraces(byId('token-budget-exhaustion'), end)
    const payload = toOtlpJson([trace]) as { resourceSpans: { resource: { attributes: { key: string }[] }; scopeSpans: { scope: unknown; spans: Record<string, unknown>[] }[] }[] }
    const generator = payload.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).find((s) => s.name === 'chat llama-3-70b-instruct')!
    const attribute = (key: string) => (generator.attributes as { key: string; value: unknown }[]).find((a) => a.key === key)!.value
    expect(attribute('gen_ai.request.max_tokens')).toEqual({ intValue: '256' })
    expect(attribute('gen_ai.request.temperature')).toEqual({ doubleValue: 0.2 })
    expect(attribute('gen_ai.request.model')).toEqual({ stringValue: 'llama-3-70b-instruct' })
    expect(attribute('gen_ai.response.finish_reasons')).toEqual({ arrayValue: { values: [{ stringValue: 'length' }] } })
    expect(generator.kind).toBe(3) // SPAN_KIND_CLIENT
    expect(generator.status).toEqual({ code: 0 })
    // 3.2 s in nanoseconds, computed exactly
    expect(BigInt(generator.endTimeUnixNano as string) - BigInt(generator.startTimeUnixNano as string)).toBe(3_200_000_000n)
    const services = payload.resourceSpans.map((r) => r.resource.attributes.find((a) => a.key === 'service.name'))
    expect(services.every(Boolean)).toBe(true)
  })
})
