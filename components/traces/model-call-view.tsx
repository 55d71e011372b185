'use client'
import type { ReactNode } from 'react'
import type { ModelCall } from '@/lib/traces/model'
import { AttributeTable } from './attributes'
import { CopyButton } from './copy-button'
import { formatCount } from './format'
import { contextShare, modelCallNotes } from './model-call'

function NotRecorded() {
  return <span className="muted">not recorded</span>
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children ?? <NotRecorded />}</dd>
    </>
  )
}

const text = (value: string | number | undefined) => (value === undefined || value === '' ? null : <span className="mono">{value}</span>)

/** A long text (a prompt, an output) in a scrollable block with its size and a copy button. */
export function TextBlock({ title, value, testId }: { title: string; value: string | undefined; testId?: string }) {
  return (
    <div className="trace-text" data-testid={testId}>
      <div className="trace-text-head">
        <h4>{title}</h4>
        {value !== undefined ? (
          <>
            <span className="muted small">{formatCount(value.length)} characters</span>
            <CopyButton value={value} what={title.toLowerCase()} />
          </>
        ) : null}
      </div>
      {value === undefined ? <p className="muted small">Not recorded on this span.</p> : value === '' ? <p className="muted small">Empty.</p> : <pre className="trace-pre">{value}</pre>}
    </div>
  )
}

/** A model was called here (not a retrieval or post-processing stage that only carries a pipeline.stage). */
export function isModelInvocation(call: ModelCall): boolean {
  return call.model !== undefined || call.inputTokens !== undefined || call.outputTokens !== undefined || call.finishReasons !== undefined || call.temperature !== undefined || call.maxTokens !== undefined
}

function Routing({ call }: { call: ModelCall }) {
  return (
    <>
      <h3>Routing decision</h3>
      <p data-testid="routing-decision">{call.routingDecision ? <strong className="mono">{call.routingDecision}</strong> : <NotRecorded />}</p>
      {call.routingSignals && Object.keys(call.routingSignals).length ? <AttributeTable attributes={call.routingSignals} label="Routing signals" /> : <p className="muted small">No routing signals recorded.</p>}
    </>
  )
}

function Documents({ documents }: { documents: string[] | undefined }) {
  return (
    <div className="trace-text">
      <div className="trace-text-head">
        <h4>Retrieved documents</h4>
        {documents ? <span className="muted small">{documents.length}</span> : null}
      </div>
      {documents === undefined ? (
        <p className="muted small">Not recorded on this span.</p>
      ) : documents.length === 0 ? (
        <p className="muted small">None: no retrieved context.</p>
      ) : (
        <ol className="trace-documents">
          {documents.map((doc, k) => <li key={k}><pre className="trace-pre small">{doc}</pre></li>)}
        </ol>
      )}
    </div>
  )
}

/**
 * What a debugger needs from one model call (seed 000: input context, model metadata, raw and post-processed output,
 * routing decision; seed 003: tokens, finish reason, context window). A field the span does not carry says "not
 * recorded", so a gap in the instrumentation is visible instead of silently absent.
 */
export function ModelCallView({ call }: { call: ModelCall }) {
  const notes = modelCallNotes(call)
  const share = contextShare(call)
  const hasRouting = call.routingDecision !== undefined || (call.routingSignals && Object.keys(call.routingSignals).length > 0)
  // A stage that calls no model (retrieval, post-processing) shows what it recorded, without a wall of "not recorded".
  const isInvocation = isModelInvocation(call)
  if (!isInvocation) {
    return (
      <section className="trace-model-call" aria-label="Pipeline stage" data-testid="model-call">
        {notes.length ? <ul className="trace-notes">{notes.map((n) => <li key={n.text} className={n.tone}>{n.text}</li>)}</ul> : null}
        {hasRouting ? <Routing call={call} /> : null}
        {call.prompt !== undefined ? <TextBlock title="Input" value={call.prompt} /> : null}
        {call.retrievedDocuments !== undefined ? <Documents documents={call.retrievedDocuments} /> : null}
        {call.upstreamOutput !== undefined ? <TextBlock title="Upstream output" value={call.upstreamOutput} /> : null}
        {call.rawOutput !== undefined || call.postProcessedOutput !== undefined ? (
          <>
            <h3>Output</h3>
            <div className="trace-outputs">
              <TextBlock title="Raw output" value={call.rawOutput} testId="model-raw-output" />
              <TextBlock title="Post-processed" value={call.postProcessedOutput} testId="model-post-processed" />
            </div>
          </>
        ) : null}
      </section>
    )
  }
  return (
    <section className="trace-model-call" aria-label="Model call" data-testid="model-call">
      {notes.length ? (
        <ul className="trace-notes">
          {notes.map((n) => <li key={n.text} className={n.tone}>{n.text}</li>)}
        </ul>
      ) : null}

      {hasRouting || call.stage === 'router' ? <Routing call={call} /> : null}

      <div className="trace-model-facts">
        <div>
          <h3>Model</h3>
          <dl className="kv trace-kv" data-testid="model-metadata">
            <Fact term="Model">{text(call.model)}</Fact>
            <Fact term="Version">{text(call.modelVersion)}</Fact>
            {call.provider ? <Fact term="Provider">{text(call.provider)}</Fact> : null}
            <Fact term="Quantization">{text(call.quantization)}</Fact>
            <Fact term="LoRA adapter">{call.loraAdapter ? text(call.loraAdapter) : <span className="muted">none recorded</span>}</Fact>
          </dl>
        </div>
        <div>
          <h3>Sampling</h3>
          <dl className="kv trace-kv" data-testid="model-sampling">
            <Fact term="Temperature">{text(call.temperature)}</Fact>
            <Fact term="top_p">{text(call.topP)}</Fact>
            <Fact term="max_tokens">{text(call.maxTokens)}</Fact>
            {call.contextWindow ? <Fact term="Context window">{text(formatCount(call.contextWindow))}</Fact> : null}
          </dl>
        </div>
        <div>
          <h3>Tokens and finish</h3>
          <dl className="kv trace-kv" data-testid="model-tokens">
            <Fact term="Input tokens">{call.inputTokens !== undefined ? text(formatCount(call.inputTokens)) : null}</Fact>
            <Fact term="Output tokens">{call.outputTokens !== undefined ? text(formatCount(call.outputTokens)) : null}</Fact>
            {share !== null ? <Fact term="Context used">{text(`${Math.round(share * 100)} %`)}</Fact> : null}
            <Fact term="Finish reason">{call.finishReasons?.length ? text(call.finishReasons.join(', ')) : null}</Fact>
          </dl>
        </div>
      </div>

      <h3>Input</h3>
      <TextBlock title="Prompt" value={call.prompt} testId="model-prompt" />
      <Documents documents={call.retrievedDocuments} />
      {call.upstreamOutput !== undefined ? <TextBlock title="Upstream output" value={call.upstreamOutput} /> : null}

      <h3>Output</h3>
      <div className="trace-outputs">
        <TextBlock title="Raw output" value={call.rawOutput} testId="model-raw-output" />
        <TextBlock title="Post-processed" value={call.postProcessedOutput} testId="model-post-processed" />
      </div>
    </section>
  )
}
