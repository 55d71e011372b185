/**
 * The demo's one story: three scenarios side by side on one GPU fleet, placed in wall-clock time relative to the
 * moment the demo database was first seeded (its "epoch"). The same placement feeds the demo MetricsSource (charts,
 * SLOs, fleet view) and the demo incidents (the scenarios' alerts through the real intake), so all of them agree:
 *
 * - rag-chat (llama-3-70b on gpu-node-1..3): GPU OOM on gpu-node-2 under long prompts, started 40 minutes before
 *   the epoch, being investigated;
 * - summarizer (mistral-7b on gpu-node-4): token-budget exhaustion after a max_tokens change, 15 minutes old;
 * - doc-qa (qwen2.5-32b on gpu-node-5..6): slow model loading during a rollout, a day before the epoch, resolved.
 */
import { gpuOom, RAG_CHAT, slowModelLoading, tokenBudgetExhaustion, type Placement } from '@/lib/telemetry/scenarios/library'
import type { Scenario } from '@/lib/telemetry/scenarios/model'

export const SUMMARIZER: Placement = { pipeline: 'summarizer', model: 'mistral-7b-instruct', namespace: 'inference', nodes: ['gpu-node-4'], gpusPerNode: 2, requestsPerSecond: 20 }
export const DOC_QA: Placement = { pipeline: 'doc-qa', model: 'qwen2.5-32b-instruct', namespace: 'inference', nodes: ['gpu-node-5', 'gpu-node-6'], gpusPerNode: 2, requestsPerSecond: 6 }

export interface PlacedScenario {
  scenario: Scenario
  /** wall-clock time of the scenario's minute 0 */
  startsAt: Date
  /** how the responders' side of the story goes: status, commander, notes */
  response: {
    status: 'triggered' | 'acknowledged' | 'investigating' | 'mitigated' | 'resolved'
    commander?: string
    /** minutes after the first alert */
    notes: { afterMinutes: number; body: string }[]
    /** minutes after the first alert when the incident was resolved */
    resolvedAfterMinutes?: number
  }
}

/** Minutes before the epoch at which each story's trouble began. */
const ONSET_BEFORE_EPOCH = { oom: 40, tokens: 15, loading: 26 * 60 }

export function demoStory(epoch: Date): PlacedScenario[] {
  const place = (scenario: Scenario, onsetMinutesBeforeEpoch: number) => new Date(epoch.getTime() - (scenario.onsetMinute! + onsetMinutesBeforeEpoch) * 60_000)
  const oom = gpuOom(RAG_CHAT)
  const tokens = tokenBudgetExhaustion(SUMMARIZER)
  const loading = slowModelLoading(DOC_QA)
  return [
    {
      scenario: oom,
      startsAt: place(oom, ONSET_BEFORE_EPOCH.oom),
      response: {
        status: 'investigating',
        commander: 'responder@firebreak.demo',
        notes: [
          { afterMinutes: 3, body: 'Only gpu-node-2 is affected: KV cache at 1.0 and preemptions climbing there, the other two nodes look normal.' },
          { afterMinutes: 8, body: 'Prompt tokens p99 jumped after the retriever started returning 20 chunks instead of 8. Looks like long prompts, not a leak.' },
        ],
      },
    },
    {
      scenario: tokens,
      startsAt: place(tokens, ONSET_BEFORE_EPOCH.tokens),
      response: { status: 'triggered', notes: [] },
    },
    {
      scenario: loading,
      startsAt: place(loading, ONSET_BEFORE_EPOCH.loading),
      response: {
        status: 'resolved',
        commander: 'editor@firebreak.demo',
        resolvedAfterMinutes: 70,
        notes: [
          { afterMinutes: 6, body: 'NFS export models-nfs:/models reads at its 1,250 MB/s ceiling; both new pods are still loading weights.' },
          { afterMinutes: 30, body: 'Startup probes restart the pods before loading finishes. Raised the startup probe budget to 45 minutes and paused the rollout to one pod at a time.' },
          { afterMinutes: 68, body: 'Both replicas serving again; gateway 503s stopped.' },
        ],
      },
    },
  ]
}

/** The setting that holds the epoch, so every start of the demo tells the same story the database remembers. */
export const DEMO_EPOCH_SETTING = 'demo.epoch'
