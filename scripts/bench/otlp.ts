/**
 * OTLP trace intake: spans stored per second while 4 OpenTelemetry SDK exporters (OTLPTraceExporter, protobuf) send
 * 512-span batches (the BatchSpanProcessor's default) back to back, each waiting for its answer. The spans are
 * multi-model pipeline traces (8 spans, 6 services, GenAI attributes) made with the SDK before the clock starts.
 * A 200 means stored (the receiver writes synchronously), so the clock stops at the last answer; then the database
 * is counted: every span sent must be there once, and the trace summaries must count each once.
 *
 * Two ways to run it:
 *   npm run bench -- otlp        against the app (`next start`, production build) on a fresh embedded PostgreSQL
 *   npx tsx scripts/bench/otlp.ts
 *                                no build needed: a fresh embedded PostgreSQL and the receiver (handleOtlpTraces,
 *                                the route's own code and pg pool) on a node:http server in a child process, so the
 *                                exporters and the receiver each have a process, as they would in production
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { createPrismaClient } from '@/lib/db/client'
import { startEmbeddedPostgres } from '@/lib/db/embedded-postgres'
import { AppError } from '@/lib/errors'
import { getOtlpLimits } from '@/lib/traces/otlp/config'
import { serveFetchHandler } from '@/lib/traces/otlp/http-server'
import { createOtlpPool } from '@/lib/traces/otlp/pool'
import { handleOtlpTraces } from '@/lib/traces/otlp/receiver'
import { hashToken } from '@/lib/tokens/hash'
import { applyMigrations } from '../lib/migrate'
import type { Db } from './app'
import { ms, note, percentile, progress, report, section } from './report'

export const OTLP_TOKEN = 'fbk_otlp_benchmark-token-not-secret'
const EXPORTERS = 4
const BATCH = 512
const TRACES = 20_000 // 160,000 spans
const SPANS_PER_TRACE = 8

export interface OtlpContext {
  url: string
  db: Db
  /** what answers /v1/traces, for the report */
  receiver: string
}

/** Pipeline traces as the SDK records them, grouped by service (each service exports its own spans). */
function recordPipelines(count: number): ReadableSpan[][] {
  const services = ['rag-gateway', 'embedder', 'retriever', 'vllm-generator', 'judge', 'post-processor']
  const recorders = new Map(
    services.map((service) => {
      const memory = new InMemorySpanExporter()
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service, 'service.version': '2.3.1', 'k8s.namespace.name': 'inference', 'k8s.pod.name': `${service}-7d9f8-abcde`, 'host.name': 'gpu-node-7', pipeline: 'rag-chat' }),
        spanProcessors: [new SimpleSpanProcessor(memory)],
      })
      return [service, { memory, tracer: provider.getTracer('firebreak-bench', '1.0.0') }]
    }),
  )
  const tracer = (service: string) => recorders.get(service)!.tracer
  const base = Date.now() - 60_000
  for (let i = 0; i < count; i++) {
    const t = base + (i % 60_000)
    const root = tracer('rag-gateway').startSpan('POST /v1/chat', { kind: SpanKind.SERVER, startTime: t, attributes: { 'http.request.method': 'POST', 'http.route': '/v1/chat', 'pipeline.stage': 'gateway' } })
    const parent = trace.setSpan(context.active(), root)
    const stage = (service: string, name: string, start: number, end: number, attributes: Record<string, string | number | string[]>) => {
      const span = tracer(service).startSpan(name, { kind: SpanKind.CLIENT, startTime: t + start, attributes }, parent)
      span.end(t + end)
    }
    stage('rag-gateway', 'route', 1, 3, { 'pipeline.stage': 'router', 'routing.decision': 'llama-3-70b-instruct' })
    stage('embedder', 'embeddings bge-large-en-v1.5', 3, 12, { 'pipeline.stage': 'embedder', 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'bge-large-en-v1.5', 'gen_ai.usage.input_tokens': 42 })
    stage('retriever', 'retrieve', 12, 40, { 'pipeline.stage': 'retriever', 'db.system.name': 'qdrant', 'retrieval.documents.count': 5 })
    const chat = (model: string, finish: string) => ({
      'pipeline.stage': 'generator',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'vllm',
      'gen_ai.request.model': model,
      'gen_ai.request.max_tokens': 1024,
      'gen_ai.request.temperature': 0.7,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.usage.input_tokens': 3900 + (i % 100),
      'gen_ai.usage.output_tokens': 200 + (i % 300),
      'gen_ai.response.finish_reasons': [finish],
    })
    stage('vllm-generator', 'chat llama-3-70b-instruct', 40, 900, chat('llama-3-70b-instruct', i % 10 === 0 ? 'length' : 'stop'))
    stage('vllm-generator', 'chat mistral-7b-instruct', 900, 1300, chat('mistral-7b-instruct', 'stop'))
    stage('judge', 'chat gpt-4o-mini', 1300, 1500, { 'pipeline.stage': 'judge', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 800, 'gen_ai.usage.output_tokens': 12, 'gen_ai.response.finish_reasons': ['stop'] })
    stage('post-processor', 'post-process', 1500, 1510, { 'pipeline.stage': 'post-processing' })
    root.setStatus({ code: i % 25 === 0 ? SpanStatusCode.ERROR : SpanStatusCode.OK })
    root.end(t + 1520)
  }
  const batches: ReadableSpan[][] = []
  for (const { memory } of recorders.values()) {
    const spans = memory.getFinishedSpans()
    for (let i = 0; i < spans.length; i += BATCH) batches.push(spans.slice(i, i + BATCH))
  }
  // interleave the services' batches, as concurrent services would send them
  return batches.sort((a, b) => a[0].startTime[0] - b[0].startTime[0] || a[0].startTime[1] - b[0].startTime[1])
}

function exportOnce(exporter: OTLPTraceExporter, spans: ReadableSpan[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans, resolve))
}

export async function otlp({ url, db, receiver }: OtlpContext) {
  section(`OTLP trace intake: 4 SDK exporters (protobuf) into ${receiver}, embedded PostgreSQL`)
  await db.ingestToken.upsert({ where: { tokenHash: hashToken(OTLP_TOKEN) }, update: {}, create: { name: 'bench otlp', kind: 'otlp', tokenHash: hashToken(OTLP_TOKEN), prefix: OTLP_TOKEN.slice(0, 16) } })
  let t = performance.now()
  const batches = recordPipelines(TRACES)
  const sent = batches.reduce((n, b) => n + b.length, 0)
  const traceIds = [...new Set(batches.flatMap((b) => b.map((s) => s.spanContext().traceId)))]
  progress(`recorded ${sent} spans in ${batches.length} batches with the SDK in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  const exporters = Array.from({ length: EXPORTERS }, () => new OTLPTraceExporter({ url: `${url}/v1/traces`, headers: { Authorization: `Bearer ${OTLP_TOKEN}` }, timeoutMillis: 60_000 }))

  // warm-up: opens the pools, compiles the hot paths; these spans are not counted
  const warm = recordPipelines(200)
  for (const [i, batch] of warm.entries()) {
    const result = await exportOnce(exporters[i % EXPORTERS], batch)
    if (result.code !== 0) throw new Error(`warm-up export failed: ${result.error?.message}`)
  }

  const latencies: number[] = []
  let failed = 0
  let next = 0
  t = performance.now()
  await Promise.all(
    exporters.map(async (exporter) => {
      while (next < batches.length) {
        const batch = batches[next++]
        const started = performance.now()
        const result = await exportOnce(exporter, batch)
        latencies.push(performance.now() - started)
        if (result.code !== 0) {
          failed++
          progress(`export failed: ${result.error?.message}`)
        }
      }
    }),
  )
  const seconds = (performance.now() - t) / 1000
  await Promise.all(exporters.map((e) => e.shutdown()))

  const [{ stored }] = await db.$queryRaw<{ stored: number }[]>`SELECT count(*)::int AS stored FROM spans WHERE "traceId" = ANY(${traceIds}::text[])`
  const [{ counted }] = await db.$queryRaw<{ counted: number }[]>`SELECT coalesce(sum("spanCount"), 0)::int AS counted FROM traces WHERE "traceId" = ANY(${traceIds}::text[])`
  report('spans stored per second', `${Math.round(sent / seconds).toLocaleString('en-US')} spans/s`, '>= 10,000 spans/s', `${sent.toLocaleString('en-US')} spans (${TRACES.toLocaleString('en-US')} pipeline traces) in ${batches.length} exports of up to ${BATCH}, ${EXPORTERS} exporters back to back`)
  report('  export latency p50', ms(percentile(latencies, 50)))
  report('  export latency p95', ms(percentile(latencies, 95)), undefined, 'from OTLPTraceExporter.export() to its callback: serialize, send, decode, store, answer')
  report('failed exports', String(failed), '0')
  report('spans lost', String(sent - stored), '0', 'spans sent minus span rows for those traces')
  report('spans duplicated', String(Math.max(0, counted - stored)), '0', "trace summaries' span counts minus span rows (a retry counted twice would show here)")
  note(`${os.cpus().length} CPUs; PostgreSQL, the receiver and the exporters share them`)
  return { spansPerSecond: sent / seconds, p95: percentile(latencies, 95), lost: sent - stored, duplicated: Math.max(0, counted - stored), failed }
}

/** The receiver alone on node:http: what app/v1/traces/route.ts runs, with the token checked against ingest_tokens. */
async function serveReceiver() {
  const databaseUrl = process.env.DATABASE_URL!
  const db = createPrismaClient(databaseUrl)
  const pool = createOtlpPool(databaseUrl, getOtlpLimits().maxConcurrentWrites + 1)
  const authenticate = async (authorization: string | null) => {
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
    const row = token ? await db.ingestToken.findUnique({ where: { tokenHash: hashToken(token) } }) : null
    if (!row || row.kind !== 'otlp' || row.revokedAt) throw new AppError('unauthenticated', 'not a valid otlp token')
  }
  const server = await serveFetchHandler((request) => handleOtlpTraces(request, { db: pool, authenticate }))
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`)
  const stop = async () => {
    await server.close()
    await pool.end()
    await db.$disconnect()
    process.exit(0)
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

async function startReceiverProcess(databaseUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const tsx = path.resolve(import.meta.dirname, '../../node_modules/tsx/dist/cli.mjs')
  const child: ChildProcess = spawn(process.execPath, [tsx, import.meta.filename, '--serve'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line).url))
    child.once('exit', (code) => reject(new Error(`the receiver exited (${code})`)))
  })
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

async function standalone() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-otlp-'))
  const database = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), database: 'firebreak' })
  let receiver: { url: string; stop(): Promise<void> } | undefined
  const db = createPrismaClient(database.url)
  const cleanUp = async () => {
    await receiver?.stop().catch(() => undefined)
    await db.$disconnect().catch(() => undefined)
    await database.stop().catch(() => undefined)
    fs.rmSync(dir, { recursive: true, force: true })
  }
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)))
  try {
    await applyMigrations(database.url, { quiet: true })
    receiver = await startReceiverProcess(database.url)
    await otlp({ url: receiver.url, db, receiver: 'the receiver on node:http (handleOtlpTraces, own process)' })
  } finally {
    await cleanUp()
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const run = process.argv.includes('--serve') ? serveReceiver() : standalone()
  run.catch((error) => {
    process.stderr.write(`otlp benchmark failed: ${error instanceof Error ? error.stack : error}\n`)
    process.exitCode = 1
  })
}
