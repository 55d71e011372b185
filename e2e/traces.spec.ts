/**
 * A multi-model pipeline traced by the real OpenTelemetry JS SDK (HTTP/protobuf and HTTP/JSON exporters) reaches
 * Firebreak's OTLP receiver; in Chromium the trace view shows the stages, a model call's metadata and the detector
 * findings, and the trace can be pinned as a failure case.
 */
import { ROOT_CONTEXT, trace, type Span, type SpanContext } from '@opentelemetry/api'
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base'
import { expect, test, type APIRequestContext } from '@playwright/test'
import { signInAs } from './support/auth'
import { E2E } from './support/ports'

async function createOtlpToken(request: APIRequestContext): Promise<string> {
  const response = await request.post('/api/tokens', { data: { name: `otlp e2e ${Date.now()}`, kind: 'otlp' } })
  expect(response.status()).toBe(201)
  return (await response.json()).secret
}

/** One provider per service, as each process of a real pipeline has its own SDK and resource. */
function providerFor(service: string, exporter: SpanExporter) {
  return new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(exporter)] })
}

/** router → embedder → retriever → generator (stopped by max_tokens) → judge → post-processing */
async function sendPipelineTrace(exporter: () => SpanExporter): Promise<string> {
  const providers = ['rag-router', 'embedder', 'retriever', 'generator', 'judge', 'postprocess'].map((s) => [s, providerFor(s, exporter())] as const)
  const tracer = (service: string) => Object.fromEntries(providers)[service].getTracer('e2e-pipeline')
  const child = (parent: SpanContext) => trace.setSpanContext(ROOT_CONTEXT, parent)
  const t0 = Date.now() - 5_000
  const at = (ms: number) => new Date(t0 + ms)
  const root: Span = tracer('rag-router').startSpan('POST /chat', { startTime: at(0), attributes: { 'pipeline.stage': 'router', pipeline: 'rag-chat', 'routing.decision': 'generator:llama-3-70b-instruct', 'request.class': 'long-form' } })
  const embed = tracer('embedder').startSpan('embeddings bge-large-en', { startTime: at(10), attributes: { 'pipeline.stage': 'embedder', 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'bge-large-en', 'gen_ai.usage.input_tokens': 42 } }, child(root.spanContext()))
  embed.end(at(60))
  const retrieve = tracer('retriever').startSpan('retrieve top_k=20', { startTime: at(70), attributes: { 'pipeline.stage': 'retriever', 'retrieval.documents.count': 20 } }, child(root.spanContext()))
  retrieve.end(at(200))
  const generate = tracer('generator').startSpan('chat llama-3-70b-instruct', {
    startTime: at(210),
    attributes: {
      'pipeline.stage': 'generator',
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'vllm',
      'gen_ai.request.model': 'llama-3-70b-instruct',
      'gen_ai.response.model': 'llama-3-70b-instruct',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.usage.input_tokens': 3120,
      'gen_ai.usage.output_tokens': 256,
      'gen_ai.response.finish_reasons': ['length'],
    },
  }, child(root.spanContext()))
  generate.end(at(3_400))
  const judge = tracer('judge').startSpan('chat judge-8b', { startTime: at(3_410), attributes: { 'pipeline.stage': 'judge', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'judge-8b', 'gen_ai.response.finish_reasons': ['stop'] } }, child(root.spanContext()))
  judge.end(at(3_700))
  const post = tracer('postprocess').startSpan('format answer', { startTime: at(3_710), attributes: { 'pipeline.stage': 'post-processing' } }, child(root.spanContext()))
  post.end(at(3_750))
  root.end(at(3_800))
  for (const [, provider] of providers) {
    await provider.forceFlush()
    await provider.shutdown()
  }
  return root.spanContext().traceId
}

test('the SDK sends a pipeline trace over HTTP/protobuf and HTTP/JSON; the trace view shows stages, model metadata and findings', async ({ page }) => {
  test.setTimeout(120_000)
  await signInAs(page, 'admin')
  const token = await createOtlpToken(page.request)
  const headers = { authorization: `Bearer ${token}` }
  const url = `${E2E.appUrl}/v1/traces`
  const protoTrace = await sendPipelineTrace(() => new OtlpProtoExporter({ url, headers }))
  const jsonTrace = await sendPipelineTrace(() => new OtlpJsonExporter({ url, headers }))

  for (const traceId of [protoTrace, jsonTrace]) {
    const response = await page.request.get(`/api/traces/${traceId}`)
    expect(response.status(), `trace ${traceId}`).toBe(200)
    const body = await response.json()
    expect(body.spanCount).toBe(6)
    expect(body.findings.map((f: { failureClass: string }) => f.failureClass)).toContain('token-budget-exhaustion')
  }

  await page.goto('/traces')
  await page.getByTestId('trace-id-input').fill(` ${protoTrace.toUpperCase()} `)
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(new RegExp(`/traces/${protoTrace}`))
  const rows = page.getByTestId('waterfall-row')
  for (const stage of ['POST /chat', 'embeddings bge-large-en', 'retrieve top_k=20', 'chat llama-3-70b-instruct', 'chat judge-8b', 'format answer']) {
    await expect(rows.filter({ hasText: stage })).toHaveCount(1)
  }
  const finding = page.getByTestId('trace-findings').getByTestId('finding-token-budget')
  await expect(finding).toContainText('length')
  await expect(finding.getByRole('link', { name: 'runbook: token-budget-exhaustion' })).toHaveAttribute('href', '/runbooks/token-budget-exhaustion')

  await rows.filter({ hasText: 'chat llama-3-70b-instruct' }).click()
  const detail = page.getByTestId('span-detail')
  await expect(detail).toContainText('llama-3-70b-instruct')
  await expect(detail).toContainText('256')
  await expect(detail).toContainText('0.2')
  await expect(page).toHaveURL(/span=/)
  await page.screenshot({ path: test.info().outputPath('trace-view.png'), fullPage: true })

  // pin it as a case linked to an incident; the snapshot is the case's own and the incident lists it
  const incident = (await (await page.request.post('/api/incidents', { data: { title: 'Answers cut off on rag-chat', severity: 'SEV2' } })).json()).incident
  await page.getByRole('button', { name: 'Pin as case' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Title').fill('Answers cut off at 256 tokens')
  await dialog.getByLabel('Root-cause category').selectOption('token-budget-exhaustion')
  await dialog.getByLabel('Link incidents').fill(String(incident.number))
  await dialog.getByRole('button', { name: 'Pin as case' }).click()
  await dialog.getByRole('link', { name: /^Open CASE-\d+$/ }).click()
  await expect(page).toHaveURL(/\/cases\/\d+$/)
  await expect(page.getByRole('heading', { name: 'Answers cut off at 256 tokens' })).toBeVisible()
  await expect(page.getByTestId('waterfall-row').filter({ hasText: 'chat judge-8b' })).toHaveCount(1)
  await page.goto(`/incidents/${incident.number}`)
  await expect(page.getByTestId('incident-cases')).toContainText('Answers cut off at 256 tokens')
})
