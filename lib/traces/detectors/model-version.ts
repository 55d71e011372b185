/**
 * Model versions out of step (seeds 000 #2 and 001), three ways:
 * - a model call ran a version other than the pinned release set (`detectors.versions.expected`);
 * - one model answered in two versions within one trace: a rollout stalled halfway, a replica re-pulled an unpinned
 *   revision, a hosted API served two snapshots;
 * - stages that must agree (`agreeingStages`: the embedder that built the index and the one that embeds the query) ran
 *   different models or versions, so their vectors are not comparable.
 * Silent drift parses fine and means something else: model-version-drift. When a later span failed to parse or
 * validate, the interface broke between the stages: api-contract-version-skew (its runbook: "the break shows up in the
 * stage after it").
 */
import type { Finding, ModelCall, Trace, TraceSpan } from '../model'
import type { TraceConfig } from '../config'
import { analyze, describeSpan, errorText, findingId, matchesAny, type TraceAnalysis } from './tree'

export const MODEL_VERSION_DETECTOR = 'model-version'

interface Call {
  span: TraceSpan
  call: ModelCall
}

export function detectModelVersionSkew(trace: Trace, config: TraceConfig, analysis: TraceAnalysis = analyze(trace, config)): Finding[] {
  const rules = config.detectors.versions
  const calls: Call[] = trace.spans
    .map((span) => ({ span, call: analysis.callOf(span) }))
    .filter((c): c is Call => c.call !== null)
    .sort((a, b) => a.span.startUs - b.span.startUs)
  const findings: Finding[] = []

  const expectedFor = (call: ModelCall) =>
    (call.model !== undefined ? rules.expected.models[call.model] : undefined) ?? (call.stage !== undefined ? rules.expected.stages[call.stage] : undefined)

  const covered = new Set<string>()
  for (const stages of rules.agreeingStages) {
    const group = calls.filter((c) => c.call.stage !== undefined && stages.includes(c.call.stage) && c.call.model !== undefined)
    // a span that does not say its version is only out of step when its model differs
    const models = distinct(group.map((c) => c.call.model!))
    const versioned = distinct(group.filter((c) => c.call.modelVersion !== undefined).map((c) => identity(c.call)))
    if ((models.length < 2 && versioned.length < 2) || distinct(group.map((c) => c.call.stage!)).length < 2) continue
    const compared = models.length > 1 ? group : group.filter((c) => c.call.modelVersion !== undefined)
    const odd = oddOneOut(compared, (c) => identity(c.call))
    const differs = (c: Call) => identity(c.call) !== identity(odd.call)
    const other = compared.find((c) => differs(c) && c.call.stage !== odd.call.stage) ?? compared.find(differs)!
    group.forEach((c) => covered.add(c.span.spanId))
    findings.push(
      finding(
        analysis,
        config,
        odd.span,
        onePerKind(compared, (c) => identity(c.call)),
        `stages ${stages.join(' and ')} must run the same model and version, but ${describeSpan(other.span, other.call)} ran ${identity(other.call)} and ${describeSpan(odd.span, odd.call)} ran ${identity(odd.call)}`,
        'critical',
        { stages: stages.join(', '), [other.call.stage!]: identity(other.call), [odd.call.stage!]: identity(odd.call) },
      ),
    )
  }

  for (const { span, call } of calls) {
    const expected = expectedFor(call)
    if (!expected || call.modelVersion === undefined || expected.includes(call.modelVersion) || covered.has(span.spanId)) continue
    findings.push(
      finding(analysis, config, span, [span], `${describeSpan(span, call)} ran ${call.model ?? 'its model'} version ${call.modelVersion}, not the pinned ${expected.join(' or ')}`, 'warning', {
        model: call.model ?? 'unknown',
        version: call.modelVersion,
        expected: expected.join(', '),
      }),
    )
  }

  const byModel = new Map<string, Call[]>()
  for (const c of calls) {
    if (c.call.model === undefined || c.call.modelVersion === undefined || expectedFor(c.call)) continue
    const group = byModel.get(c.call.model)
    if (group) group.push(c)
    else byModel.set(c.call.model, [c])
  }
  for (const [model, group] of byModel) {
    const versions = distinct(group.map((c) => c.call.modelVersion!))
    if (versions.length < 2 || group.every((c) => covered.has(c.span.spanId))) continue
    const odd = oddOneOut(group, (c) => c.call.modelVersion!)
    const seen = versions.map((v) => {
      const c = group.find((g) => g.call.modelVersion === v)!
      return `${v} (${describeSpan(c.span, c.call)})`
    })
    findings.push(
      finding(analysis, config, odd.span, onePerKind(group, (c) => c.call.modelVersion!), `${model} answered in ${versions.length} versions within one trace: ${seen.join(' and ')}`, 'warning', {
        model,
        versions: versions.join(', '),
        calls: group.length,
      }),
    )
  }
  return findings
}

function finding(
  analysis: TraceAnalysis,
  config: TraceConfig,
  outOfStep: TraceSpan,
  spans: TraceSpan[],
  summary: string,
  severity: Finding['severity'],
  evidence: Finding['evidence'],
): Finding {
  const parseError = parseErrorAfter(analysis, config, outOfStep)
  const spanIds = [outOfStep.spanId, ...spans.map((s) => s.spanId).filter((id) => id !== outOfStep.spanId)]
  if (!parseError)
    return { id: findingId(MODEL_VERSION_DETECTOR, outOfStep.spanId), detector: MODEL_VERSION_DETECTOR, failureClass: 'model-version-drift', severity, summary, spanIds, evidence }
  return {
    id: findingId(MODEL_VERSION_DETECTOR, outOfStep.spanId),
    detector: MODEL_VERSION_DETECTOR,
    failureClass: 'api-contract-version-skew',
    severity: 'critical',
    summary: `${summary}; then ${describeSpan(parseError.span, analysis.callOf(parseError.span))} failed to parse its input (${parseError.message})`,
    spanIds: [...spanIds, parseError.span.spanId],
    evidence: { ...evidence, parseError: parseError.message },
  }
}

/** The first span from the out-of-step one on (not its ancestors) that failed with a parse or validation error. */
function parseErrorAfter(analysis: TraceAnalysis, config: TraceConfig, outOfStep: TraceSpan): { span: TraceSpan; message: string } | undefined {
  const patterns = config.detectors.versions.parseErrorPatterns
  let found: { span: TraceSpan; message: string } | undefined
  for (const span of analysis.spans) {
    if (span === outOfStep || span.startUs < outOfStep.startUs || (found && span.startUs >= found.span.startUs)) continue
    const message = errorText(span).find((text) => matchesAny(text, patterns))
    if (message && !analysis.isDescendantOf(outOfStep, span)) found = { span, message }
  }
  return found
}

/** the first span of each kind: enough to open each side of the disagreement, however many calls there were */
function onePerKind(group: Call[], key: (c: Call) => string): TraceSpan[] {
  const first = new Map<string, TraceSpan>()
  for (const c of group) if (!first.has(key(c))) first.set(key(c), c.span)
  return [...first.values()]
}

function identity(call: ModelCall): string {
  return call.modelVersion !== undefined ? `${call.model}@${call.modelVersion}` : `${call.model}`
}

function distinct(values: string[]): string[] {
  return [...new Set(values)]
}

/** The member whose key is rarest; on a tie the latest, since the newer one is usually what changed. */
function oddOneOut(group: Call[], key: (c: Call) => string): Call {
  const counts = new Map<string, number>()
  for (const c of group) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1)
  let odd = group[0]
  for (const c of group) if (counts.get(key(c))! <= counts.get(key(odd))!) odd = c
  return odd
}
