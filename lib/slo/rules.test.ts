import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { readFixture } from '@/tests/fixtures'
import type { SloDefinition } from './openslo'
import { errorRatioQuery, prometheusRulesFor, RuleExportError } from './rules'

const gateway: SloDefinition = {
  name: 'requests-availability',
  displayName: 'LLM gateway availability',
  service: 'llm-gateway',
  objective: 0.999,
  periodDays: 30,
  sli: {
    kind: 'ratio',
    badQuery: 'sum(rate(http_requests_total{job="llm-gateway",code=~"(5..|429)"}[{{.window}}]))',
    totalQuery: 'sum(rate(http_requests_total{job="llm-gateway"}[{{.window}}]))',
  },
}

type RuleFile = { groups: { name: string; rules: { record?: string; alert?: string; expr: string; labels: Record<string, string> }[] }[] }

describe('Prometheus rules for an SLO', () => {
  it('records the same series names as Sloth does', () => {
    const ours = parse(prometheusRulesFor(gateway)) as RuleFile
    const sloth = parse(readFixture('slo/sloth/examples/_gen/getting-started.yml')) as RuleFile
    const records = (f: RuleFile) => f.groups.flatMap((g) => g.rules.map((r) => r.record)).filter(Boolean).sort()
    expect(records(ours)).toEqual(records(sloth).filter((r) => r !== 'sloth_slo_info'))
    expect(ours.groups.map((g) => g.name)).toEqual(['sloth-slo-sli-recordings-llm-gateway-requests-availability', 'sloth-slo-meta-recordings-llm-gateway-requests-availability', 'sloth-slo-alerts-llm-gateway-requests-availability'])
  })

  it('pages on 14.4x over 1h/5m or 6x over 6h/30m, and tickets on 3x and 1x', () => {
    const alerts = (parse(prometheusRulesFor(gateway)) as RuleFile).groups[2].rules
    expect(alerts.map((a) => a.labels.sloth_severity)).toEqual(['page', 'ticket'])
    expect(alerts[0].expr).toContain('slo:sli_error:ratio_rate5m{sloth_id="llm-gateway-requests-availability"')
    expect(alerts[0].expr).toMatch(/> \(14\.4 \* 0\.0010000000000000009\)/)
    expect(alerts[0].expr).toMatch(/ratio_rate6h.*> \(6 \* /)
    expect(alerts[1].expr).toMatch(/ratio_rate3d.*> \(1 \* /)
  })

  it('derives errors from good and total when the SLI names good events', () => {
    const query = errorRatioQuery({ ...gateway, sli: { kind: 'ratio', goodQuery: 'sum(rate(ok_total[{{.window}}]))', totalQuery: 'sum(rate(all_total[{{.window}}]))' } }, '1h')
    expect(query).toBe('((sum(rate(all_total[1h]))) - (sum(rate(ok_total[1h]))))\n/\n(sum(rate(all_total[1h])))')
  })

  it('asks for the window placeholder instead of guessing', () => {
    expect(() => errorRatioQuery({ ...gateway, sli: { kind: 'ratio', badQuery: 'sum(errors)', totalQuery: 'sum(total)' } }, '5m')).toThrow(RuleExportError)
  })

  it('produces a file Prometheus accepts (promtool)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-slo-rules-'))
    fs.writeFileSync(path.join(dir, 'slo.yml'), prometheusRulesFor(gateway))
    const out = execFileSync('/usr/bin/promtool', ['check', 'rules', path.join(dir, 'slo.yml')], { encoding: 'utf8' })
    fs.rmSync(dir, { recursive: true, force: true })
    expect(out).toContain('SUCCESS: 16 rules found')
  })
})
