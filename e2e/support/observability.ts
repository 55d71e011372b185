/**
 * Real Prometheus and Alertmanager from Debian, started by a test on 127.0.0.1 with their data in a temporary folder,
 * and stopped by it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findFreePort } from '@/lib/db/embedded-postgres'
import { waitForUrl } from './app-server'

export interface RunningServer {
  url: string
  port: number
  /** the last few kilobytes the server logged, for a failing test's report */
  logs(): string
  stop(): Promise<void>
}

async function startBinary(binary: string, args: (port: number, dir: string) => string[], files: Record<string, string>, readyPath: string, fixedPort?: number): Promise<RunningServer> {
  const port = fixedPort ?? (await findFreePort())
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `firebreak-${path.basename(binary)}-`))
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), content.replaceAll('{{dir}}', dir).replaceAll('__PROM_PORT__', String(port)))
  }
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

export function startPrometheus(options: { config: string; rules: string; port?: number }): Promise<RunningServer> {
  return startBinary(
    '/usr/bin/prometheus',
    (port, dir) => [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`],
    { 'prometheus.yml': options.config, 'rules.yml': options.rules },
    '/-/ready',
    options.port,
  )
}

/** A Prometheus that scrapes itself: real data with no exporter to run. */
export function startSelfScrapingPrometheus(port?: number): Promise<RunningServer> {
  return startPrometheus({
    config: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:__PROM_PORT__']\n`,
    rules: 'groups: []\n',
    port,
  })
}
