import 'server-only'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { generatePassword, hashPassword } from '@/lib/auth/passwords'
import { getDb, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import type { CreateUserInput, UpdateUserInput } from './schemas'

const publicFields = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  origin: true,
  createdAt: true,
  lastSignInAt: true,
} as const

export type UserSummary = Prisma.UserGetPayload<{ select: typeof publicFields }>

export async function listUsers(context: RequestContext): Promise<UserSummary[]> {
  requirePermission(context, 'user:manage')
  return getDb().user.findMany({ select: publicFields, orderBy: [{ disabled: 'asc' }, { email: 'asc' }] })
}

export async function createUser(context: RequestContext, input: CreateUserInput) {
  requirePermission(context, 'user:manage')
  const oneTimePassword = input.password ? undefined : generatePassword()
  const passwordHash = await hashPassword(input.password || oneTimePassword!)
  try {
    const user = await getDb().$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash, origin: 'local' },
        select: publicFields,
      })
      await recordAudit(tx, context, { action: 'user.create', targetType: 'user', targetId: created.id, after: created })
      return created
    })
    return { user, oneTimePassword }
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', `A user with the email ${input.email} already exists.`)
    }
    throw error
  }
}

export async function updateUser(context: RequestContext, userId: string, input: UpdateUserInput): Promise<UserSummary> {
  const actor = requirePermission(context, 'user:manage')
  return getDb().$transaction(
    async (tx) => {
      const before = await tx.user.findUnique({ where: { id: userId }, select: publicFields })
      if (!before) throw new AppError('not_found', 'No such user.')
      const losesAdmin = before.role === 'admin' && !before.disabled && (input.disabled === true || (input.role && input.role !== 'admin'))
      if (losesAdmin) {
        if (before.id === actor.id) throw new AppError('conflict', 'You cannot remove your own admin rights or disable yourself; ask another admin.')
        const activeAdmins = await tx.user.count({ where: { role: 'admin', disabled: false } })
        if (activeAdmins <= 1) throw new AppError('conflict', 'This is the last active admin; make someone else admin first.')
      }
      const after = await tx.user.update({ where: { id: userId }, data: input, select: publicFields })
      await recordAudit(tx, context, { action: 'user.update', targetType: 'user', targetId: userId, before, after })
      return after
    },
    { isolationLevel: 'Serializable' },
  )
}
