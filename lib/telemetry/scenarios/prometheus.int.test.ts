/**
 * A scenario backfilled into a real Prometheus (promtool tsdb create-blocks-from openmetrics) answers PromQL with the
 * values computed independently from the generated samples, through Firebreak's own Prometheus adapter.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort } from '@/lib/db/embedded-postgres'
import { PrometheusSource } from '../prometheus'
import { GPU_OOM } from './library'
import { generateSeries, toOpenMetrics } from './model'

describe('a backfilled scenario in a real Prometheus', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-scenario-'))
  // end on a whole hour an hour ago: inside the default retention, and in the past so the TSDB head does not overlap
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000)
  const series = generateSeries(GPU_OOM, end)
  let prometheus: ChildProcess
  let source: PrometheusSource

  beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'scenario.om'), toOpenMetrics(series))
    execFileSync('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', path.join(dir, 'scenario.om'), path.join(dir, 'data')], { stdio: 'ignore' })
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n')
    const port = await findFreePort()
    prometheus = spawn('/usr/bin/prometheus', [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' })
    const url = `http://127.0.0.1:${port}`
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${url}/-/ready`).then((r) => r.ok).catch(() => false)) break
      await new Promise((r) => setTimeout(r, 200))
    }
    source = new PrometheusSource({ url })
  }, 60_000)

  afterAll(() => {
    prometheus?.kill('SIGTERM')
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('returns the framebuffer share the scenario generated for the OOM node', async () => {
    const at = new Date(end.getTime() - 30 * 60_000) // minute 330: deep in the incident
    const result = await source.queryRange('DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)', { start: at, end: at, stepSeconds: 60 })
    const byNode = Object.fromEntries(result.map((s) => [s.labels.Hostname, s.points[0][1]]))
    const expected = (node: string) => {
      const used = series.find((s) => s.metric === 'DCGM_FI_DEV_FB_USED' && s.labels.Hostname === node)!.points.find(([t]) => t === at.getTime() / 1000)![1]
      const free = series.find((s) => s.metric === 'DCGM_FI_DEV_FB_FREE' && s.labels.Hostname === node)!.points.find(([t]) => t === at.getTime() / 1000)![1]
      return used / (used + free)
    }
    expect(byNode['gpu-node-2']).toBeCloseTo(expected('gpu-node-2'), 9)
    expect(byNode['gpu-node-2']).toBeGreaterThan(0.97)
    expect(byNode['gpu-node-1']).toBeCloseTo(expected('gpu-node-1'), 9)
    expect(byNode['gpu-node-1']).toBeLessThan(0.95)
  })

  it('computes the preemption rate from the generated counter', async () => {
    const at = new Date(end.getTime() - 30 * 60_000)
    const [node2] = await source.queryRange('rate(vllm:num_preemptions_total{instance="gpu-node-2:8000"}[5m])', { start: at, end: at, stepSeconds: 60 })
    const counter = series.find((s) => s.metric === 'vllm:num_preemptions_total' && s.labels.instance === 'gpu-node-2:8000')!.points
    const i = counter.findIndex(([t]) => t === at.getTime() / 1000)
    // rate() over 5 samples a minute apart: (last - first) / 240 s, extrapolated to the 300 s window by Prometheus
    // when the samples cover it; with a constant rate both give the generator's 0.8 per second
    const independent = (counter[i][1] - counter[i - 4][1]) / 240
    expect(node2.points[0][1]).toBeCloseTo(independent, 6)
    expect(independent).toBeCloseTo(0.8, 6)
  })
})
