/**
 * Debian's Prometheus (/usr/bin/prometheus, 2.42) on 127.0.0.1 with backfilled data, restartable on the same TSDB so
 * blocks made by promtool can be added, with the query log on so each backend query can be counted and inspected.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { findFreePort } from '@/lib/db/embedded-postgres'
import { sleep } from './report'

const run = promisify(execFile)
export const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus'
export const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool'

/**
 * Backfilled blocks are cut at 54 h: the largest block a Prometheus with this retention (60 d) compacts to, so the
 * data sits as it would in a long-running server, and promtool reads its input once per block rather than 360 times.
 */
export const BLOCK_DURATION = '54h'

export async function backfillOpenMetrics(file: string, dataDir: string) {
  await run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', `--max-block-duration=${BLOCK_DURATION}`, file, dataDir], { maxBuffer: 64 * 1024 * 1024 })
}

/** `promtool tsdb create-blocks-from rules`: evaluates recording rules over [start, end] against `url`, into `outputDir`. */
export async function backfillRules(options: { rulesFile: string; url: string; start: Date; end: Date; evalInterval: string; outputDir: string }) {
  await run(
    PROMTOOL,
    [
      'tsdb', 'create-blocks-from', 'rules', '--quiet',
      `--url=${options.url}`,
      `--start=${Math.floor(options.start.getTime() / 1000)}`,
      `--end=${Math.floor(options.end.getTime() / 1000)}`,
      `--eval-interval=${options.evalInterval}`,
      `--output-dir=${options.outputDir}`,
      options.rulesFile,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  )
}

export interface QueryLogEntry {
  path: string
  query: string
  start?: number
  end?: number
  step?: number
  time?: number
  samples: number
  evalSeconds: number
  at: number
}

export class BenchPrometheus {
  private child?: ChildProcess
  private log = ''
  url = ''

  constructor(
    /** holds prometheus.yml, the query log and data/ */
    readonly dir: string,
  ) {}

  get dataDir() {
    return path.join(this.dir, 'data')
  }

  private get queryLogFile() {
    return path.join(this.dir, 'queries.log')
  }

  async start() {
    fs.mkdirSync(this.dataDir, { recursive: true })
    fs.writeFileSync(path.join(this.dir, 'prometheus.yml'), `global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\n  query_log_file: ${this.queryLogFile}\n`)
    const port = await findFreePort()
    this.url = `http://127.0.0.1:${port}`
    this.log = ''
    const child = spawn(
      PROMETHEUS,
      [`--config.file=${path.join(this.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${this.dataDir}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=60d'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    child.stderr?.on('data', (chunk) => (this.log = (this.log + chunk).slice(-8000)))
    this.child = child
    const deadline = Date.now() + 60_000
    while (!(await fetch(`${this.url}/-/ready`).then((r) => r.ok).catch(() => false))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.stop()
        throw new Error(`Prometheus did not start:\n${this.log}`)
      }
      await sleep(100)
    }
  }

  async stop() {
    const child = this.child
    this.child = undefined
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))])
  }

  /** Stops it, moves the blocks promtool wrote into its TSDB, and starts it again on them. */
  async addBlocks(fromDir: string) {
    await this.stop()
    for (const block of fs.readdirSync(fromDir)) fs.renameSync(path.join(fromDir, block), path.join(this.dataDir, block))
    await this.start()
  }

  /** A number from Prometheus's own /metrics: the sum over every series of `name` whose labels include `labels`. */
  async selfMetric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text()
    let sum = 0
    for (const line of text.split('\n')) {
      if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue
      const labelText = line[name.length] === '{' ? line.slice(name.length + 1, line.lastIndexOf('}')) : ''
      if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1))
    }
    return sum
  }

  /** Range queries Prometheus answered, from its query log. */
  queryLog(): QueryLogEntry[] {
    if (!fs.existsSync(this.queryLogFile)) return []
    return fs
      .readFileSync(this.queryLogFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const entry = JSON.parse(line) as {
          httpRequest?: { path?: string }
          params: { query: string; start?: string; end?: string; step?: number }
          stats?: { timings?: { evalTotalTime?: number }; samples?: { totalQueryableSamples?: number } }
          ts: string
        }
        const seconds = (iso?: string) => (iso ? Date.parse(iso) / 1000 : undefined)
        const isRange = entry.params.step !== undefined && entry.params.step > 0
        return {
          path: entry.httpRequest?.path ?? '',
          query: entry.params.query,
          ...(isRange ? { start: seconds(entry.params.start), end: seconds(entry.params.end), step: entry.params.step } : { time: seconds(entry.params.start) }),
          samples: entry.stats?.samples?.totalQueryableSamples ?? 0,
          evalSeconds: entry.stats?.timings?.evalTotalTime ?? 0,
          at: Date.parse(entry.ts),
        }
      })
  }

  /** Blocks the TSDB has loaded, and compactions it has run, from its own /metrics. */
  async tsdbState(): Promise<{ blocks: number; compactions: number }> {
    return { blocks: await this.selfMetric('prometheus_tsdb_blocks_loaded'), compactions: await this.selfMetric('prometheus_tsdb_compactions_total') }
  }
}
