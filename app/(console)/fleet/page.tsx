import type { Metadata } from 'next'
import Link from 'next/link'
import { FleetView } from '@/components/fleet/fleet-view'
import { requirePageActor } from '@/lib/auth/session'
import { fleetQuerySchema } from '@/lib/fleet/schemas'

export const metadata: Metadata = { title: 'Fleet' }

/**
 * The joined fleet view. The page does not wait for Prometheus: a slow or dead backend must not hold the page, so the
 * view loads in the browser and says what is wrong while the rest of the console keeps working.
 */
export default async function FleetPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageActor()
  const raw = await searchParams
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
  const parsed = fleetQuerySchema.safeParse({ at: first(raw.at), pipeline: first(raw.pipeline) })
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Fleet</h1>
          <p className="muted" style={{ margin: 0 }}>
            Where is it failing: placement, GPUs, serving containers and queues in one view, per node and per container. Flags name what crossed which threshold.
          </p>
        </div>
      </div>
      {parsed.success ? (
        <FleetView at={parsed.data.at?.toISOString() ?? null} pipeline={parsed.data.pipeline ?? null} />
      ) : (
        <div className="alert error" role="alert">
          This link does not describe a fleet view: {parsed.error.issues.map((i) => i.message).join('; ')}. <Link href="/fleet">Show the live fleet</Link>.
        </div>
      )}
    </>
  )
}
