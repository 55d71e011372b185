import { apiRoute, readQuery } from '@/lib/api/route'
import { readAuditLog } from '@/lib/audit'
import { auditQuerySchema } from '@/lib/audit/schemas'

export const GET = apiRoute(async (request, { context }) => readAuditLog(context, readQuery(request, auditQuerySchema)))
