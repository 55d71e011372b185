/**
 * What a model-call span tells a debugger (seeds 000 and 003), read through the configured attribute names: OpenTelemetry
 * GenAI first, then older and other conventions, then Firebreak's names for what GenAI lacks. Values arrive in whatever
 * shape a backend kept them: Jaeger turns arrays into JSON strings, some SDKs send numbers as strings.
 */
import type { AttributeValue, Attributes, ModelCall, TraceSpan } from './model'
import type { ModelCallField, TraceConfig } from './config'

/** The raw value of a mapped field: the first configured name the span carries, then the first its resource carries. */
export function mappedValue(span: TraceSpan, config: TraceConfig, field: ModelCallField): AttributeValue | undefined {
  const keys = config.attributes[field]
  for (const source of [span.attributes, span.resource]) {
    for (const key of keys) {
      const value = source[key]
      if (value !== undefined && value !== null && value !== '') return value
    }
  }
  return undefined
}

export function mappedString(span: TraceSpan, config: TraceConfig, field: ModelCallField): string | undefined {
  return asText(mappedValue(span, config, field))
}

/** true, "true" or 1 */
export function mappedFlag(span: TraceSpan, config: TraceConfig, field: ModelCallField): boolean {
  const value = mappedValue(span, config, field)
  return value === true || value === 1 || (typeof value === 'string' && value.trim().toLowerCase() === 'true')
}

function operationOf(span: TraceSpan, config: TraceConfig): string | undefined {
  return mappedString(span, config, 'operation')?.toLowerCase()
}

/**
 * A span is a model call (or a pipeline stage) when it names its stage or model, or its GenAI operation is one of
 * `modelCallOperations`. Agent and tool spans (invoke_agent, execute_tool) are not: they wrap model calls.
 */
export function isModelCall(span: TraceSpan, config: TraceConfig): boolean {
  if (mappedValue(span, config, 'stage') !== undefined) return true
  if (mappedValue(span, config, 'model') !== undefined || mappedValue(span, config, 'responseModel') !== undefined) return true
  const operation = operationOf(span, config)
  return operation !== undefined && config.modelCallOperations.some((o) => o.toLowerCase() === operation)
}

/** The model call of a span, or null when it is neither a model call nor a pipeline stage. Fields absent stay absent. */
export function modelCallOf(span: TraceSpan, config: TraceConfig): ModelCall | null {
  if (!isModelCall(span, config)) return null
  const text = (field: ModelCallField) => mappedString(span, config, field)
  const number = (field: ModelCallField) => asNumber(mappedValue(span, config, field))
  const operation = operationOf(span, config)
  const model = text('model')
  const responseModel = text('responseModel')
  const fields: ModelCall = {
    stage: text('stage') ?? (operation ? config.stageByOperation[operation] : undefined),
    model: model ?? responseModel,
    // Hosted APIs answer the dated snapshot they served (gpt-4o -> gpt-4o-2024-08-06): that is the version in use.
    modelVersion: text('modelVersion') ?? (model && responseModel && responseModel !== model ? responseModel : undefined),
    provider: text('provider'),
    quantization: text('quantization'),
    loraAdapter: text('loraAdapter'),
    temperature: number('temperature'),
    topP: number('topP'),
    maxTokens: number('maxTokens'),
    contextWindow: number('contextWindow'),
    inputTokens: number('inputTokens'),
    outputTokens: number('outputTokens'),
    finishReasons: asList(mappedValue(span, config, 'finishReasons')),
    prompt: text('prompt'),
    retrievedDocuments: asList(mappedValue(span, config, 'retrievedDocuments')),
    upstreamOutput: text('upstreamOutput'),
    rawOutput: text('rawOutput'),
    postProcessedOutput: text('postProcessedOutput'),
    routingDecision: text('routingDecision'),
    routingSignals: routingSignalsOf(span, config),
  }
  // absent fields stay absent (no undefined-valued keys), so a ModelCall serialises and compares as what the span said
  const call: ModelCall = {}
  for (const key of Object.keys(fields) as (keyof ModelCall)[]) if (fields[key] !== undefined) (call as Record<string, unknown>)[key] = fields[key]
  return call
}

/** The context window of a call: its own attribute, else `modelContextWindows` by model name. */
export function contextWindowOf(call: ModelCall, config: TraceConfig): number | undefined {
  return call.contextWindow ?? (call.model !== undefined ? config.modelContextWindows[call.model] : undefined)
}

function routingSignalsOf(span: TraceSpan, config: TraceConfig): Attributes | undefined {
  const signals: Attributes = {}
  for (const name of config.attributes.routingSignals) {
    for (const source of [span.resource, span.attributes]) {
      const whole = source[name]
      const parsed = typeof whole === 'string' ? parseJson(whole) : whole
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(signals, parsed)
      const prefix = `${name}.`
      for (const [key, value] of Object.entries(source)) if (key.startsWith(prefix)) signals[key.slice(prefix.length)] = value
    }
  }
  return Object.keys(signals).length ? signals : undefined
}

function asText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

function asNumber(value: AttributeValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    return Number.isFinite(n) ? n : undefined
  }
  return undefined
}

/** string[] attributes, their JSON-string form (Jaeger), or a single value; objects (retrieved documents) as JSON */
function asList(value: AttributeValue | undefined): string[] | undefined {
  if (value === undefined || value === null) return undefined
  let items: AttributeValue[]
  if (Array.isArray(value)) items = value
  else if (typeof value === 'string' && value.trim().startsWith('[')) {
    const parsed = parseJson(value)
    items = Array.isArray(parsed) ? parsed : [value]
  } else items = [value]
  const list = items.map(asText).filter((s): s is string => s !== undefined)
  return list.length ? list : undefined
}

function parseJson(text: string): AttributeValue | undefined {
  try {
    return JSON.parse(text) as AttributeValue
  } catch {
    return undefined
  }
}
