/**
 * Demo incidents, so the demo opens on a console that is alive: alert groups that went through the real intake path,
 * with the notes and status changes responders would have made. Each scenario is skipped when its alert group
 * already exists, so seeding again creates nothing twice.
 */
import { createHash } from 'node:crypto'
import { ingestAlertmanagerWebhook } from '@/lib/alerts/intake'
import { DEFAULT_ALERT_MAPPING } from '@/lib/alerts/mapping'
import type { AlertmanagerWebhook } from '@/lib/alerts/schemas'
import { timestampsForStatus } from '@/lib/incidents/transitions'
import type { PrismaClient } from '@/lib/generated/prisma/client'

interface Scenario {
  groupKey: string
  alertname: string
  severity: string
  pipeline: string
  models: string[]
  replicas: number
  startedMinutesAgo: number
  summary: string
  description: string
  runbook: string
  resolvedMinutesAgo?: number
  status: 'triggered' | 'acknowledged' | 'investigating' | 'mitigated' | 'resolved'
  commander?: string
  notes: string[]
}

const SCENARIOS: Scenario[] = [
  {
    groupKey: '{}/{severity="critical"}:{alertname="VLLMTimeToFirstTokenHigh", pipeline="rag-chat"}',
    alertname: 'VLLMTimeToFirstTokenHigh', severity: 'critical', pipeline: 'rag-chat', models: ['llama-3-70b-instruct'], replicas: 6,
    startedMinutesAgo: 38,
    summary: 'TTFT p95 above 2 s on {{replica}}',
    description: 'histogram_quantile(0.95, vllm:time_to_first_token_seconds) > 2 for 5m while decode time per token is normal',
    runbook: 'https://firebreak.example/runbooks/latency-saturation',
    status: 'investigating', commander: 'responder@firebreak.demo',
    notes: [
      'vllm:num_requests_waiting climbing on all six replicas; time per output token flat. Looks like prefill queueing, not OOM.',
      'Traffic shifted to long-context RAG prompts after the 02:40 deploy of the retriever (top_k 8 → 20).',
    ],
  },
  {
    groupKey: '{}/{severity="warning"}:{alertname="CompletionLengthTerminatedHigh", pipeline="summarizer"}',
    alertname: 'CompletionLengthTerminatedHigh', severity: 'error', pipeline: 'summarizer', models: ['mistral-7b-instruct'], replicas: 2,
    startedMinutesAgo: 12,
    summary: 'Share of completions stopped by length above 5 % on {{replica}}',
    description: 'finish_reason="length" share over 15 minutes is 11 % (threshold 5 %): outputs are being cut off',
    runbook: 'https://firebreak.example/runbooks/token-budget-exhaustion',
    status: 'triggered', notes: [],
  },
  {
    groupKey: '{}/{severity="critical"}:{alertname="InferenceContainerSilent", pipeline="embedder"}',
    alertname: 'InferenceContainerSilent', severity: 'critical', pipeline: 'embedder', models: ['bge-large-en'], replicas: 3,
    startedMinutesAgo: 95,
    summary: 'No output from {{replica}} for 10 minutes while requests are queued',
    description: 'Container restarts rising; last state OOMKilled. Memory limit 4 GiB below the model’s real footprint.',
    runbook: 'https://firebreak.example/runbooks/container-oom-killed',
    status: 'mitigated', commander: 'editor@firebreak.demo',
    notes: ['kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} on all three pods.', 'Raised the limit to 8 GiB; embedder answering again. Keeping the incident open to watch restarts.'],
  },
  {
    groupKey: '{}/{severity="warning"}:{alertname="DeadLetterQueueGrowing", pipeline="ingest"}',
    alertname: 'DeadLetterQueueGrowing', severity: 'warning', pipeline: 'ingest', models: ['layoutlm-v3'], replicas: 1,
    startedMinutesAgo: 26 * 60, resolvedMinutesAgo: 23 * 60,
    summary: 'Dead-letter depth growing on the document queue',
    description: 'DLQ depth rose from 0 to 4,200 in 30 minutes; in-flight flat; delivery count rising',
    runbook: 'https://firebreak.example/runbooks/queue-stall-dead-letters',
    status: 'resolved', commander: 'responder@firebreak.demo',
    notes: ['The OCR model was scheduled on a CPU-only node after a node pool change: misplacement, not a model fault.', 'Pinned the deployment to the GPU pool; DLQ drained by replay.'],
  },
]

function payloadFor(s: Scenario, status: 'firing' | 'resolved', now: Date): AlertmanagerWebhook {
  const startsAt = new Date(now.getTime() - s.startedMinutesAgo * 60_000).toISOString()
  return {
    version: '4', receiver: 'firebreak', status, groupKey: s.groupKey, truncatedAlerts: 0,
    groupLabels: { alertname: s.alertname }, commonLabels: { alertname: s.alertname, pipeline: s.pipeline }, commonAnnotations: {},
    alerts: Array.from({ length: s.replicas }, (_, i) => {
      const replica = `${s.pipeline}-${s.models[0]}-${i}`
      return {
        status,
        labels: { alertname: s.alertname, severity: s.severity, pipeline: s.pipeline, model: s.models[0], replica, instance: `gpu-node-${i + 1}:8000` },
        annotations: { summary: s.summary.replace('{{replica}}', replica), description: s.description, runbook_url: s.runbook },
        startsAt,
        endsAt: status === 'resolved' ? new Date(now.getTime() - (s.resolvedMinutesAgo ?? 0) * 60_000).toISOString() : undefined,
        generatorURL: `http://prometheus.demo:9090/graph?g0.expr=${encodeURIComponent(s.alertname)}`,
        fingerprint: createHash('sha256').update(`${s.groupKey}|${i}`).digest('hex').slice(0, 16),
      }
    }),
  }
}

export async function seedDemoIncidents(db: PrismaClient): Promise<number> {
  const now = new Date()
  let created = 0
  for (const s of SCENARIOS) {
    if (await db.incident.findFirst({ where: { groupKey: s.groupKey }, select: { id: true } })) continue
    const result = await ingestAlertmanagerWebhook(db, payloadFor(s, 'firing', now), DEFAULT_ALERT_MAPPING)
    if (!result.isNewIncident) continue
    created++
    if (s.resolvedMinutesAgo !== undefined) await ingestAlertmanagerWebhook(db, payloadFor(s, 'resolved', now), DEFAULT_ALERT_MAPPING)
    const commander = s.commander ? await db.user.findUnique({ where: { email: s.commander } }) : null
    const incident = await db.incident.findUniqueOrThrow({ where: { id: result.incidentId } })
    const at = (minutesAfterStart: number) => new Date(incident.startedAt.getTime() + minutesAfterStart * 60_000)
    const statusAt = s.resolvedMinutesAgo !== undefined ? new Date(now.getTime() - s.resolvedMinutesAgo * 60_000) : at(Math.min(20, s.startedMinutesAgo - 1))
    await db.incident.update({
      where: { id: incident.id },
      data: { status: s.status, commanderId: commander?.id ?? null, ...timestampsForStatus({ acknowledgedAt: null, mitigatedAt: null, resolvedAt: null }, s.status, statusAt), acknowledgedAt: s.status === 'triggered' ? null : at(4) },
    })
    // The demo's alerts "arrived" two minutes after they started, not at seed time.
    await db.incident.update({ where: { id: incident.id }, data: { detectedAt: at(2) } })
    await db.timelineEntry.updateMany({ where: { incidentId: incident.id, kind: { in: ['opened', 'alert.fired'] } }, data: { at: at(2) } })
    await db.timelineEntry.updateMany({ where: { incidentId: incident.id, kind: 'alert.resolved' }, data: { at: statusAt } })
    const entries = [
      ...(commander ? [{ at: at(4), kind: 'commander', body: `${commander.name} is now commander`, actorName: commander.name, actorId: commander.id }] : []),
      ...(s.status !== 'triggered' && commander ? [{ at: at(4), kind: 'status', body: `Status triggered → ${s.status}`, actorName: commander.name, actorId: commander.id }] : []),
      ...s.notes.map((body, i) => ({ at: at(6 + i * 5), kind: 'note', body, actorName: commander?.name ?? null, actorId: commander?.id ?? null })),
    ]
    if (entries.length) await db.timelineEntry.createMany({ data: entries.map((e) => ({ ...e, incidentId: incident.id })) })
  }
  return created
}
