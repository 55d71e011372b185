/**
 * The `traces` key of firebreak.config.json: which span attributes hold a model call's fields, what is redacted before a
 * trace is shown or pinned, and the thresholds of the trace detectors. Every field has a default that works for
 * OpenTelemetry GenAI spans (and the older GenAI and OpenInference names); a team maps its own names here.
 */
import { z } from 'zod'
import { getFileConfig } from '@/lib/config'

const attributeName = z.string().min(1).max(200)

/** Candidate attribute names for one field: the first one a span (then its resource) carries wins. */
function names(defaults: string[]) {
  return z.array(attributeName).max(20).default(defaults)
}

/**
 * Where each model-call field is read from. A list replaces its default, so keep the OTel name in it when some services
 * still send that. Names after the OTel GenAI ones are older GenAI names (gen_ai.system, prompt_tokens, gen_ai.prompt),
 * OpenInference names (llm.*, input.value) and Firebreak's own for what the GenAI conventions do not cover (seed 000):
 * pipeline.*, model.*, routing.*.
 */
export const modelCallAttributesSchema = z
  .object({
    /** router, embedder, retriever, generator, judge, post-processing, or a team's own stage names */
    stage: names(['pipeline.stage']),
    operation: names(['gen_ai.operation.name', 'openinference.span.kind']),
    model: names(['gen_ai.request.model', 'llm.request.model_name', 'llm.model_name', 'embedding.model_name']),
    responseModel: names(['gen_ai.response.model', 'llm.response.model_name']),
    provider: names(['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system']),
    /** the weights' version: a registry version, a Hugging Face revision (seed 000: "the specific model version") */
    modelVersion: names(['model.version', 'model.revision']),
    quantization: names(['model.quantization']),
    loraAdapter: names(['model.lora_adapter']),
    temperature: names(['gen_ai.request.temperature']),
    topP: names(['gen_ai.request.top_p']),
    maxTokens: names(['gen_ai.request.max_tokens']),
    /** the served context length (vLLM max_model_len); `modelContextWindows` is used when spans do not carry it */
    contextWindow: names(['model.context_window', 'model.max_model_len']),
    inputTokens: names(['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt']),
    outputTokens: names(['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion']),
    finishReasons: names(['gen_ai.response.finish_reasons', 'gen_ai.completion.0.finish_reason']),
    prompt: names(['gen_ai.input.messages', 'gen_ai.prompt', 'input.value']),
    retrievedDocuments: names(['gen_ai.retrieval.documents', 'pipeline.retrieved_documents']),
    /** what the previous stage handed this one */
    upstreamOutput: names(['pipeline.upstream_output']),
    /** the model's output before post-processing (seed 000: capture it, post-processing is itself a failure source) */
    rawOutput: names(['pipeline.output.raw', 'gen_ai.output.messages', 'gen_ai.completion', 'output.value']),
    postProcessedOutput: names(['pipeline.output.processed']),
    /** the route a router or classifier chose */
    routingDecision: names(['routing.decision']),
    /** the signals behind it: a map (or JSON object), and every attribute under `<name>.` */
    routingSignals: names(['routing.signals']),
    /** the class of the request the route is checked against; read from the routing span or one of its ancestors */
    requestClass: names(['routing.request_class']),
    /** set by an application that cut the prompt to fit (runbook context-window-overflow) */
    promptTruncated: names(['pipeline.prompt.truncated', 'app.prompt.truncated']),
  })
  .strict()
export type ModelCallField = keyof z.infer<typeof modelCallAttributesSchema>

/**
 * An attribute key or a glob: `*` stands for any run of characters, dots included; matching ignores case so a
 * redaction list errs towards redacting.
 */
const keyPattern = z.string().min(1).max(200)

export const redactSchema = z
  .object({
    /**
     * Attributes whose whole value is replaced: end-user identity (OTel enduser.* and user.*, and the usual ad-hoc names)
     * and credentials that instrumentations capture from headers. Nested map values are matched by their dotted path.
     */
    attributes: z
      .array(keyPattern)
      .default([
        'enduser.*',
        'user.*',
        'user_id',
        'userId',
        '*.user_id',
        '*email*',
        'http.request.header.authorization',
        'http.request.header.proxy-authorization',
        'http.request.header.cookie',
        'http.request.header.x-api-key',
        'http.response.header.set-cookie',
        '*api_key',
        '*password*',
        '*secret*',
      ]),
    /**
     * Attributes (span, resource and event) in whose string values e-mail addresses are replaced, the rest kept.
     * `otel.status_description` stands for the span's status message. Default: every value, since prompts, tool
     * results and error messages quote users freely and a pinned case outlives the tracing backend's retention.
     */
    emailsIn: z.array(keyPattern).default(['*']),
    /**
     * Replace prompts and outputs whole (the mapped prompt, raw/post-processed/upstream output and retrieved documents
     * attributes, system instructions, retrieval query, tool arguments and results). Off by default: seed 000's offline
     * replay needs each model's input exactly as it was received; turn it on where prompts must not leave the system.
     */
    prompts: z.boolean().default(false),
  })
  .strict()

const share = z.number().gt(0).lte(1)
const tokens = z.number().int().positive()
const stageName = z.string().min(1).max(100)
const versionList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]))

export const detectorsSchema = z
  .object({
    tokenBudget: z
      .object({
        /** finish reasons that mean "stopped by the output cap": OpenAI/vLLM `length`, Anthropic and Gemini `max_tokens` */
        finishReasons: z.array(z.string().min(1)).default(['length', 'max_tokens']),
        /** over many traces, the length-terminated share above which max_tokens needs adjusting (seed 003: 5 %) */
        lengthTerminatedShare: share.default(0.05),
      })
      .strict()
      .prefault({}),
    contextWindow: z
      .object({
        /** prompt tokens at or over this share of the context window are flagged (at or over 100 %: critical) */
        share: share.default(0.9),
      })
      .strict()
      .prefault({}),
    timeout: z
      .object({
        /** matched (case-insensitive substring) against the status message, error.type and exception events */
        patterns: z.array(z.string().min(1)).default(['timeout', 'timed out', 'deadline']),
        /** HTTP answers that mean a gateway or server gave up: 408 Request Timeout, 504 Gateway Timeout */
        httpStatusCodes: z.array(z.number().int()).default([408, 504]),
        /** finish reasons of a generation cut off from outside: vLLM `abort` when the client went away */
        finishReasons: z.array(z.string().min(1)).default(['abort']),
        /**
         * A stage that ran this long without finishing on its own is taken as timed out: the 60 s of nginx's
         * proxy_read_timeout and an AWS ALB's idle timeout (runbook timeout-partial-results). null: no duration rule.
         */
        stageTimeoutMs: z.number().int().positive().nullable().default(60_000),
        /** per stage, when a stage has its own budget (a retriever's 2 s) */
        stageTimeoutsMs: z.record(stageName, z.number().int().positive()).default({}),
      })
      .strict()
      .prefault({}),
    versions: z
      .object({
        /** the pinned release set: by model name (as in gen_ai.request.model) and by stage, one version or several */
        expected: z
          .object({
            models: z.record(z.string().min(1), versionList).default({}),
            stages: z.record(stageName, versionList).default({}),
          })
          .strict()
          .prefault({}),
        /**
         * Stages that must run the same model at the same version, e.g. the embedder that built the index and the one
         * that embeds the query: vectors from different embedders are not comparable.
         */
        agreeingStages: z.array(z.array(stageName).min(2)).default([['indexer', 'embedder']]),
        /** an error matching one of these after an out-of-step stage makes it contract skew, not silent drift */
        parseErrorPatterns: z
          .array(z.string().min(1))
          .default(['parse', 'validation', 'schema', 'decode', 'unexpected token', 'malformed', 'invalid json', 'unprocessable']),
      })
      .strict()
      .prefault({}),
    routing: z
      .object({
        /** request class -> the routes allowed for it (globs), e.g. { "code": ["codegen-*"], "billing": ["support-llm"] } */
        rules: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).default({}),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export const traceConfigSchema = z
  .object({
    attributes: modelCallAttributesSchema.prefault({}),
    /** gen_ai.operation.name (or OpenInference span kind) values that make a span a model call, compared ignoring case */
    modelCallOperations: z
      .array(z.string().min(1))
      .default(['chat', 'text_completion', 'generate_content', 'embeddings', 'retrieval', 'llm', 'embedding', 'retriever', 'reranker']),
    /** the stage of a model call that names none, by its operation (lowercase) */
    stageByOperation: z
      .record(z.string().min(1), stageName)
      .default({ embeddings: 'embedder', embedding: 'embedder', retrieval: 'retriever', retriever: 'retriever', reranker: 'reranker' }),
    /** context window in tokens by model name, for spans that do not carry their own (vLLM's max_model_len) */
    modelContextWindows: z.record(z.string().min(1), tokens).default({}),
    redact: redactSchema.prefault({}),
    detectors: detectorsSchema.prefault({}),
  })
  .strict()
export type TraceConfig = z.infer<typeof traceConfigSchema>

export const DEFAULT_TRACE_CONFIG: TraceConfig = traceConfigSchema.parse({})

export function getTraceConfig(): TraceConfig {
  return getFileConfig().traces
}

/** A key pattern of this configuration as a test: exact or glob (`*` = any characters), ignoring case. */
export function keyMatcher(patterns: string[]): (key: string) => boolean {
  if (patterns.length === 0) return () => false
  const source = patterns.map((p) => p.split('*').map(escapeRegExp).join('.*')).join('|')
  const regex = new RegExp(`^(?:${source})$`, 'i')
  return (key) => regex.test(key)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
}
