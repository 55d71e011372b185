/**
 * The demo's follow-up, told through the running app's own API as the demo responder and editor would: the resolved
 * doc-qa incident (slow model loading, a day before the epoch) is classified with the wizard's proposals, and its
 * postmortem is written, given action items (one already overdue) and published. So the demo opens with a classified
 * incident, a postmortem, action items and a weekly review that has something to review; the live rag-chat and
 * summarizer incidents are left for the visitor to classify.
 *
 * Every step looks first and does only what is missing, so a rerun (or two launchers at once) adds nothing twice.
 * A failure is reported and the demo starts anyway.
 */
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { demoStory } from '@/lib/demo/story'
import { groupKeyOf } from '@/prisma/demo-incidents'
import { signIn } from './lib/sign-in'

interface Api {
  <T>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>
}

function client(url: string, cookie: string): Api {
  return async (path, init = {}) => {
    const response = await fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers: { cookie, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    const body = await response.json().catch(() => null)
    return { status: response.status, body }
  }
}

function ok<T>(result: { status: number; body: T }, what: string): T {
  if (result.status >= 300) throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body).slice(0, 300)}`)
  return result.body
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)

const SECTIONS = {
  impact: 'doc-qa answered 503 to every request for 75 minutes during the rollout: about 27,000 questions failed, all of them visible to users. No data was lost.',
  detection: 'ModelServerNotReady fired 10 minutes into the rollout. Nothing told us that the shared model store was the bottleneck: NFS read throughput was not on any dashboard, and the startup probes restarted the loading servers without anyone seeing why.',
  'root-cause': 'All replicas restarted at once and pulled 140 GB of weights each from one NFS export whose 1,250 MB/s is shared. Loading took over 30 minutes instead of 2, the startup probe restarted servers mid-load, and the old replicas were already gone.',
  trigger: 'A rollout of a new qwen2.5-32b build with maxUnavailable at 100 %.',
  resolution: 'The rollout was paused and restarted one replica at a time; each loaded in about 4 minutes and the gateway recovered at minute 75.',
  'went-well': 'The wizard put the incident in the loading state within a minute: silence before the first request, with storage at its ceiling.',
  'went-wrong': 'The startup probe budget (10 minutes) was shorter than a cold load from shared storage; each restart started the download again.',
  'got-lucky': 'The rollout happened on a Sunday, when doc-qa traffic is a third of a weekday.',
  lessons: 'A model server that never comes up is a storage and rollout problem before it is a model problem. Watch the model store’s throughput and stagger rollouts of large models.',
}

/** Runs after the app is up, in demo mode only. Returns what it did, in words. */
export async function tellDemoFollowUp(url: string, db: PrismaClient, epoch: Date): Promise<string> {
  const docQa = demoStory(epoch).find((p) => p.scenario.alerts[0]?.labels.pipeline === 'doc-qa')
  if (!docQa) return 'no doc-qa story'
  const incident = await db.incident.findFirst({ where: { groupKey: groupKeyOf(docQa) }, select: { number: true, classifiedAt: true, postmortem: { select: { number: true, status: true } } } })
  if (!incident) return 'the doc-qa incident is not there'
  if (incident.postmortem?.status === 'published') return 'already told'
  const rae = client(url, await signIn(url, 'responder@firebreak.demo', 'demo-responder-password'))
  const done: string[] = []

  if (!incident.classifiedAt) {
    const steps: { step: string; answer: string | null; gatherId: string }[] = []
    const prior = new URLSearchParams()
    for (const step of ['errorState', 'pathway', 'failureClass']) {
      const proposed = ok(await rae<{ gatherId: string; proposal: { answer: string | null } }>(`/api/incidents/${incident.number}/classify?step=${step}&${prior}`), `proposing ${step}`)
      steps.push({ step, answer: proposed.proposal.answer, gatherId: proposed.gatherId })
      if (proposed.proposal.answer === null) break
      if (step !== 'failureClass') prior.set(step, proposed.proposal.answer)
    }
    const recorded = await rae('/api/incidents/' + incident.number + '/classification', { method: 'POST', body: { basedOnRevision: 0, steps } })
    if (recorded.status !== 409) ok(recorded, 'recording the classification')
    done.push('classified INC-' + incident.number)
  }

  let number = incident.postmortem?.number
  if (!number) {
    const created = await rae<{ postmortem: { number: number } }>('/api/postmortems', { method: 'POST', body: { incidentNumber: incident.number } })
    if (created.status === 409) number = (created.body as unknown as { error: { details: { number: number } } }).error.details.number
    else number = ok(created, 'starting the postmortem').postmortem.number
  }
  type View = { postmortem: { version: number; title: string; status: string; content: { sections: Record<string, string>; causeAreas: string[] }; actionItems: unknown[] } }
  let view = ok(await rae<View>(`/api/postmortems/${number}`), 'reading the postmortem')
  if (view.postmortem.status === 'in_review' && !view.postmortem.content.sections.lessons) {
    // an earlier launch stopped half-way: back to draft to write it
    ok(await rae(`/api/postmortems/${number}/status`, { method: 'POST', body: { action: 'return', version: view.postmortem.version } }), 'returning to draft')
    view = ok(await rae<View>(`/api/postmortems/${number}`), 'reading the postmortem')
  }
  if (view.postmortem.status === 'draft' && !view.postmortem.content.sections.lessons) {
    const content = { ...view.postmortem.content, sections: { ...view.postmortem.content.sections, ...SECTIONS }, causeAreas: ['infrastructure', 'configuration'], factors: [{ area: 'configuration', text: 'Startup probe budget shorter than a cold load from shared storage.' }] }
    ok(await rae(`/api/postmortems/${number}`, { method: 'PUT', body: { version: view.postmortem.version, title: view.postmortem.title, content } }), 'writing the postmortem')
    view = ok(await rae<View>(`/api/postmortems/${number}`), 'reading the postmortem')
  }
  if (view.postmortem.actionItems.length === 0) {
    const users = await db.user.findMany({ where: { email: { in: ['editor@firebreak.demo', 'responder@firebreak.demo'] } }, select: { id: true, email: true } })
    const owner = (email: string) => users.find((u) => u.email === email)?.id ?? null
    for (const item of [
      { title: 'Stagger rollouts of models over 50 GB: maxUnavailable 1', ownerId: owner('editor@firebreak.demo'), dueDate: day(-2), priority: 'p1' },
      { title: 'Alert on model-store read throughput at 80 % of the export’s limit', ownerId: owner('responder@firebreak.demo'), dueDate: day(9), priority: 'p2' },
      { title: 'Startup probe budget from measured cold-load time, per model', ownerId: owner('editor@firebreak.demo'), dueDate: day(16), priority: 'p2' },
    ]) {
      ok(await rae(`/api/postmortems/${number}/action-items`, { method: 'POST', body: item }), 'adding an action item')
    }
  }
  if (view.postmortem.status === 'draft') {
    ok(await rae(`/api/postmortems/${number}/status`, { method: 'POST', body: { action: 'submit', version: view.postmortem.version } }), 'submitting for review')
    view.postmortem.status = 'in_review'
  }
  if (view.postmortem.status === 'in_review') {
    const eli = client(url, await signIn(url, 'editor@firebreak.demo', 'demo-editor-password'))
    ok(await eli(`/api/postmortems/${number}/comments`, { method: 'POST', body: { section: 'detection', body: 'Can we say how long the store sat at its ceiling before the alert? That is the gap to close.' } }), 'commenting')
    ok(await eli(`/api/postmortems/${number}/status`, { method: 'POST', body: { action: 'publish', version: view.postmortem.version } }), 'publishing')
  }
  done.push(`published PM-${number} with its action items`)
  return done.join(', ')
}
