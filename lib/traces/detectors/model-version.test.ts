import { describe, expect, it } from 'vitest'
import { DEFAULT_TRACE_CONFIG, traceConfigSchema } from '../config'
import { detectModelVersionSkew } from './model-version'
import { ragChatTrace } from './test-trace'

const config = DEFAULT_TRACE_CONFIG
const pinned = traceConfigSchema.parse({
  detectors: { versions: { expected: { models: { 'llama-3.1-70b-instruct': 'rev-1b7e0d2' }, stages: { judge: ['rev-a09e113', 'rev-c4410fe'] } } } },
})

/** "Chat with a document": the uploaded file is chunked and embedded by the indexer just before the question is. */
function withIndexer(model: string, version: string) {
  return ragChatTrace().add('indexer', {
    name: `embeddings ${model}`,
    parent: 'root',
    service: 'embed-svc',
    kind: 'client',
    startMs: 72,
    durationMs: 6,
    attributes: { 'pipeline.stage': 'indexer', 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': model, 'model.version': version, 'gen_ai.usage.input_tokens': 2400 },
  })
}

describe('model version drift and skew', () => {
  it('flags a stage that ran another version than the pinned release set', () => {
    const builder = ragChatTrace()
    expect(detectModelVersionSkew(builder.build(), pinned)).toEqual([
      {
        id: `model-version:${builder.spanId('generator')}`,
        detector: 'model-version',
        failureClass: 'model-version-drift',
        severity: 'warning',
        summary: 'generator span "chat llama-3.1-70b-instruct" ran llama-3.1-70b-instruct version rev-2f1c9a7, not the pinned rev-1b7e0d2',
        spanIds: [builder.spanId('generator')],
        evidence: { model: 'llama-3.1-70b-instruct', version: 'rev-2f1c9a7', expected: 'rev-1b7e0d2' },
      },
    ])
  })

  it('checks the pin of a stage when its model has none', () => {
    const builder = ragChatTrace().update('judge', { attributes: { 'model.version': 'rev-ffff001' } })
    const findings = detectModelVersionSkew(builder.build(), pinned)
    expect(findings.map((f) => f.spanIds[0])).toEqual([builder.spanId('generator'), builder.spanId('judge')])
    expect(findings.find((f) => f.spanIds[0] === builder.spanId('judge'))!.summary).toBe(
      'judge span "chat qwen2.5-7b-instruct" ran qwen2.5-7b-instruct version rev-ffff001, not the pinned rev-a09e113 or rev-c4410fe',
    )
  })

  it('flags one model answering in two versions within a trace, pointing at the newer odd one', () => {
    const builder = ragChatTrace().add('refine', {
      name: 'chat llama-3.1-70b-instruct refine',
      parent: 'root',
      service: 'answer-svc',
      kind: 'client',
      startMs: 3405,
      durationMs: 10,
      attributes: { 'pipeline.stage': 'generator', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'llama-3.1-70b-instruct', 'model.version': 'rev-9c0ffee' },
    })
    expect(detectModelVersionSkew(builder.build(), config)).toEqual([
      {
        id: `model-version:${builder.spanId('refine')}`,
        detector: 'model-version',
        failureClass: 'model-version-drift',
        severity: 'warning',
        summary:
          'llama-3.1-70b-instruct answered in 2 versions within one trace: rev-2f1c9a7 (generator span "chat llama-3.1-70b-instruct") and rev-9c0ffee (generator span "chat llama-3.1-70b-instruct refine")',
        spanIds: [builder.spanId('refine'), builder.spanId('generator')],
        evidence: { model: 'llama-3.1-70b-instruct', versions: 'rev-2f1c9a7, rev-9c0ffee', calls: 2 },
      },
    ])
  })

  it('is critical when the index and the query were embedded by different versions or models', () => {
    const builder = withIndexer('bge-large-en-v1.5', '2024-06-rev-77e1c0b2')
    const [finding, ...rest] = detectModelVersionSkew(builder.build(), config)
    expect(rest).toEqual([])
    expect(finding).toMatchObject({ failureClass: 'model-version-drift', severity: 'critical', spanIds: [builder.spanId('embedder'), builder.spanId('indexer')] })
    expect(finding.summary).toBe(
      'stages indexer and embedder must run the same model and version, but indexer span "embeddings bge-large-en-v1.5" ran bge-large-en-v1.5@2024-06-rev-77e1c0b2 and embedder span "embeddings bge-large-en-v1.5" ran bge-large-en-v1.5@2024-02-rev-d4aa6901',
    )
    expect(finding.evidence).toEqual({ stages: 'indexer, embedder', indexer: 'bge-large-en-v1.5@2024-06-rev-77e1c0b2', embedder: 'bge-large-en-v1.5@2024-02-rev-d4aa6901' })

    const otherModel = withIndexer('e5-large-v2', '1.0').update('embedder', { attributes: { 'model.version': undefined } })
    expect(detectModelVersionSkew(otherModel.build(), config)[0].summary).toContain('ran e5-large-v2@1.0')
  })

  it('calls it contract skew when a later stage then failed to parse, and names that span', () => {
    const builder = ragChatTrace().update('postprocess', {
      status: { code: 'error', message: 'ValidationError: answer.citations expected array, got string' },
    })
    const [finding] = detectModelVersionSkew(builder.build(), pinned)
    expect(finding).toMatchObject({
      id: `model-version:${builder.spanId('generator')}`,
      failureClass: 'api-contract-version-skew',
      severity: 'critical',
      spanIds: [builder.spanId('generator'), builder.spanId('postprocess')],
      evidence: { parseError: 'ValidationError: answer.citations expected array, got string' },
    })
    expect(finding.summary).toBe(
      'generator span "chat llama-3.1-70b-instruct" ran llama-3.1-70b-instruct version rev-2f1c9a7, not the pinned rev-1b7e0d2; then post-processing span "post-process answer" failed to parse its input (ValidationError: answer.citations expected array, got string)',
    )
  })

  it('stays quiet when versions agree, match the pins, or are not recorded', () => {
    expect(detectModelVersionSkew(ragChatTrace().build(), config)).toEqual([])
    const matching = traceConfigSchema.parse({ detectors: { versions: { expected: { models: { 'llama-3.1-70b-instruct': ['rev-1b7e0d2', 'rev-2f1c9a7'] } } } } })
    expect(detectModelVersionSkew(ragChatTrace().build(), matching)).toEqual([])
    expect(detectModelVersionSkew(withIndexer('bge-large-en-v1.5', '2024-02-rev-d4aa6901').build(), config)).toEqual([])
    const unversioned = withIndexer('bge-large-en-v1.5', '2024-06-rev-77e1c0b2').update('embedder', { attributes: { 'model.version': undefined } })
    expect(detectModelVersionSkew(unversioned.build(), config)).toEqual([])
    // a parse error before the out-of-step stage ran is not its consequence
    const earlier = ragChatTrace().update('router', { status: { code: 'error', message: 'could not parse label' } })
    expect(detectModelVersionSkew(earlier.build(), pinned)[0].failureClass).toBe('model-version-drift')
  })
})
