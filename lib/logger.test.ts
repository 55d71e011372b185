import { describe, expect, it } from 'vitest'
import { redact } from './logger'

describe('log redaction', () => {
  it('hides secret-looking fields and credentials inside strings', () => {
    const out = JSON.stringify(
      redact({
        user: 'ana@example.com',
        password: 'hunter2',
        headers: { authorization: 'Bearer abc.def' },
        note: 'called with Bearer eyJhbGciOi.x.y',
        url: 'postgresql://firebreak:s3cret@db:5432/firebreak',
      }),
    )
    expect(out).toContain('ana@example.com')
    for (const secret of ['hunter2', 'abc.def', 'eyJhbGciOi', 's3cret']) expect(out).not.toContain(secret)
  })
})
