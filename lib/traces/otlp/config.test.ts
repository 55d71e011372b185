import { describe, expect, it } from 'vitest'
import { OtlpConfigError, parseOtlpLimits } from './config'

describe('OTLP receiver limits from the environment', () => {
  it('has defaults', () => {
    expect(parseOtlpLimits({})).toEqual({
      maxBodyBytes: 16 * 1_048_576,
      maxDecompressedBytes: 64 * 1_048_576,
      maxInflightRequests: 32,
      maxInflightBytes: 256 * 1_048_576,
      maxConcurrentWrites: 4,
      maxQueuedSpans: 100_000,
      retentionHours: 72,
      maxSpans: 2_000_000,
    })
  })

  it('reads the variables, treating empty ones as unset', () => {
    const limits = parseOtlpLimits({ FIREBREAK_OTLP_RETENTION_HOURS: '0.5', FIREBREAK_OTLP_MAX_SPANS: '1000', FIREBREAK_OTLP_MAX_BODY_MB: ' ' })
    expect(limits).toMatchObject({ retentionHours: 0.5, maxSpans: 1000, maxBodyBytes: 16 * 1_048_576 })
  })

  it('names a bad variable', () => {
    expect(() => parseOtlpLimits({ FIREBREAK_OTLP_MAX_SPANS: 'lots' })).toThrow(OtlpConfigError)
    expect(() => parseOtlpLimits({ FIREBREAK_OTLP_MAX_SPANS: 'lots' })).toThrow(/FIREBREAK_OTLP_MAX_SPANS/)
    expect(() => parseOtlpLimits({ FIREBREAK_OTLP_RETENTION_HOURS: '-1' })).toThrow(/FIREBREAK_OTLP_RETENTION_HOURS/)
  })
})
