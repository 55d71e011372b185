import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { TokensAdmin } from '@/components/admin/tokens-admin'
import { toJson } from '@/components/to-json'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { getEnv } from '@/lib/env'
import { listTokens } from '@/lib/tokens'

export const metadata: Metadata = { title: 'Tokens' }

export default async function TokensPage() {
  const actor = await requirePageActor()
  if (!can(actor.role, 'token:manage')) notFound()
  const tokens = await listTokens(await getRequestContext())
  const base = getEnv().nextAuthUrl ?? 'http://localhost:3000'
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Tokens</h1>
          <p className="muted" style={{ margin: 0 }}>Credentials for machine senders: Alertmanager&apos;s webhook and OTLP trace exporters. Each use is audited.</p>
        </div>
      </div>
      <TokensAdmin initialTokens={toJson(tokens)} webhookUrl={`${base}/api/alerts/alertmanager`} />
    </>
  )
}
