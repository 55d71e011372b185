/**
 * The real chain: Prometheus (Debian) scrapes a running exporter (its own /metrics), evaluates an alert rule over it,
 * sends the alert to Alertmanager (Debian), whose webhook receiver posts to Firebreak with a token an admin created.
 * The incident appears through the API and in the browser. Both servers listen on 127.0.0.1 and stop afterwards.
 */
import { expect, test } from '@playwright/test'
import { createAlertmanagerToken } from './support/api'
import { signInAs } from './support/auth'
import { startAlertmanager, startPrometheus, type RunningServer } from './support/observability'
import { E2E } from './support/ports'

test('an alert rule evaluated by Prometheus reaches Firebreak through Alertmanager and opens an incident', async ({ page }) => {
  test.setTimeout(120_000)
  await signInAs(page, 'admin')
  const token = await createAlertmanagerToken(page.request, 'alertmanager-chain')
  const alertname = `FirebreakChain${Date.now()}`
  let alertmanager: RunningServer | undefined
  let prometheus: RunningServer | undefined
  try {
    alertmanager = await startAlertmanager(`
route:
  receiver: firebreak
  group_by: [alertname, pipeline]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
  - name: firebreak
    webhook_configs:
      - url: ${E2E.appUrl}/api/alerts/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: ${token}
`)
    prometheus = await startPrometheus({
      config: `
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ['{{dir}}/rules.yml']
scrape_configs:
  - job_name: vllm-gateway
    static_configs:
      - targets: ['127.0.0.1:__PROM_PORT__']
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:${alertmanager.port}']
`,
      rules: `
groups:
  - name: firebreak-chain
    rules:
      - alert: ${alertname}
        expr: up{job="vllm-gateway"} == 1 and on() prometheus_tsdb_head_samples_appended_total >= 0
        labels:
          severity: critical
          pipeline: chain-test
          model: llama-3-8b-instruct
        annotations:
          summary: ${alertname} chain test from a real Prometheus
          runbook_url: https://firebreak.example/runbooks/triage
`,
    })
    // the incident is titled from the group's common summary annotation
    await expect
      .poll(
        async () => {
          const { incidents } = await (await page.request.get('/api/incidents?status=open')).json()
          return incidents.some((i: { title: string }) => i.title.startsWith(alertname))
        },
        { timeout: 60_000, intervals: [1000] },
      )
      .toBe(true)
    const { incidents } = await (await page.request.get('/api/incidents?status=open')).json()
    const incident = incidents.find((i: { title: string }) => i.title.startsWith(alertname))
    expect(incident).toMatchObject({ severity: 'SEV1', pipeline: 'chain-test', models: ['llama-3-8b-instruct'], firingAlerts: 1 })

    await page.goto(`/incidents/${incident.number}`)
    await expect(page.getByRole('heading', { level: 1 })).toContainText(alertname)
    // a single alert group opens by itself
    await expect(page.getByRole('button', { name: new RegExp(alertname) })).toHaveAttribute('aria-expanded', 'true')
    await expect(page.getByText(`${alertname} chain test from a real Prometheus`, { exact: true }).last()).toBeVisible()
    await expect(page.getByText('job=vllm-gateway')).toBeVisible()
    await page.screenshot({ path: test.info().outputPath('incident-from-alertmanager.png'), fullPage: true })
  } finally {
    await test.info().attach('alertmanager.log', { body: alertmanager?.logs() ?? '', contentType: 'text/plain' })
    await test.info().attach('prometheus.log', { body: prometheus?.logs() ?? '', contentType: 'text/plain' })
    await prometheus?.stop()
    await alertmanager?.stop()
  }
})
