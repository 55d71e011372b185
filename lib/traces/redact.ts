/**
 * Redaction before a trace is shown or pinned as a case: configured attributes (span, resource, event) lose their value,
 * e-mail addresses are cut out of the free text of the others, and, when `redact.prompts` is on, prompts and outputs go
 * too. Pure: the input trace is never changed.
 */
import type { AttributeValue, Attributes, Trace, TraceSpan } from './model'
import { keyMatcher, type TraceConfig } from './config'

export const REDACTED = '[redacted]'

/** The pseudo-key a span's status message is matched under (Jaeger's tag name for it). */
const STATUS_MESSAGE_KEY = 'otel.status_description'

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g

/** Free-text GenAI attributes that `redact.prompts` removes besides the mapped prompt and output fields. */
const PROMPT_ATTRIBUTES = ['gen_ai.system_instructions', 'gen_ai.retrieval.query.text', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result']

interface Rules {
  whole: (key: string) => boolean
  emails: (key: string) => boolean
}

function rulesOf(config: TraceConfig): Rules {
  const whole = [...config.redact.attributes]
  if (config.redact.prompts) {
    const a = config.attributes
    whole.push(...a.prompt, ...a.rawOutput, ...a.postProcessedOutput, ...a.upstreamOutput, ...a.retrievedDocuments, ...PROMPT_ATTRIBUTES)
  }
  return { whole: keyMatcher(whole), emails: keyMatcher(config.redact.emailsIn) }
}

export function redactTrace(trace: Trace, config: TraceConfig): Trace {
  const rules = rulesOf(config)
  return { ...trace, spans: trace.spans.map((span) => redactWith(span, rules)) }
}

export function redactSpan(span: TraceSpan, config: TraceConfig): TraceSpan {
  return redactWith(span, rulesOf(config))
}

function redactWith(span: TraceSpan, rules: Rules): TraceSpan {
  const status = { ...span.status }
  if (status.message !== undefined) {
    if (rules.whole(STATUS_MESSAGE_KEY)) status.message = REDACTED
    else if (rules.emails(STATUS_MESSAGE_KEY)) status.message = scrubEmails(status.message)
  }
  return {
    ...span,
    status,
    attributes: redactAttributes(span.attributes, rules),
    resource: redactAttributes(span.resource, rules),
    events: span.events.map((event) => ({ ...event, attributes: redactAttributes(event.attributes, rules) })),
    links: span.links.map((link) => ({ ...link })),
    ...(span.scope ? { scope: { ...span.scope } } : {}),
  }
}

function redactAttributes(attributes: Attributes, rules: Rules, prefix = ''): Attributes {
  const out: Attributes = {}
  for (const [key, value] of Object.entries(attributes)) out[key] = redactValue(`${prefix}${key}`, value, rules)
  return out
}

function redactValue(path: string, value: AttributeValue, rules: Rules): AttributeValue {
  if (rules.whole(path)) return REDACTED
  if (Array.isArray(value)) return value.map((item) => redactValue(path, item, rules))
  if (value !== null && typeof value === 'object') return redactAttributes(value, rules, `${path}.`)
  if (typeof value === 'string' && rules.emails(path)) return scrubEmails(value)
  return value
}

export function scrubEmails(text: string): string {
  return text.replace(EMAIL, REDACTED)
}
