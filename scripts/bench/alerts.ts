/**
 * Alert intake and the incident console:
 *   intake   one webhook of 20,000 alerts, then 100 webhooks of 200 alerts from 10 concurrent senders
 *   visible  Alertmanager-style POST until the incident shows in an open incident list (Chromium)
 *   room     the incident room with 2,000 alerts and 500 timeline entries: LCP and INP in Chromium
 */
import { chromium, type Browser, type BrowserContext } from '@playwright/test'
import { alertGroup } from '@/tests/alert-payloads'
import { INGEST_TOKEN, type Db } from './app'
import { ms, percentile, report, section } from './report'

async function post(url: string, body: string): Promise<{ status: number; ms: number; json: { incidentNumber?: number } }> {
  const started = performance.now()
  const response = await fetch(`${url}/api/alerts/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' }, body })
  const json = await response.json()
  return { status: response.status, ms: performance.now() - started, json }
}

export interface AlertsContext {
  url: string
  db: Db
}

export async function warmUp(url: string) {
  // the first request compiles nothing in production, but opens the pool
  await post(url, JSON.stringify(alertGroup({ groupKey: 'warm-up', count: 1 })))
}

export async function intake({ url, db }: AlertsContext) {
  section('Storm intake (HTTP, production build, embedded PostgreSQL)')
  const big = JSON.stringify(alertGroup({ groupKey: 'storm-20k', count: 20_000 }))
  const single = await post(url, big)
  report('20,000-alert webhook acknowledged in', ms(single.ms), '< 2,000 ms', 'time from sending one 20,000-alert Alertmanager webhook to its 200 answer')
  report('  its body', `${(Buffer.byteLength(big) / 1_048_576).toFixed(1)} MB`)
  const bodies = Array.from({ length: 100 }, (_, i) => JSON.stringify(alertGroup({ groupKey: `storm-200-${i}`, count: 200 })))
  const latencies: number[] = []
  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]
        const result = await post(url, body)
        if (result.status !== 200) throw new Error(`intake answered ${result.status}`)
        latencies.push(result.ms)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  report('100 x 200 alerts, 10 senders: sustained intake', `${Math.round(20_000 / seconds)} alerts/s`, '>= 2,000 alerts/s', 'alerts stored per second while 10 senders each post 200-alert webhooks back to back')
  report('  acknowledgement p50', ms(percentile(latencies, 50)))
  report('  acknowledgement p95', ms(percentile(latencies, 95)))
  const stored = await db.alert.count({ where: { incident: { groupKey: { startsWith: 'storm-' } } } })
  report('rows lost or duplicated', String(Math.abs(stored - 40_000)), '0', 'alert rows in the database minus the 40,000 sent')
}

/** One signed-in browser shared by the browser benchmarks. */
export class SignedInBrowser {
  private browser?: Browser
  private context?: BrowserContext
  constructor(private readonly url: string) {}

  async get(): Promise<BrowserContext> {
    if (this.context) return this.context
    this.browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
    this.context = await this.browser.newContext()
    const page = await this.context.newPage()
    await page.goto(`${this.url}/signin`)
    await page.getByLabel('Email').fill('responder@firebreak.demo')
    await page.getByLabel('Password').fill('demo-responder-password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL(`${this.url}/`)
    await page.close()
    return this.context
  }

  async close() {
    await this.browser?.close()
  }
}

export async function visible({ url }: AlertsContext, browser: SignedInBrowser) {
  section('Alert-to-visible (POST until the row shows in an open incident list, Chromium)')
  const page = await (await browser.get()).newPage()
  await page.goto(`${url}/incidents`)
  const visibleMs: number[] = []
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now()
    const { json } = await post(url, JSON.stringify(alertGroup({ groupKey: `visible-${i}`, count: 5 })))
    await page.getByTestId(`incident-row-${json.incidentNumber}`).waitFor({ timeout: 15_000 })
    visibleMs.push(performance.now() - t0)
  }
  await page.close()
  report('alert-to-visible p50', ms(percentile(visibleMs, 50)))
  report('alert-to-visible p95', ms(percentile(visibleMs, 95)), '< 5,000 ms', 'from posting a new alert group to its incident row showing in an already open incident list')
}

export async function room({ url, db }: AlertsContext, browser: SignedInBrowser) {
  section('Incident room with 2,000 alerts and 500 timeline entries (Chromium)')
  const context = await browser.get()
  const { json: created } = await post(url, JSON.stringify(alertGroup({ groupKey: 'big-room', count: 2_000 })))
  const incident = await db.incident.findUniqueOrThrow({ where: { number: created.incidentNumber } })
  await db.timelineEntry.createMany({ data: Array.from({ length: 500 }, (_, i) => ({ incidentId: incident.id, kind: 'note', body: `Observation ${i}: vllm:num_requests_waiting at ${i % 40}`, actorName: 'Bench' })) })
  const lcps: number[] = []
  const inps: number[] = []
  for (let i = 0; i < 5; i++) {
    const tab = await context.newPage()
    await tab.addInitScript(() => {
      const w = window as unknown as { __lcp: number; __inp: number }
      w.__lcp = 0
      w.__inp = 0
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__lcp = e.startTime }).observe({ type: 'largest-contentful-paint', buffered: true })
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__inp = Math.max(w.__inp, e.duration) }).observe({ type: 'event', buffered: true, durationThreshold: 16 } as PerformanceObserverInit)
    })
    // the room polls itself every 3 s, so the network is never idle for long: wait for the page's own load
    await tab.goto(`${url}/incidents/${created.incidentNumber}`, { waitUntil: 'load' })
    await tab.getByRole('button', { name: /VLLMTimeToFirstTokenHigh/ }).waitFor()
    await tab.waitForTimeout(500)
    lcps.push(await tab.evaluate(() => (window as unknown as { __lcp: number }).__lcp))
    // the only alert group is open already: page through it, then type a note
    await tab.getByRole('button', { name: 'Next' }).click()
    await tab.getByText('page 2 of 80').waitFor()
    await tab.getByLabel(/Add a note/).click()
    await tab.keyboard.type('typing a note')
    await tab.waitForTimeout(300)
    inps.push(await tab.evaluate(() => (window as unknown as { __inp: number }).__inp))
    await tab.close()
  }
  report('Largest Contentful Paint, median of 5', ms(percentile(lcps, 50)), '< 1,000 ms', 'time until the largest element of the room is painted, in a signed-in Chromium tab')
  report('Interaction to Next Paint (worst event), median', ms(percentile(inps, 50)), '< 100 ms', 'the slowest input-to-paint of paging the alerts and typing a note, median over 5 tabs')
}
