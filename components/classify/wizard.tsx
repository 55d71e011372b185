'use client'
import { useMutation, useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { useRouter, useSearchParams } from 'next/navigation'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { ApiError, callApi } from '@/components/api-client'
import { Time } from '@/components/ui/time'
import { formatEvidence } from '@/lib/classify/format'
import type { RecordedEvidence } from '@/lib/classify/record'
import type { Step } from '@/lib/classify/rules'
import type { WizardStep } from '@/lib/classify/service'
import { ERROR_STATE_LABELS, FAILURE_CLASSES, type ErrorState } from '@/lib/taxonomy'
import { Sparkline } from './sparkline'

const STEP_TITLES: Record<Step, string> = { errorState: 'Error state', pathway: 'Pathway', failureClass: 'Failure class' }
const STEP_QUESTIONS: Record<Step, string> = {
  errorState: 'What state is the system in? Classify the state before diagnosing the cause.',
  pathway: 'Along which pathway does the failure travel?',
  failureClass: 'Which failure class is it? Its runbook opens next, on this incident.',
}
const PATHWAY_LABELS: Record<string, string> = {
  infrastructure: 'Infrastructure: GPUs, memory, nodes, storage, capacity',
  integration: 'Integration: routing, queues, timeouts, contracts between stages',
  model: 'Model: what the model was given or how it answers',
  data: 'Data: inputs, features and their distribution',
  security: 'Security: abuse of the model or its endpoint',
}
const STEPS: Step[] = ['errorState', 'pathway', 'failureClass']
const DONT_KNOW = '__dont_know__'

export function answerLabel(step: Step, answer: string): string {
  if (step === 'errorState') return ERROR_STATE_LABELS[answer as ErrorState] ?? answer
  if (step === 'pathway') return PATHWAY_LABELS[answer] ?? answer
  return FAILURE_CLASSES.find((c) => c.id === answer)?.title ?? answer
}

function pct(n: number): string {
  return `${Math.round(n * 100)} %`
}


interface Decided {
  step: Step
  answer: string | null
  gatherId?: string
}

/** Which evidence a step showed, per browser tab, so the decision records exactly that (see the gather ids). */
function gatherKey(number: number, step: Step, errorState?: string, pathway?: string): string {
  return `firebreak:classify:${number}:${step}:${errorState ?? ''}:${pathway ?? ''}`
}
function readGatherId(key: string): string | undefined {
  try {
    return sessionStorage.getItem(key) ?? undefined
  } catch {
    return undefined
  }
}

/**
 * The wizard. The answers confirmed so far live in the address (?errorState=…&pathway=…), so a reload keeps them, Back
 * goes to the previous step, and a link pasted in the incident channel opens the same step.
 */
export function ClassifyWizard(props: { number: number; title: string; currentRevision: number; canWrite: boolean }) {
  const router = useRouter()
  const search = useSearchParams()
  const errorState = search.get('errorState') ?? undefined
  const pathway = errorState ? (search.get('pathway') ?? undefined) : undefined
  const answered: Decided[] = [
    ...(errorState ? [{ step: 'errorState' as const, answer: errorState }] : []),
    ...(pathway ? [{ step: 'pathway' as const, answer: pathway }] : []),
  ]
  const [final, setFinal] = useState<Decided[] | null>(null)
  const stepIndex = answered.length
  const step = STEPS[stepIndex]
  const params = new URLSearchParams({ step, ...(errorState ? { errorState } : {}), ...(pathway ? { pathway } : {}) })
  const [refreshes, setRefreshes] = useState(0)
  const gathered = useQuery({
    queryKey: ['classify', props.number, step, errorState ?? '', pathway ?? '', refreshes],
    queryFn: () => callApi<WizardStep>(`/api/incidents/${props.number}/classify?${params}`),
    staleTime: Infinity,
    retry: false,
  })
  const [choice, setChoice] = useState<string>('')
  const question = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (!gathered.data) return
    try {
      sessionStorage.setItem(gatherKey(props.number, step, errorState, pathway), gathered.data.gatherId)
    } catch {
      // private mode: the decision gathers the evidence again and says so
    }
    // no proposal: nothing is preselected, so one Enter cannot record "don't know" over an earlier answer
    setChoice(gathered.data.proposal.answer ?? '')
    question.current?.focus()
  }, [gathered.data, props.number, step, errorState, pathway])

  const [basedOn, setBasedOn] = useState(props.currentRevision)
  const record = useMutation({
    mutationFn: (input: { steps: Decided[]; basedOnRevision: number }) =>
      callApi<{ revision: number; runbook: { href: string } }>(`/api/incidents/${props.number}/classification`, { method: 'POST', body: JSON.stringify(input) }),
    onSuccess: (result) => router.push(result.runbook.href),
  })
  const conflict = record.error instanceof ApiError && record.error.status === 409 ? (record.error.details as { currentRevision: number; failureClass: string | null; decidedByName: string | null } | undefined) : undefined

  function withGatherIds(steps: Decided[]): Decided[] {
    return steps.map((d) => {
      const prior = STEPS.slice(0, STEPS.indexOf(d.step))
      const es = prior.includes('errorState') ? steps.find((x) => x.step === 'errorState')?.answer ?? undefined : undefined
      const pw = prior.includes('pathway') ? steps.find((x) => x.step === 'pathway')?.answer ?? undefined : undefined
      return d.gatherId ? d : { ...d, gatherId: readGatherId(gatherKey(props.number, d.step, es, pw)) }
    })
  }

  function confirm(event: FormEvent) {
    event.preventDefault()
    if (!gathered.data || !choice) return
    const answer = choice === DONT_KNOW ? null : choice
    const next: Decided[] = [...answered, { step, answer, gatherId: gathered.data.gatherId }]
    // "don't know" ends the wizard at the triage runbook; the third answer ends it at the class's runbook
    if (answer === null || next.length === 3) {
      setFinal(next)
      if (props.canWrite) record.mutate({ steps: withGatherIds(next), basedOnRevision: basedOn })
      return
    }
    const url = new URLSearchParams({ ...(errorState ? { errorState } : {}), [step]: answer })
    router.push(`/incidents/${props.number}/classify?${url}`)
  }

  function backHref(): string {
    const url = new URLSearchParams(pathway ? { errorState: errorState! } : {})
    return `/incidents/${props.number}/classify${url.size ? `?${url}` : ''}`
  }

  const data = gathered.data
  const done = final !== null
  const shownAnswers = final ?? answered
  const runbookOf = (steps: Decided[]) => {
    const cls = steps.find((d) => d.step === 'failureClass')?.answer
    return `/runbooks/${cls ?? 'triage'}?incident=${props.number}`
  }
  return (
    <div className="wizard">
      <header className="panel wizard-head">
        <p className="muted mono">
          <Link href={`/incidents/${props.number}`}>INC-{props.number}</Link> · {props.title}
        </p>
        <h1>Classify the incident</h1>
        <ol className="wizard-steps" aria-label="Steps">
          {STEPS.map((s, i) => {
            const d = shownAnswers[i]
            return (
              <li key={s} className={!done && i === stepIndex ? 'current' : i < shownAnswers.length ? 'done' : ''} aria-current={!done && i === stepIndex ? 'step' : undefined}>
                <span className="wizard-step-n">{i + 1}</span> {STEP_TITLES[s]}
                {d ? <span className="wizard-step-answer">: {d.answer === null ? "don't know" : answerLabel(s, d.answer).split(':')[0].split(' (')[0]}</span> : null}
              </li>
            )
          })}
        </ol>
        {answered.length > 0 && !done ? (
          <Link className="link-button" href={backHref()}>
            ← Back to {STEP_TITLES[STEPS[answered.length - 1]].toLowerCase()}
          </Link>
        ) : null}
        {props.currentRevision > 0 ? <p className="small muted">Already classified (revision {props.currentRevision}); confirming again records a new revision and keeps the history.</p> : null}
        {!props.canWrite ? <p className="small muted">Your role can look at the evidence but not record a classification.</p> : null}
      </header>

      {record.isError ? (
        <div className="alert error" role="alert">
          {record.error.message}{' '}
          {conflict ? (
            <>
              <Link href={`/incidents/${props.number}`}>See their classification</Link>{' '}
              <button
                type="button"
                disabled={record.isPending}
                onClick={() => {
                  setBasedOn(conflict.currentRevision)
                  record.mutate({ steps: withGatherIds(final ?? []), basedOnRevision: conflict.currentRevision })
                }}
              >
                Record mine as revision {conflict.currentRevision + 1}
              </button>
            </>
          ) : (
            <>
              Your answers are kept.{' '}
              <button type="button" onClick={() => record.mutate({ steps: withGatherIds(final ?? []), basedOnRevision: basedOn })} disabled={record.isPending}>
                Try again
              </button>
            </>
          )}
        </div>
      ) : null}

      {done && !props.canWrite ? (
        <section className="panel">
          You answered every step. Someone with the responder role can record it; the runbook is <Link href={runbookOf(final!)}>here</Link>.
        </section>
      ) : done ? (
        record.isError ? null : (
          <section className="panel wizard-loading" aria-busy="true" role="status">
            <span className="spinner" aria-hidden="true" /> Recording the classification and opening the runbook…
          </section>
        )
      ) : gathered.isPending ? (
        <section className="panel wizard-loading" aria-busy="true" role="status">
          <span className="spinner" aria-hidden="true" /> Gathering evidence for step {stepIndex + 1} ({STEP_TITLES[step].toLowerCase()}) from alerts, metrics and traces…
        </section>
      ) : gathered.isError ? (
        <section className="panel">
          <div className="alert error" role="alert">Could not gather the evidence: {gathered.error.message}</div>
          <button type="button" onClick={() => gathered.refetch()}>Try again</button>
        </section>
      ) : data ? (
        <>
          <section className="panel wizard-question" aria-labelledby="question">
            <h2 id="question" ref={question} tabIndex={-1}>
              Step {stepIndex + 1} of 3: {STEP_TITLES[step]}
            </h2>
            <p>{STEP_QUESTIONS[step]}</p>
            <p className="small muted" data-testid="wizard-window">
              Evidence from <Time iso={data.window.start} /> to <Time iso={data.window.end} />
              {data.scope.pipeline ? <> for pipeline <b>{data.scope.pipeline}</b></> : ' (no pipeline: fleet-wide)'}
              {data.scope.nodes.length ? <>, nodes {data.scope.nodes.join(', ')}</> : null}
              {data.scope.pods.length ? <>, {data.scope.pods.length} pods</> : null}. Gathered in {(data.elapsedMs / 1000).toFixed(1)} s.{' '}
              <button type="button" className="link-button" onClick={() => setRefreshes((n) => n + 1)} disabled={gathered.isFetching}>
                {gathered.isFetching ? 'Gathering…' : 'Gather again'}
              </button>
            </p>
            {(['metrics', 'traces'] as const).map((b) =>
              data.backends[b].state === 'down' || data.backends[b].state === 'timeout' ? (
                <div key={b} className="alert warn" role="status" data-testid={`backend-${b}`}>
                  {data.backends[b].detail}
                  {data.downSince[b] ? <> (down since <Time iso={data.downSince[b]!} />)</> : null}. Its evidence is missing below and the confidence is lowered accordingly.
                </div>
              ) : null,
            )}
            <div className="wizard-proposal" data-testid="proposal">
              {data.proposal.answer ? (
                <>
                  <strong>Proposed: {answerLabel(step, data.proposal.answer)}</strong> <span className="chip">{pct(data.proposal.confidence)} confidence</span>
                  <ul className="small">
                    {data.proposal.ranked[0]?.reasons.map((r) => (
                      <li key={`${r.ruleId}-${r.effect}`}>{r.text}</li>
                    ))}
                  </ul>
                </>
              ) : (
                <>
                  <strong>No proposal: {data.proposal.dontKnow?.text}</strong>
                </>
              )}
            </div>
            <form onSubmit={confirm} className="wizard-form">
              <fieldset>
                <legend>Your answer</legend>
                {data.allowed.map((a) => {
                  const ranked = data.proposal.ranked.find((r) => r.answer === a)
                  return (
                    <label key={a} className={`wizard-option${ranked ? '' : ' no-evidence'}`}>
                      <input type="radio" name="answer" value={a} checked={choice === a} onChange={() => setChoice(a)} />
                      <span>{answerLabel(step, a)}</span>
                      {ranked ? (
                        <span className="wizard-score" title={`support ${ranked.support}, against ${ranked.against}`}>
                          <span className="share-bar"><span className="share-bar-fill" style={{ width: `${Math.round(ranked.confidence * 100)}%` }} /></span> {pct(ranked.confidence)}
                        </span>
                      ) : (
                        <span className="muted small">{data.answersWithRules.includes(a) ? 'no evidence' : 'no evidence rules yet: judge from the runbook'}</span>
                      )}
                    </label>
                  )
                })}
                <label className="wizard-option">
                  <input type="radio" name="answer" value={DONT_KNOW} checked={choice === DONT_KNOW} onChange={() => setChoice(DONT_KNOW)} />
                  <span>Don&apos;t know: go to the triage runbook</span>
                </label>
              </fieldset>
              <button type="submit" className="primary" disabled={!choice || record.isPending}>
                {record.isPending ? 'Recording…' : choice === DONT_KNOW ? "Record don't know and open triage" : stepIndex === 2 ? 'Confirm and open the runbook' : `Confirm ${STEP_TITLES[step].toLowerCase()}`}
              </button>
              {choice && data.proposal.answer && choice !== data.proposal.answer && choice !== DONT_KNOW ? <span className="small muted"> You are overriding the proposal; the timeline will say so.</span> : null}
            </form>
          </section>
          <EvidenceTable step={data} />
        </>
      ) : null}
    </div>
  )
}

function statusLabel(e: RecordedEvidence): string {
  return e.status === 'holds' ? 'holds' : e.status === 'doesNotHold' ? 'does not hold' : 'missing'
}

function EvidenceTable({ step }: { step: WizardStep }) {
  const charts = new Map(step.charts.map((c) => [c.ruleId, c.points]))
  const spans = new Map(step.spans.map((s) => [s.ruleId, s]))
  const order = { holds: 0, doesNotHold: 1, missing: 2 }
  // evidence about answers the earlier steps ruled out goes below, folded
  const bears = (e: RecordedEvidence) => (e.answers ?? []).some((a) => step.allowed.includes(a))
  const sorted = [...step.evidence].sort((a, b) => order[a.status] - order[b.status])
  const rows = sorted.filter(bears)
  const others = sorted.filter((e) => !bears(e))
  const gaps = [...step.notes, ...step.proposal.missing]
  return (
    <section className="panel" aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">Evidence</h2>
      <table className="evidence-table" data-testid="evidence">
        <thead>
          <tr>
            <th scope="col">Signal</th>
            <th scope="col">Value</th>
            <th scope="col">Threshold</th>
            <th scope="col">Status</th>
            <th scope="col">Bears on</th>
            <th scope="col">Over the window</th>
          </tr>
        </thead>
        <EvidenceRows rows={rows} charts={charts} spans={spans} />
      </table>
      {others.length ? (
        <details className="evidence-others">
          <summary>{others.length} more signals about answers the earlier steps ruled out</summary>
          <table className="evidence-table">
            <EvidenceRows rows={others} charts={charts} spans={spans} />
          </table>
        </details>
      ) : null}
      {gaps.length ? (
        <>
          <h3>What is missing</h3>
          <ul className="small" data-testid="missing">
            {gaps.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}

function EvidenceRows({ rows, charts, spans }: { rows: RecordedEvidence[]; charts: Map<string, [number, number][]>; spans: Map<string, WizardStep['spans'][number]> }) {
  return (
        <tbody>
          {rows.map((e) => {
            const span = spans.get(e.ruleId)
            const points = charts.get(e.ruleId)
            return (
              <tr key={e.ruleId} className={`evidence-${e.status}`} data-rule={e.ruleId}>
                <td>
                  {e.title}
                  <div className="small muted">{e.source}{e.query ? <> · <code title={e.query}>{e.query.length > 80 ? `${e.query.slice(0, 80)}…` : e.query}</code></> : null}</div>
                </td>
                <td className="mono">{formatEvidence(e.value, e.unit)}</td>
                <td className="mono">
                  {e.comparison} {formatEvidence(e.threshold, e.unit)}
                </td>
                <td>{statusLabel(e)}</td>
                <td className="small">{e.effects.join('; ')}</td>
                <td>
                  {points && points.length > 1 ? <Sparkline points={points} threshold={e.threshold} label={e.title} /> : null}
                  {span ? (
                    <Link href={`/traces/${span.traceId}${span.spanId ? `?span=${span.spanId}` : ''}`} className="small">
                      {span.title}
                    </Link>
                  ) : null}
                </td>
              </tr>
            )
          })}
        </tbody>
  )
}
