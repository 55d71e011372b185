import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { PostmortemDocument } from '@/components/postmortems/postmortem-document'
import { RevisionChanges } from '@/components/postmortems/revision-changes'
import { Time } from '@/components/ui/time'
import '@/components/postmortems/revisions.css'
import type { RequestContext } from '@/lib/auth/context'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { AppError } from '@/lib/errors'
import { orNotFound } from '@/lib/pages/or-not-found'
import { getPostmortem, getRevision } from '@/lib/postmortems'
import { STATUS_LABELS } from '@/lib/postmortems/lifecycle'
import { againstSchema, changedParts, describeChanges, versionNumberSchema, type Against } from '@/lib/postmortems/revisions'
import { postmortemNumberSchema } from '@/lib/postmortems/schemas'
import { postmortemRef } from '@/lib/postmortems/views'

type Props = {
  params: Promise<{ number: string; version: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const raw = await params
  const number = postmortemNumberSchema.safeParse(raw.number)
  const version = versionNumberSchema.safeParse(raw.version)
  return { title: number.success && version.success ? `${postmortemRef(number.data)} version ${version.data}` : 'Postmortem version' }
}

/** The version before, or null when there is none (version 1). */
async function previousRevision(context: RequestContext, number: number, version: number) {
  if (version <= 1) return null
  try {
    return await getRevision(context, number, version - 1)
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return null
    throw error
  }
}

const versionHref = (number: number, version: number, against: Against = 'previous') =>
  `/postmortems/${number}/revisions/${version}${against === 'current' ? '?against=current' : ''}`

/**
 * One saved version of a postmortem, read-only, with what it changed: against the version before it by default, or
 * against the postmortem as it is now (?against=current). Readers (console:read) may open it; the link survives pasting.
 */
export default async function PostmortemRevisionPage({ params, searchParams }: Props) {
  await requirePageActor()
  const raw = await params
  const number = postmortemNumberSchema.safeParse(raw.number)
  const version = versionNumberSchema.safeParse(raw.version)
  if (!number.success || !version.success) notFound()
  const against = againstSchema.parse((await searchParams).against)
  const context = await getRequestContext()
  const [pm, revision] = await Promise.all([
    orNotFound(() => getPostmortem(context, number.data)),
    orNotFound(() => getRevision(context, number.data, version.data)),
  ])
  const ref = postmortemRef(pm.number)
  const isCurrent = revision.version === pm.version

  let comparison: { heading: string; changes: ReturnType<typeof changedParts> } | null = null
  let noComparison = ''
  if (against === 'current') {
    if (isCurrent) noComparison = 'This is the current version: there is nothing newer to compare with.'
    else comparison = { heading: `Changes from version ${revision.version} to the current version (${pm.version})`, changes: changedParts(revision, pm) }
  } else {
    const previous = await previousRevision(context, pm.number, revision.version)
    if (previous) comparison = { heading: `Changes from version ${previous.version}`, changes: changedParts(previous, revision) }
    else noComparison = `Version ${revision.version} is the first version kept: there is no earlier one to compare with.`
  }

  return (
    <div className="pm-page" data-testid="postmortem-revision">
      <div className="page-head">
        <div>
          <p className="muted small" style={{ margin: 0 }}>
            <Link href={`/postmortems/${pm.number}`}>{ref}</Link> · version {revision.version} of {pm.version}
          </p>
          <h1>{revision.title}</h1>
          <p className="muted" style={{ margin: 0 }} data-testid="revision-meta">
            Version {revision.version} · <span className={`pm-status pm-status-${revision.status}`}>{STATUS_LABELS[revision.status]}</span> when saved · saved by {revision.authorName} on <Time iso={revision.createdAt} />
          </p>
        </div>
      </div>

      {!isCurrent ? (
        <p className="pm-rev-notice" role="note">
          This is an old version. The postmortem is now at version {pm.version} ({STATUS_LABELS[pm.status]}): <Link href={`/postmortems/${pm.number}`}>open the current {ref}</Link>.
        </p>
      ) : null}

      <nav aria-label="Versions">
        <ul className="pm-rev-nav">
          {revision.version > 1 ? (
            <li><Link href={versionHref(pm.number, revision.version - 1, against)} rel="prev">← Version {revision.version - 1}</Link></li>
          ) : null}
          {!isCurrent ? (
            <li><Link href={versionHref(pm.number, revision.version + 1, against)} rel="next">Version {revision.version + 1} →</Link></li>
          ) : null}
          <li>
            {against === 'current' ? (
              <Link href={versionHref(pm.number, revision.version)}>Compare with the previous version</Link>
            ) : isCurrent ? (
              <span className="muted">This is the current version</span>
            ) : (
              <Link href={versionHref(pm.number, revision.version, 'current')} data-testid="compare-current">Compare with current</Link>
            )}
          </li>
          <li><a href="#revision-content">Read version {revision.version}</a></li>
        </ul>
      </nav>

      <section className="panel" aria-labelledby="revision-changes-heading">
        <h2 id="revision-changes-heading" style={{ marginTop: 0 }}>{comparison ? comparison.heading : 'Changes'}</h2>
        {comparison ? (
          <>
            <p className="muted small">{describeChanges(comparison.changes)} Only the parts that changed are shown.</p>
            <RevisionChanges changes={comparison.changes} label={comparison.heading} />
          </>
        ) : (
          <p className="muted">{noComparison}</p>
        )}
      </section>

      <section id="revision-content" aria-labelledby="revision-content-heading" tabIndex={-1}>
        <h2 id="revision-content-heading">Version {revision.version} as saved</h2>
        <p className="muted small">Read-only. Facts, cited cases and action items are not versioned: see the current {ref}.</p>
        <PostmortemDocument content={revision.content} headingLevel={3} />
      </section>
    </div>
  )
}
