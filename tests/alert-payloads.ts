import { createHash } from 'node:crypto'
import type { AlertmanagerWebhook } from '@/lib/alerts/schemas'

/**
 * A generated Alertmanager delivery (version 4 shape, as Alertmanager 0.25 sends it) for an LLM-serving alert group:
 * `count` alerts over replicas of one model, or a storm across many.
 */
export function alertGroup(options: {
  groupKey: string
  alertname?: string
  count: number
  status?: 'firing' | 'resolved'
  severity?: string
  pipeline?: string
  model?: string
  startsAt?: string
  truncatedAlerts?: number
}): AlertmanagerWebhook {
  const alertname = options.alertname ?? 'VLLMTimeToFirstTokenHigh'
  const status = options.status ?? 'firing'
  const startsAt = options.startsAt ?? '2026-11-22T03:00:00.000Z'
  const alerts = Array.from({ length: options.count }, (_, i) => ({
    status,
    labels: {
      alertname,
      severity: options.severity ?? 'critical',
      pipeline: options.pipeline ?? 'rag-chat',
      model: options.model ?? 'llama-3-70b-instruct',
      instance: `gpu-node-${Math.floor(i / 8)}:8000`,
      replica: `vllm-${i}`,
    },
    annotations: {
      summary: `${alertname} on replica vllm-${i}`,
      description: 'TTFT p95 over 2 s for 5 minutes while decode speed is normal',
      runbook_url: 'https://firebreak.example/runbooks/latency-saturation',
    },
    startsAt,
    endsAt: status === 'resolved' ? '2026-11-22T03:30:00.000Z' : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=vllm%3Atime_to_first_token_seconds',
    fingerprint: createHash('sha256').update(`${options.groupKey}|${alertname}|${i}`).digest('hex').slice(0, 16),
  }))
  return {
    version: '4',
    receiver: 'firebreak',
    status,
    groupKey: options.groupKey,
    truncatedAlerts: options.truncatedAlerts ?? 0,
    groupLabels: { alertname },
    commonLabels: { alertname, pipeline: options.pipeline ?? 'rag-chat' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
  }
}
