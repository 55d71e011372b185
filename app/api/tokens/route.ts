import { NextResponse } from 'next/server'
import { apiRoute, readJson } from '@/lib/api/route'
import { createToken, createTokenSchema, listTokens } from '@/lib/tokens'

export const GET = apiRoute(async (_request, { context }) => ({ tokens: await listTokens(context) }))

export const POST = apiRoute(async (request, { context }) => NextResponse.json(await createToken(context, await readJson(request, createTokenSchema)), { status: 201 }))
