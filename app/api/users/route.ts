import { NextResponse } from 'next/server'
import { apiRoute, readJson } from '@/lib/api/route'
import { createUser, listUsers } from '@/lib/users'
import { createUserSchema } from '@/lib/users/schemas'

export const GET = apiRoute(async (_request, { context }) => ({ users: await listUsers(context) }))

export const POST = apiRoute(async (request, { context }) => {
  const input = await readJson(request, createUserSchema)
  return NextResponse.json(await createUser(context, input), { status: 201 })
})
