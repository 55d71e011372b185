import { NextResponse, type NextRequest } from 'next/server'
import { ingestAlertmanagerWebhook } from '@/lib/alerts/intake'
import { alertmanagerWebhookSchema } from '@/lib/alerts/schemas'
import { clientAddress } from '@/lib/auth/request'
import { getFileConfig } from '@/lib/config'
import { getDb } from '@/lib/db'
import { AppError, toErrorBody } from '@/lib/errors'
import { parseJsonText, readBodyCapped } from '@/lib/api/body'
import { logger } from '@/lib/logger'
import { authenticateIngestToken } from '@/lib/tokens'

export const dynamic = 'force-dynamic'

const MAX_BYTES = Number(process.env.ALERT_WEBHOOK_MAX_MB ?? 32) * 1_048_576

/**
 * Alertmanager's webhook receiver. Authenticated by an ingest token, not a session. Alertmanager retries 5xx and
 * gives up on 4xx, so: 4xx only for requests that can never succeed, 503 for anything the database could not take.
 */
export async function POST(request: NextRequest) {
  try {
    const from = { ip: clientAddress(request.headers.get('x-forwarded-for'), request.headers.get('x-real-ip')), userAgent: request.headers.get('user-agent') ?? undefined }
    const text = await readBodyCapped(request, MAX_BYTES)
    const payload = alertmanagerWebhookSchema.parse(parseJsonText(text))
    await asUnavailable(() => authenticateIngestToken(request.headers.get('authorization'), 'alertmanager', from))
    const result = await asUnavailable(() => ingestAlertmanagerWebhook(getDb(), payload, getFileConfig().alerts))
    return NextResponse.json({ ok: true, incident: `INC-${result.incidentNumber}`, ...result })
  } catch (error) {
    const { status, body, headers } = toErrorBody(error)
    return NextResponse.json(body, { status, headers })
  }
}

async function asUnavailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof AppError) throw error
    logger.error('alert intake could not write to the database', { error })
    throw new AppError('unavailable', 'Firebreak could not store the alerts right now (database unavailable). Alertmanager will retry.', { cause: error, retryAfterSeconds: 5 })
  }
}
