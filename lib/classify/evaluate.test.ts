import { describe, expect, it } from 'vitest'
import { ERROR_STATES, PATHWAYS, TRIAGE_RUNBOOK_ID } from '@/lib/taxonomy'
import { classify, confidenceOf, DEFAULT_MIN_CONFIDENCE, evaluateRule, proposeStep, type Observations } from './evaluate'
import { DEFAULT_RULES, ruleSetSchema, STEP_ANSWERS, type Rule } from './rules'

function holdingValue(r: Rule): number {
  const t = r.threshold.default
  return r.comparison === '>' ? t + 1 : r.comparison === '<' ? t - 0.5 : t
}
function failingValue(r: Rule): number {
  const t = r.threshold.default
  return r.comparison === '>' || r.comparison === '>=' ? t - 0.5 : r.comparison === '<' || r.comparison === '<=' ? t + 1 : t + 1
}

describe('default rule set', () => {
  it('validates: answers exist in lib/taxonomy, ids unique', () => {
    expect(() => ruleSetSchema.parse(DEFAULT_RULES)).not.toThrow()
    expect(new Set(DEFAULT_RULES.map((r) => r.id)).size).toBe(DEFAULT_RULES.length)
    for (const r of DEFAULT_RULES) for (const e of r.effects) expect(STEP_ANSWERS[r.step]).toContain(e.answer)
  })

  it('rejects unknown answers, duplicate ids and unknown template placeholders', () => {
    const r = DEFAULT_RULES[0]
    expect(ruleSetSchema.safeParse([{ ...r, effects: [{ answer: 'nope', effect: 'supports', weight: 1 }] }]).success).toBe(false)
    expect(ruleSetSchema.safeParse([r, r]).success).toBe(false)
    expect(ruleSetSchema.safeParse([{ ...r, signal: { kind: 'promql', template: 'rate({{bogus}}[5m])', metrics: [] } }]).success).toBe(false)
  })

  it('covers every error state and pathway with a supporting rule', () => {
    const supported = (step: Rule['step']) => new Set(DEFAULT_RULES.filter((r) => r.step === step).flatMap((r) => r.effects.filter((e) => e.effect === 'supports').map((e) => e.answer)))
    for (const s of ERROR_STATES) expect(supported('errorState')).toContain(s)
    for (const p of PATHWAYS) expect(supported('pathway')).toContain(p)
  })

  it('uses the seeds’ thresholds as defaults', () => {
    const t = (id: string) => DEFAULT_RULES.find((r) => r.id === id)!.threshold.default
    expect(t('fc-gpu-memory-peak')).toBe(0.95)
    expect(t('fc-length-terminated')).toBe(0.05)
    expect(t('fc-prompt-near-context')).toBe(0.01)
    expect(t('fc-silent-after-first-request')).toBe(120)
  })
})

describe('each rule', () => {
  for (const rule of DEFAULT_RULES) {
    describe(rule.id, () => {
      it('holds at its threshold side and moves its answers', () => {
        expect(evaluateRule(rule, holdingValue(rule)).status).toBe('holds')
        const p = proposeStep(rule.step, { [rule.id]: holdingValue(rule) })
        for (const e of rule.effects) {
          const a = p.ranked.find((x) => x.answer === e.answer)!
          expect(a).toBeDefined()
          expect(e.effect === 'supports' ? a.support : a.against).toBeGreaterThanOrEqual(e.weight)
          expect(a.reasons.some((r) => r.ruleId === rule.id && r.text.includes(rule.threshold.source))).toBe(true)
        }
      })
      it('does not hold on the other side, and is missing without data', () => {
        expect(evaluateRule(rule, failingValue(rule)).status).toBe('doesNotHold')
        expect(evaluateRule(rule, 'missing').status).toBe('missing')
        expect(evaluateRule(rule, undefined).status).toBe('missing')
        expect(evaluateRule(rule, Number.NaN).status).toBe('missing')
        const p = proposeStep(rule.step, { [rule.id]: failingValue(rule) })
        expect(p.ranked.flatMap((a) => a.reasons).some((r) => r.ruleId === rule.id)).toBe(false)
      })
    })
  }

  it('takes a configured threshold over the default', () => {
    const rule = DEFAULT_RULES.find((r) => r.id === 'fc-gpu-memory-peak')!
    expect(evaluateRule(rule, 0.92).status).toBe('doesNotHold')
    expect(evaluateRule(rule, 0.92, 0.9).status).toBe('holds')
    const p = proposeStep('failureClass', { 'fc-gpu-memory-peak': 0.92 }, { thresholds: { 'fc-gpu-memory-peak': 0.9 } })
    expect(p.ranked[0].answer).toBe('gpu-oom')
  })

  it('treats booleans as 1/0 (alerts, detectors)', () => {
    const rule = DEFAULT_RULES.find((r) => r.id === 'es-security-alert')!
    expect(evaluateRule(rule, true).status).toBe('holds')
    expect(evaluateRule(rule, false).status).toBe('doesNotHold')
  })
})

/** Every rule of the step observed and not holding, then the given values: what a full gathering looks like. */
function observedAll(step: Rule['step'], values: Observations): Observations {
  return { ...Object.fromEntries(DEFAULT_RULES.filter((r) => r.step === step).map((r) => [r.id, failingValue(r)])), ...values }
}

describe('confusable pairs', () => {
  it('loading vs runtime: silence during load vs after the first request', () => {
    const loading = proposeStep('errorState', { 'es-silent-before-first-request': 300, 'es-silent-after-first-request': 0 })
    expect(loading.answer).toBe('loading')
    const runtime = proposeStep('errorState', observedAll('errorState', { 'es-silent-before-first-request': 0, 'es-silent-after-first-request': 300 }))
    expect(runtime.answer).toBe('runtime')
    expect(runtime.ranked.find((a) => a.answer === 'loading')?.score ?? 0).toBeLessThanOrEqual(0)
    const fcLoad = proposeStep('failureClass', { 'fc-silent-before-first-request': 300, 'fc-silent-after-first-request': 0 })
    expect(fcLoad.answer).toBe('slow-model-loading')
  })

  it('a queue stall caused by OOM-killed containers is runtime, not routing', () => {
    const stallOnly = proposeStep('errorState', observedAll('errorState', { 'es-queue-stalled': 40, 'es-oom-killed': 0, 'es-misrouting-trace': 0 }))
    expect(stallOnly.answer).toBe('routing')
    const withKills = proposeStep('errorState', { 'es-queue-stalled': 40, 'es-oom-killed': 3, 'es-misrouting-trace': 0, 'es-restarts-after-serving': 3, 'es-gpu-memory-peak': 0.6 })
    expect(withKills.answer).toBe('runtime')
    const fc = proposeStep('failureClass', { 'fc-queue-stalled': 40, 'fc-queue-stall-with-oom-kills': 3, 'fc-oom-killed': 3 })
    expect(fc.answer).toBe('container-oom-killed')
    expect(fc.ranked.find((a) => a.answer === 'queue-stall-dead-letters')!.reasons.some((r) => r.effect === 'rulesOut')).toBe(true)
  })

  it('GPU OOM vs host-memory OOM kill', () => {
    const gpu = proposeStep('failureClass', { 'fc-gpu-memory-peak': 0.97, 'fc-gpu-memory-headroom': 0.97, 'fc-kv-cache-saturated': 1, 'fc-oom-killed': 0 })
    expect(gpu.answer).toBe('gpu-oom')
    const host = proposeStep('failureClass', { 'fc-gpu-memory-peak': 0.6, 'fc-gpu-memory-headroom': 0.6, 'fc-kv-cache-saturated': 0.5, 'fc-oom-killed': 2, 'fc-silent-after-first-request': 300, 'fc-silent-before-first-request': 0, 'fc-queue-stall-with-oom-kills': 0 })
    expect(host.answer).toBe('container-oom-killed')
    expect(host.ranked.find((a) => a.answer === 'gpu-oom')?.score ?? 0).toBeLessThan(0)
  })

  it('TTFT spike: prefill batching vs queueing', () => {
    const prefill = proposeStep('failureClass', observedAll('failureClass', { 'fc-ttft-high': 4, 'fc-waiting-flat': 0, 'fc-waiting-growing': 0, 'fc-throttled': 0 }))
    expect(prefill.answer).toBe('latency-saturation')
    // the distinguishing evidence is shown: a flat queue rules capacity out
    const capacity = prefill.ranked.find((a) => a.answer === 'throttling-capacity')!
    expect(capacity.reasons.filter((r) => r.effect === 'rulesOut').map((r) => r.ruleId)).toContain('fc-waiting-flat')
    expect(capacity.score).toBeLessThan(0)
    const queueing = proposeStep('failureClass', { 'fc-ttft-high': 4, 'fc-waiting-flat': 60, 'fc-waiting-growing': 60, 'fc-throttled': 0.1 })
    expect(queueing.answer).toBe('throttling-capacity')
  })

  it('drift vs a model version change', () => {
    const version = proposeStep('failureClass', { 'fc-model-version-changed': 2, 'fc-model-version-stable': 2, 'fc-model-version-trace': 1, 'fc-input-drift': 1 })
    expect(version.answer).toBe('model-version-drift')
    const drift = proposeStep('failureClass', { 'fc-model-version-changed': 1, 'fc-model-version-stable': 1, 'fc-model-version-trace': 0, 'fc-input-drift': 1 })
    expect(drift.answer).toBe('input-distribution-shift')
    expect(drift.ranked.find((a) => a.answer === 'model-version-drift')?.score ?? 0).toBeLessThan(0)
    const pw = proposeStep('pathway', { 'pw-input-drift': 1, 'pw-model-version-changed': 1 })
    expect(pw.answer).toBe('data')
  })
})

describe('confidence needs more than one weak rule', () => {
  const rule = (id: string, answer: string, weight: number): Rule => ({
    id,
    title: id,
    step: 'errorState',
    signal: { kind: 'alert', label: 'alertname', values: [id] },
    comparison: '>=',
    threshold: { default: 1, source: 'test' },
    missingHint: id,
    effects: [{ answer, effect: 'supports', weight }],
  })

  it('a single weight-0.6 rule does not reach minConfidence', () => {
    // everything observed, nothing else holding: the weak rule is all there is
    const alone = proposeStep('errorState', { weak: 1 }, { rules: [rule('weak', 'runtime', 0.6)] })
    expect(alone.stepCoverage).toBe(1)
    expect(alone.ranked[0].answer).toBe('runtime')
    expect(alone.confidence).toBeLessThan(DEFAULT_MIN_CONFIDENCE)
    expect(alone.answer).toBeNull()
    expect(alone.dontKnow?.runbook).toBe(TRIAGE_RUNBOOK_ID)
    // with the whole default rule set observed, each weight-0.6 supporting rule alone is still "don't know"
    for (const r of DEFAULT_RULES.filter((x) => x.effects.some((e) => e.effect === 'supports' && e.weight <= 0.6) && x.effects.every((e) => e.effect === 'rulesOut' || e.weight <= 0.6))) {
      const p = proposeStep(r.step, observedAll(r.step, { [r.id]: holdingValue(r) }))
      expect(p.answer, r.id).toBeNull()
    }
  })

  it('two agreeing rules, or one strong one, do reach it', () => {
    const rules = [rule('a', 'runtime', 0.6), rule('b', 'runtime', 0.8), rule('c', 'loading', 1)]
    expect(proposeStep('errorState', { a: 1, b: 1, c: 0 }, { rules }).answer).toBe('runtime')
    expect(proposeStep('errorState', { a: 0, b: 0, c: 1 }, { rules }).answer).toBe('loading')
    expect(confidenceOf(1.4, 1.4, 1, 1)).toBeGreaterThan(confidenceOf(0.8, 0.8, 1, 1))
  })

  it('unseen evidence for rival answers lowers confidence (step coverage)', () => {
    const rules = [rule('a', 'runtime', 1), rule('b', 'loading', 1), rule('c', 'routing', 1)]
    const seen = proposeStep('errorState', { a: 1, b: 0, c: 0 }, { rules })
    const unseen = proposeStep('errorState', { a: 1, b: 'missing', c: 'missing' }, { rules })
    expect(seen.stepCoverage).toBe(1)
    expect(unseen.stepCoverage).toBeCloseTo(1 / 3)
    // the runtime answer's own evidence is all seen in both
    expect(unseen.ranked[0].coverage).toBe(1)
    expect(unseen.confidence).toBeLessThan(seen.confidence)
  })
})

describe('missing evidence and "don\'t know"', () => {
  it('missing evidence lowers confidence and is listed in words', () => {
    const full: Observations = { 'es-silent-before-first-request': 300, 'es-silent-after-first-request': 0 }
    const partial: Observations = { 'es-silent-before-first-request': 300, 'es-silent-after-first-request': 'missing' }
    const a = proposeStep('errorState', full)
    const b = proposeStep('errorState', partial)
    expect(a.answer).toBe('loading')
    expect(b.confidence).toBeLessThan(a.confidence)
    expect(b.missing.some((m) => m.includes('after the first request'))).toBe(true)
    expect(a.confidence).toBeGreaterThan(0)
    expect(a.confidence).toBeLessThanOrEqual(1)
  })

  it('answers "don\'t know" with the triage runbook when nothing is observed', () => {
    const p = proposeStep('failureClass', {})
    expect(p.answer).toBeNull()
    expect(p.confidence).toBe(0)
    expect(p.dontKnow?.runbook).toBe(TRIAGE_RUNBOOK_ID)
    expect(p.dontKnow?.href).toBe(`/runbooks/${TRIAGE_RUNBOOK_ID}`)
    expect(p.missing.length).toBe(DEFAULT_RULES.filter((r) => r.step === 'failureClass').length)
  })

  it('answers "don\'t know" when evidence conflicts or stays below the minimum confidence', () => {
    const conflict = proposeStep('failureClass', { 'fc-length-terminated': 0.2, 'fc-prompt-near-context': 0.99, 'fc-input-drift': 1 })
    expect(conflict.answer).toBeNull()
    expect(conflict.dontKnow?.runbook).toBe(TRIAGE_RUNBOOK_ID)
    const strict = proposeStep('errorState', { 'es-security-alert': 1 }, { minConfidence: 0.99 })
    expect(strict.answer).toBeNull()
  })

  it('classify proposes every step', () => {
    const all = classify({ 'es-security-alert': 1, 'pw-security-alert': 1, 'fc-prompt-injection': 1, 'fc-unauthorized-access': 0 })
    expect(all.errorState.answer).toBe('security')
    expect(all.pathway.answer).toBe('security')
    expect(all.failureClass.answer).toBe('prompt-injection')
  })
})

describe('allowedAnswers: later steps follow the taxonomy from the earlier answers', () => {
  it('loading is always infrastructure; security is the security pathway', async () => {
    const { allowedAnswers } = await import('./evaluate')
    expect(allowedAnswers('pathway', { errorState: 'loading' })).toEqual(['infrastructure'])
    expect(allowedAnswers('pathway', { errorState: 'security' })).toEqual(['security'])
    expect(allowedAnswers('failureClass', { errorState: 'loading', pathway: 'infrastructure' })).toEqual(['slow-model-loading'])
  })

  it('runtime + infrastructure offers the crash classes and not the output ones', async () => {
    const { allowedAnswers } = await import('./evaluate')
    const classes = allowedAnswers('failureClass', { errorState: 'runtime', pathway: 'infrastructure' })
    expect(classes).toEqual(expect.arrayContaining(['gpu-oom', 'container-oom-killed', 'accelerator-hardware-fault', 'latency-saturation', 'throttling-capacity']))
    expect(classes).not.toContain('token-budget-exhaustion')
    expect(classes).not.toContain('slow-model-loading')
  })

  it('an overridden combination with no class falls back to the pathway, so the responder is never left with nothing', async () => {
    const { allowedAnswers } = await import('./evaluate')
    const classes = allowedAnswers('failureClass', { errorState: 'loading', pathway: 'model' })
    expect(classes.length).toBeGreaterThan(0)
    expect(classes).toContain('token-budget-exhaustion')
  })

  it('proposeStep does not rank answers outside the allowed set', () => {
    const p = proposeStep('failureClass', { 'fc-gpu-memory-peak': 0.99, 'fc-length-terminated': 0.2 }, { allowed: ['token-budget-exhaustion', 'context-window-overflow'] })
    expect(p.ranked.map((a) => a.answer)).toEqual(['token-budget-exhaustion'])
  })
})
