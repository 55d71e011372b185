import { redirect } from 'next/navigation'
import type { ReactNode } from 'react'
import { AppShell } from '@/components/shell/app-shell'
import { getActor } from '@/lib/auth/session'

export const dynamic = 'force-dynamic'

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await getActor()
  if (!actor) redirect('/signin')
  return <AppShell actor={actor}>{children}</AppShell>
}
