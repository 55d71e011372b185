import { notFound } from 'next/navigation'
import { AppError } from '@/lib/errors'

/** For pages: a lib/ "not found" becomes the 404 page; anything else goes to the error boundary. */
export async function orNotFound<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound()
    throw error
  }
}
