import { NextResponse } from 'next/server'
import { apiRoute } from '@/lib/api/route'
import { checkHealth } from '@/lib/health'

export const dynamic = 'force-dynamic'

// Public on purpose: load balancers and uptime checks cannot sign in. It reveals only up/down.
export const GET = apiRoute(
  async () => {
    const report = await checkHealth()
    return NextResponse.json(report, { status: report.database.status === 'up' ? 200 : 503 })
  },
  { isPublic: true },
)
