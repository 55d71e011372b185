/**
 * The trace waterfall in Chromium, for generated traces of 1,000, 10,000 and 100,000 spans sent to the OTLP receiver
 * (POST /v1/traces, OTLP/JSON, an ingest token of kind "otlp"):
 *   visible   navigation start until the first rows are painted (cold: the server reads the trace from PostgreSQL;
 *             warm: its opened-trace cache answers), with the trace API's share from Resource Timing
 *   expand    click on a collapsed subtree's toggle until its rows are painted, and collapse back
 *   expand all, and a scroll to the middle of the trace, for the biggest one
 *   heap      JavaScript heap used after a forced garbage collection (CDP), with the trace shown
 */
import { randomBytes } from 'node:crypto'
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { hashToken } from '@/lib/tokens/hash'
import type { Db } from './app'
import { ms, note, percentile, progress, report, section } from './report'

export const OTLP_TOKEN = 'fbk_otlp_benchmark-token-not-secret'
const SIZES = [1_000, 10_000, 100_000]
const SHARDS = 20
const WARM_RUNS = 3
const SPANS_PER_EXPORT = 5_000

// ---------------------------------------------------------------------------------------------------------------
// A generated trace: a batch evaluation run fanning out to 20 worker shards, each running RAG pipeline requests
// (router → embedder → retriever with document fetches → generator with decode chunks → judge → post-processing).

interface GenSpan {
  spanId: string
  parentSpanId: string
  name: string
  service: string
  startUs: number
  endUs: number
  isError: boolean
  attributes: Record<string, string | number | string[]>
}

export interface GeneratedTrace {
  traceId: string
  spans: GenSpan[]
  /** the first shard: the subtree the benchmark opens and closes */
  shard: { spanId: string; firstChildId: string; descendants: number }
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

export function generateTrace(total: number, startMs = Date.now() - 120_000): GeneratedTrace {
  const traceId = hex(16)
  const prefix = hex(4)
  let counter = 0
  const nextId = () => prefix + (++counter).toString(16).padStart(8, '0')
  const t0 = startMs * 1_000
  const traceUs = 60_000_000
  const spans: GenSpan[] = []
  const push = (s: Omit<GenSpan, 'spanId'>) => {
    const span = { spanId: nextId(), ...s }
    spans.push(span)
    return span
  }
  const root = push({ parentSpanId: '', name: 'POST /batch/eval', service: 'rag-gateway', startUs: t0, endUs: t0 + traceUs, isError: false, attributes: { pipeline: 'rag-chat', 'http.request.method': 'POST' } })
  const perShard = Math.floor((total - 1 - SHARDS) / SHARDS)
  let extra = total - 1 - SHARDS - perShard * SHARDS
  let firstShard: GeneratedTrace['shard'] | undefined
  for (let s = 0; s < SHARDS; s++) {
    const quota = perShard + (extra-- > 0 ? 1 : 0)
    const shard = push({ parentSpanId: root.spanId, name: `shard ${s}`, service: 'batch-worker', startUs: t0 + 1_000 + s * 500, endUs: t0 + traceUs - 1_000, isError: false, attributes: { 'shard.index': s } })
    const firstChild = spans.length
    let left = quota
    const requests = Math.max(1, Math.ceil(quota / 45))
    const slot = (traceUs - 4_000) / requests
    for (let r = 0; left > 0; r++) left -= request(shard.spanId, Math.round(shard.startUs + 1_000 + r * slot), slot * 0.9, left, r)
    if (s === 0) firstShard = { spanId: shard.spanId, firstChildId: spans[firstChild]?.spanId ?? '', descendants: quota }
  }
  return { traceId, spans, shard: firstShard! }

  /** one pipeline request of up to 45 spans, cut to `budget`; returns how many it emitted */
  function request(parentSpanId: string, start: number, duration: number, budget: number, r: number): number {
    const before = spans.length
    const at = (share: number) => start + Math.round(duration * share)
    const emit = (s: Omit<GenSpan, 'spanId'>) => (spans.length - before < budget ? push(s) : null)
    const isError = r % 97 === 13
    const req = emit({ parentSpanId, name: 'POST /chat', service: 'rag-router', startUs: at(0), endUs: at(1), isError, attributes: { 'pipeline.stage': 'router', 'routing.decision': 'generator:llama-3-70b-instruct', 'request.class': r % 3 ? 'short' : 'long-form' } })
    if (!req) return spans.length - before
    emit({ parentSpanId: req.spanId, name: 'embeddings bge-large-en', service: 'embedder', startUs: at(0.01), endUs: at(0.05), isError: false, attributes: { 'pipeline.stage': 'embedder', 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'bge-large-en', 'gen_ai.usage.input_tokens': 42 } })
    const retrieve = emit({ parentSpanId: req.spanId, name: 'retrieve top_k=8', service: 'retriever', startUs: at(0.06), endUs: at(0.2), isError: false, attributes: { 'pipeline.stage': 'retriever', 'retrieval.documents.count': 8 } })
    for (let d = 0; retrieve && d < 8; d++) emit({ parentSpanId: retrieve.spanId, name: `fetch doc ${d}`, service: 'retriever', startUs: at(0.07 + d * 0.015), endUs: at(0.08 + d * 0.015), isError: false, attributes: {} })
    const generate = emit({
      parentSpanId: req.spanId,
      name: 'chat llama-3-70b-instruct',
      service: 'generator',
      startUs: at(0.21),
      endUs: at(0.85),
      isError,
      attributes: {
        'pipeline.stage': 'generator',
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'llama-3-70b-instruct',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.max_tokens': 512,
        'gen_ai.usage.input_tokens': 3_100,
        'gen_ai.usage.output_tokens': isError ? 512 : 180,
        'gen_ai.response.finish_reasons': [isError ? 'length' : 'stop'],
      },
    })
    for (let c = 0; generate && c < 30; c++) emit({ parentSpanId: generate.spanId, name: `decode chunk ${c}`, service: 'generator', startUs: at(0.22 + c * 0.02), endUs: at(0.24 + c * 0.02), isError: false, attributes: {} })
    emit({ parentSpanId: req.spanId, name: 'chat judge-8b', service: 'judge', startUs: at(0.86), endUs: at(0.97), isError: false, attributes: { 'pipeline.stage': 'judge', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'judge-8b', 'gen_ai.response.finish_reasons': ['stop'] } })
    emit({ parentSpanId: req.spanId, name: 'format answer', service: 'postprocess', startUs: at(0.97), endUs: at(0.99), isError: false, attributes: { 'pipeline.stage': 'post-processing' } })
    return spans.length - before
  }
}

type OtlpValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { arrayValue: { values: OtlpValue[] } }

function otlpValue(v: string | number | string[]): OtlpValue {
  if (Array.isArray(v)) return { arrayValue: { values: v.map((x) => ({ stringValue: x })) } }
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v }
  return { stringValue: v }
}

/** OTLP/JSON ExportTraceServiceRequest bodies of at most SPANS_PER_EXPORT spans, one resource per service. */
export function otlpExports(trace: GeneratedTrace): string[] {
  const bodies: string[] = []
  for (let i = 0; i < trace.spans.length; i += SPANS_PER_EXPORT) {
    const byService = new Map<string, GenSpan[]>()
    for (const s of trace.spans.slice(i, i + SPANS_PER_EXPORT)) byService.set(s.service, [...(byService.get(s.service) ?? []), s])
    bodies.push(
      JSON.stringify({
        resourceSpans: [...byService].map(([service, spans]) => ({
          resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
          scopeSpans: [
            {
              scope: { name: 'firebreak-bench' },
              spans: spans.map((s) => ({
                traceId: trace.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId,
                name: s.name,
                kind: s.parentSpanId ? 1 : 2,
                startTimeUnixNano: String(BigInt(s.startUs) * 1000n),
                endTimeUnixNano: String(BigInt(s.endUs) * 1000n),
                attributes: Object.entries(s.attributes).map(([key, value]) => ({ key, value: otlpValue(value) })),
                status: s.isError ? { code: 2, message: 'generation stopped at max_tokens' } : { code: 1 },
              })),
            },
          ],
        })),
      }),
    )
  }
  return bodies
}

async function sendTrace(url: string, trace: GeneratedTrace): Promise<{ ms: number; bytes: number }> {
  const bodies = otlpExports(trace)
  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]
        for (let attempt = 0; ; attempt++) {
          const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${OTLP_TOKEN}`, 'content-type': 'application/json' }, body })
          const text = await response.text()
          if (response.status === 200) break
          if ((response.status === 429 || response.status === 503) && attempt < 20) {
            await new Promise((resolve) => setTimeout(resolve, 500))
            continue
          }
          throw new Error(`POST /v1/traces answered ${response.status}: ${text.slice(0, 300)}`)
        }
      }
    }),
  )
  return { ms: performance.now() - started, bytes: bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) }
}

// ---------------------------------------------------------------------------------------------------------------
// In the browser

/** Installed before the page's scripts: notes when the first waterfall rows are in the DOM, and the next paint. */
function watchFirstRows() {
  const w = window as unknown as { __rowsAt?: number; __paintedAt?: number }
  const observer = new MutationObserver(() => {
    if (w.__rowsAt !== undefined || !document.querySelector('[data-testid="waterfall-row"]')) return
    w.__rowsAt = performance.now()
    observer.disconnect()
    requestAnimationFrame(() => setTimeout(() => (w.__paintedAt = performance.now()), 0))
  })
  observer.observe(document, { childList: true, subtree: true })
}

/**
 * Runs `act`, then waits until `done` holds and the next frame is painted; milliseconds from act to that paint. Both
 * are source text evaluated as one expression (the page's CSP forbids eval inside it, not the debugger's evaluate).
 */
async function timeToPaint(page: Page, act: string, done: string): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const t0 = performance.now()
    ;${act}
    const check = () => {
      if (${done}) requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0))
      else if (performance.now() - t0 > 30000) reject(new Error('timed out waiting for the rows'))
      else requestAnimationFrame(check)
    }
    check()
  })`) as Promise<number>
}

const rowSelector = (spanId: string) => `document.querySelector('[data-testid="waterfall-row"][data-span-id="${spanId}"]')`

async function heapUsedMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }
  await cdp.detach()
  return usedSize / 1_048_576
}

interface Load {
  paintedMs: number
  /** the page's HTML fully received */
  documentMs: number
  /** the trace request sent, and its answer fully received */
  apiStartMs: number
  apiEndMs: number
  apiServerMs: number
  apiDownloadMs: number
  apiBytes: number
  /** User Timing marks the view sets: the trace's JSON parsed, its tree built */
  parsedMs: number
  treeMs: number
}

async function openTrace(context: BrowserContext, url: string, traceId: string): Promise<{ page: Page; load: Load }> {
  const page = await context.newPage()
  await page.addInitScript(watchFirstRows)
  await page.goto(`${url}/traces/${traceId}`, { waitUntil: 'commit' })
  await page.waitForFunction(() => (window as unknown as { __paintedAt?: number }).__paintedAt !== undefined, undefined, { timeout: 60_000, polling: 50 })
  const load = await page.evaluate((id) => {
    const w = window as unknown as { __paintedAt: number }
    const api = performance.getEntriesByType('resource').find((e) => e.name.endsWith(`/api/traces/${id}`)) as PerformanceResourceTiming | undefined
    const document = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    return {
      paintedMs: w.__paintedAt,
      documentMs: document.responseEnd,
      apiStartMs: api ? api.requestStart : Number.NaN,
      apiEndMs: api ? api.responseEnd : Number.NaN,
      apiServerMs: api ? api.responseStart - api.requestStart : Number.NaN,
      apiDownloadMs: api ? api.responseEnd - api.responseStart : Number.NaN,
      apiBytes: api ? api.encodedBodySize || api.transferSize : Number.NaN,
      parsedMs: performance.getEntriesByName('firebreak:trace-parsed')[0]?.startTime ?? Number.NaN,
      treeMs: performance.getEntriesByName('firebreak:trace-tree')[0]?.startTime ?? Number.NaN,
    }
  }, traceId)
  return { page, load }
}

async function signedInContext(url: string): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${url}/signin`)
  await page.getByLabel('Email').fill('responder@firebreak.demo')
  await page.getByLabel('Password').fill('demo-responder-password')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(`${url}/`)
  await page.close()
  return { browser, context }
}

export interface WaterfallContext {
  url: string
  db: Db
}

export async function waterfall({ url, db }: WaterfallContext) {
  section('Trace waterfall in Chromium (traces sent to the OTLP receiver as OTLP/JSON; 1440x900 viewport)')
  if (!(await db.ingestToken.findUnique({ where: { tokenHash: hashToken(OTLP_TOKEN) } }))) {
    await db.ingestToken.create({ data: { name: 'bench-otlp', kind: 'otlp', tokenHash: hashToken(OTLP_TOKEN), prefix: OTLP_TOKEN.slice(0, 16) } })
  }
  const { browser, context } = await signedInContext(url)
  try {
    for (const size of SIZES) {
      const trace = generateTrace(size)
      progress(`sending a ${size.toLocaleString('en')}-span trace to POST /v1/traces`)
      const sent = await sendTrace(url, trace)
      const label = `${size.toLocaleString('en')} spans`
      note(`${label}: ${(sent.bytes / 1_048_576).toFixed(1)} MB of OTLP/JSON in ${Math.ceil(size / SPANS_PER_EXPORT)} exports, stored in ${ms(sent.ms)}`)

      const cold = await openTrace(context, url, trace.traceId)
      await cold.page.close()
      const warm: Load[] = []
      let page: Page | undefined
      for (let i = 0; i < WARM_RUNS; i++) {
        await page?.close()
        const opened = await openTrace(context, url, trace.traceId)
        warm.push(opened.load)
        page = opened.page
      }
      const shown = await page!.getByTestId('waterfall').getAttribute('aria-label')
      if (!shown?.includes(`of ${size.toLocaleString('en-US')} shown`)) throw new Error(`the waterfall says "${shown}", expected ${size} spans`)
      const median = (pick: (l: Load) => number) => percentile(warm.map(pick), 50)
      report(`${label}: rows painted, cold`, ms(cold.load.paintedMs), size === 100_000 ? '< 1,000 ms' : undefined, 'navigation start to the first waterfall rows painted; the server reads the trace from PostgreSQL')
      report(`${label}: rows painted, warm (median of ${WARM_RUNS})`, ms(median((l) => l.paintedMs)), size === 100_000 ? '< 1,000 ms' : undefined, 'the same with the trace in the server\'s opened-trace cache')
      report(
        `  where the warm time goes`,
        [median((l) => l.documentMs), median((l) => l.apiStartMs), median((l) => l.apiEndMs), median((l) => l.parsedMs), median((l) => l.treeMs)].map((n) => n.toFixed(0)).join(' · '),
        undefined,
        'ms after navigation start: page HTML received · trace request sent · trace received · its JSON parsed · tree built; then the render and the paint',
      )
      report(`  trace API: server / download (warm)`, `${ms(median((l) => l.apiServerMs))} / ${ms(median((l) => l.apiDownloadMs))}`, undefined, `GET /api/traces/{id} from Resource Timing: request to first byte, first byte to last (${(median((l) => l.apiBytes) / 1_048_576).toFixed(1)} MB on the wire); cold server time ${ms(cold.load.apiServerMs)}`)

      // the first shard: collapsed when it is over 200 spans; then open it and close it again, or the other way round
      const toggle = `document.querySelector('[data-testid="waterfall-row"][data-span-id="${trace.shard.spanId}"] [data-testid="waterfall-toggle"]').dispatchEvent(new MouseEvent('click', { bubbles: true }))`
      const childShown = rowSelector(trace.shard.firstChildId)
      const startsCollapsed = (await page!.evaluate(`${childShown} === null`)) as boolean
      const expandMs: number[] = []
      const collapseMs: number[] = []
      for (let i = 0; i < 3; i++) {
        if (startsCollapsed) {
          expandMs.push(await timeToPaint(page!, toggle, `${childShown} !== null`))
          collapseMs.push(await timeToPaint(page!, toggle, `${childShown} === null`))
        } else {
          collapseMs.push(await timeToPaint(page!, toggle, `${childShown} === null`))
          expandMs.push(await timeToPaint(page!, toggle, `${childShown} !== null`))
        }
      }
      const subtree = `a ${trace.shard.descendants.toLocaleString('en')}-span subtree${startsCollapsed ? ' (collapsed at first)' : ''}`
      report(`  expand ${subtree}`, ms(percentile(expandMs, 50)), '< 100 ms', 'click on the toggle until its rows are painted, median of 3')
      report(`  collapse it`, ms(percentile(collapseMs, 50)), '< 100 ms')
      report(`  JS heap used, trace shown`, `${(await heapUsedMb(page!)).toFixed(1)} MB`, undefined, 'after a forced garbage collection (CDP Runtime.getHeapUsage), the whole page')

      if (size === SIZES[SIZES.length - 1]) {
        const all = await timeToPaint(page!, `[...document.querySelectorAll('.trace-toolbar button')].find((b) => b.textContent === 'Expand all').click()`, `document.querySelector('[data-testid="waterfall"]').getAttribute('aria-label').startsWith('Spans of the trace, ${size.toLocaleString('en-US')} of')`)
        report(`  expand all (${label} visible)`, ms(all), '< 100 ms')
        const rows = await page!.evaluate(() => document.querySelectorAll('[data-testid="waterfall-row"]').length)
        const scroll = await timeToPaint(
          page!,
          `const box = document.querySelector('[data-testid="waterfall"]'); box.scrollTop = box.scrollHeight / 2`,
          `(() => { const box = document.querySelector('[data-testid="waterfall"]').getBoundingClientRect(); return [...document.querySelectorAll('[data-testid="waterfall-row"]')].some((r) => { const y = r.getBoundingClientRect().top; return y > box.top + 30 && y < box.bottom - 30 }) })()`,
        )
        report('  scroll to the middle: rows painted', ms(scroll), undefined, `rows in the DOM with all ${label} expanded: ${rows} (only those in view and a few around)`)
        report(`  JS heap used, all expanded`, `${(await heapUsedMb(page!)).toFixed(1)} MB`)
      }
      await page!.close()
    }
  } finally {
    await browser.close()
  }
}
