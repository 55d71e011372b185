import { describe, expect, it } from 'vitest'
import { readJsonFixture } from '@/tests/fixtures'
import { DEFAULT_ALERT_MAPPING, incidentFieldsFor, namesOf, severityOf } from './mapping'
import { fingerprintOf, groupKeyOf, normalizeAlerts, summarizeAlertnames } from './normalize'
import { alertmanagerWebhookSchema } from './schemas'

const FIXTURES = [
  'alertmanager-webhook/alertmanager-webhook-adapter/alert.json',
  'alertmanager-webhook/prometheus-msteams/card-grafana-inspired-payload.json',
  'alertmanager-webhook/prometheus-msteams/prom_post_request.json',
  'alertmanager-webhook/prometheus-webhook-dingtalk/PlaygroundDemoAlert.json',
  'alertmanager-webhook/prometheus_bot/emptyValue.json',
  'alertmanager-webhook/prometheus_bot/production_example.json',
]

describe('Alertmanager webhook parsing on real payloads', () => {
  for (const file of FIXTURES) {
    it(`accepts ${file}`, () => {
      const raw = readJsonFixture<{ alerts: unknown[] }>(file)
      const payload = alertmanagerWebhookSchema.parse(raw)
      const alerts = normalizeAlerts(payload)
      expect(alerts.length).toBeGreaterThan(0)
      expect(alerts.length).toBeLessThanOrEqual(raw.alerts.length)
      for (const alert of alerts) {
        expect(Number.isNaN(alert.startsAt.getTime())).toBe(false)
        expect(alert.fingerprint).toMatch(/^[0-9a-f]+$/)
        expect(['firing', 'resolved']).toContain(alert.status)
      }
      expect(groupKeyOf(payload)).not.toBe('')
    })
  }

  it('reads vmalert nanosecond timestamps with an offset, the zero endsAt, and per-alert status', () => {
    const payload = alertmanagerWebhookSchema.parse(readJsonFixture('alertmanager-webhook/alertmanager-webhook-adapter/alert.json'))
    const alerts = normalizeAlerts(payload)
    // four hosts under one reused fingerprint stay four alerts
    expect(alerts.map((a) => a.labels.host).sort()).toEqual(['10.30.1.160', '10.30.1.161', '10.30.1.162', '10.30.1.163'])
    expect(alerts.find((a) => a.labels.host === '10.30.1.161')!.status).toBe('resolved')
    const cpu160 = alerts.find((a) => a.labels.host === '10.30.1.160')!
    expect(cpu160.startsAt.toISOString()).toBe('2021-03-30T12:17:50.814Z')
    expect(cpu160.endsAt).toBeNull()
    expect(cpu160.fingerprint).toBe('83eb2c81e0da3faf')
    expect(alerts.filter((a) => a.status === 'resolved').length).toBeGreaterThan(0)
  })

  it('derives a stable fingerprint and group key when the sender gives none', () => {
    const payload = alertmanagerWebhookSchema.parse(readJsonFixture('alertmanager-webhook/prometheus_bot/production_example.json'))
    expect(payload.groupKey).toBeUndefined()
    const [first] = normalizeAlerts(payload)
    expect(first.fingerprint).toBe(fingerprintOf(first.labels))
    expect(fingerprintOf({ b: '2', a: '1' })).toBe(fingerprintOf({ a: '1', b: '2' }))
    expect(groupKeyOf(payload)).toBe(groupKeyOf(alertmanagerWebhookSchema.parse(readJsonFixture('alertmanager-webhook/prometheus_bot/production_example.json'))))
  })

  it('keeps one alert per fingerprint and start, preferring resolved, in a stable order', () => {
    const base = { labels: { alertname: 'HighTTFT' }, startsAt: '2026-11-22T03:00:00Z', fingerprint: 'aa' }
    const payload = alertmanagerWebhookSchema.parse({
      status: 'firing',
      alerts: [{ ...base, fingerprint: 'bb' }, { ...base, status: 'firing' }, { ...base, status: 'resolved', endsAt: '2026-11-22T03:10:00Z' }],
    })
    const alerts = normalizeAlerts(payload)
    expect(alerts.map((a) => [a.fingerprint, a.status])).toEqual([['aa', 'resolved'], ['bb', 'firing']])
  })

  it('rejects what can never be stored, naming the field', () => {
    const bad = alertmanagerWebhookSchema.safeParse({ status: 'firing', alerts: [{ labels: { alertname: 1 }, startsAt: 'yesterday' }] })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['alerts.0.labels.alertname', 'alerts.0.startsAt']))
    expect(alertmanagerWebhookSchema.safeParse({ status: 'firing', alerts: [] }).error!.issues[0].message).toMatch(/empty/)
    expect(alertmanagerWebhookSchema.safeParse({ alerts: [] }).success).toBe(false)
  })
})

describe('alert label mapping', () => {
  it('maps severity labels case-insensitively with a default', () => {
    expect(severityOf({ severity: 'Critical' }, DEFAULT_ALERT_MAPPING)).toBe('SEV1')
    expect(severityOf({ severity: 'warning' }, DEFAULT_ALERT_MAPPING)).toBe('SEV3')
    expect(severityOf({}, DEFAULT_ALERT_MAPPING)).toBe('SEV3')
  })

  it('takes the most severe firing alert, the pipeline from pipeline or service, and every model', () => {
    const payload = alertmanagerWebhookSchema.parse({
      status: 'firing',
      commonLabels: { alertname: 'TTFTHigh' },
      alerts: [
        { labels: { alertname: 'TTFTHigh', severity: 'warning', service: 'rag-chat', model: 'llama-3-70b' }, startsAt: '2026-11-22T03:00:00Z' },
        { labels: { alertname: 'TTFTHigh', severity: 'critical', service: 'rag-chat', model: 'mistral-7b' }, startsAt: '2026-11-22T03:01:00Z' },
      ],
    })
    expect(incidentFieldsFor(payload, normalizeAlerts(payload), DEFAULT_ALERT_MAPPING)).toEqual({
      title: 'TTFTHigh on rag-chat',
      severity: 'SEV1',
      pipeline: 'rag-chat',
      models: ['llama-3-70b', 'mistral-7b'],
    })
  })

  it('summarizes alert names for the timeline', () => {
    expect(summarizeAlertnames(['A', 'B', 'A', 'C', 'A'])).toBe('A ×3, B, C')
  })
})

describe('incident titles from alert names', () => {
  it('names the alerts instead of counting them', () => {
    expect(namesOf(['ModelServerNotReady'])).toBe('ModelServerNotReady')
    expect(namesOf(['GPUMemoryNearFull', 'VLLMPreemptionsHigh', 'GPUMemoryNearFull'])).toBe('GPUMemoryNearFull and VLLMPreemptionsHigh')
    expect(namesOf(['A', 'B', 'C', 'D'])).toBe('A, B and 2 more')
  })
})
