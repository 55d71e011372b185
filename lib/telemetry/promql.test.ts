import { describe, expect, it } from 'vitest'
import { checkPromql } from './promql'

describe('PromQL syntax check', () => {
  it('accepts real queries over vLLM and dcgm-exporter metrics', () => {
    for (const q of [
      'histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:time_to_first_token_seconds_bucket[5m])))',
      'max by (Hostname, gpu) (DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)) > 0.95',
      'sum(rate(vllm:request_success_total{finished_reason="length"}[15m])) / sum(rate(vllm:request_success_total[15m]))',
    ]) {
      expect(checkPromql(q)).toEqual({ ok: true })
    }
  })

  it('points at the error in a broken query', () => {
    const result = checkPromql('sum(rate(vllm:num_requests_waiting[5m])')
    expect(result.ok).toBe(false)
    expect(result.error).toMatch(/syntax error/)
    expect(checkPromql('   ').error).toBe('the query is empty')
  })
})
