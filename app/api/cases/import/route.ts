import { NextResponse } from 'next/server'
import { readBodyCapped } from '@/lib/api/body'
import { apiRoute } from '@/lib/api/route'
import { importCase } from '@/lib/cases'
import { AppError } from '@/lib/errors'

const MAX_CASE_FILE_MB = 64

/** The body is a case file as Export downloads it (firebreak.case/v1); it becomes a new case. */
export const POST = apiRoute(async (request, { context }) => {
  let text: string
  try {
    text = await readBodyCapped(request, MAX_CASE_FILE_MB * 1_048_576)
  } catch (error) {
    if (error instanceof AppError && error.code === 'payload_too_large') throw new AppError('payload_too_large', `The case file is larger than ${MAX_CASE_FILE_MB} MB.`)
    throw error
  }
  if (text.trim() === '') throw new AppError('bad_request', 'The request body is empty: send a case file exported from Firebreak (firebreak.case/v1).')
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    throw new AppError('bad_request', 'The case file is not valid JSON.')
  }
  return NextResponse.json({ case: await importCase(context, document) }, { status: 201 })
})
