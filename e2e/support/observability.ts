/**
 * Real Prometheus and Alertmanager from Debian, started by a test on 127.0.0.1 with their data in a temporary folder,
 * and stopped by it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findFreePort } from '@/lib/db/embedded-postgres'
import { toOpenMetrics, type GeneratedSeries } from '@/lib/telemetry/scenarios/model'
import { waitForUrl } from './app-server'

export interface RunningServer {
  url: string
  port: number
  /** the last few kilobytes the server logged, for a failing test's report */
  logs(): string
  stop(): Promise<void>
}

async function startBinary(binary: string, args: (port: number, dir: string) => string[], files: Record<string, string>, readyPath: string, fixedPort?: number, prepare?: (dir: string) => void): Promise<RunningServer> {
  const port = fixedPort ?? (await findFreePort())
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `firebreak-${path.basename(binary)}-`))
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), content.replaceAll('{{dir}}', dir).replaceAll('__PROM_PORT__', String(port)))
  }
  prepare?.(dir)
  const child: ChildProcess = spawn(binary, args(port, dir), { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr?.on('data', (chunk) => (log = (log + chunk).slice(-8000)))
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForUrl(`${url}${readyPath}`, 30_000, () => child.exitCode === null)
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`${binary} did not start: ${(error as Error).message}\n${log}`)
  }
  return {
    url,
    port,
    logs: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await new Promise((resolve) => child.once('exit', resolve))
      }
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function startAlertmanager(config: string): Promise<RunningServer> {
  return startBinary(
    '/usr/bin/prometheus-alertmanager',
    (port, dir) => [`--config.file=${dir}/alertmanager.yml`, `--storage.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { 'alertmanager.yml': config },
    '/-/ready',
  )
}

export function startPrometheus(options: { config: string; rules: string; port?: number; prepare?: (dir: string) => void }): Promise<RunningServer> {
  return startBinary(
    '/usr/bin/prometheus',
    // the retention must cover backfilled scenario data, which can be weeks old
    (port, dir) => [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=60d'],
    { 'prometheus.yml': options.config, 'rules.yml': options.rules },
    '/-/ready',
    options.port,
    options.prepare,
  )
}

/**
 * A Prometheus holding scenario data backfilled with promtool (the STACK.md recipe): the same samples the demo shows,
 * queried through the real engine. `end` should be in the past (at least an hour) so the blocks do not overlap the
 * head; `rules` are evaluated from start-up on, on top of the backfilled data.
 */
export function startBackfilledPrometheus(options: { series: GeneratedSeries[]; rules?: string; port?: number }): Promise<RunningServer> {
  return startPrometheus({
    config: 'global:\n  scrape_interval: 1m\n  evaluation_interval: 15s\nrule_files:\n  - {{dir}}/rules.yml\n',
    rules: options.rules ?? 'groups: []\n',
    port: options.port,
    prepare: (dir) => {
      fs.writeFileSync(path.join(dir, 'scenario.om'), toOpenMetrics(options.series))
      execFileSync('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', path.join(dir, 'scenario.om'), path.join(dir, 'data')], { stdio: 'pipe' })
    },
  })
}

/** A Prometheus that scrapes itself: real data with no exporter to run. */
export function startSelfScrapingPrometheus(port?: number): Promise<RunningServer> {
  return startPrometheus({
    config: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:__PROM_PORT__']\n`,
    rules: 'groups: []\n',
    port,
  })
}
