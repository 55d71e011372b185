import { describe, expect, it } from 'vitest'
import { checkPromql, rateOfSelectors } from './promql'

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

  it('turns raw counters into rates over a window, leaving ranged selectors alone', () => {
    expect(rateOfSelectors('sum(http_requests{code=~"5.."}) / sum(http_requests)', '{{.window}}')).toBe('sum(rate(http_requests{code=~"5.."}[{{.window}}])) / sum(rate(http_requests[{{.window}}]))')
    expect(rateOfSelectors('sum(increase(x_total[1h])) + y', '5m')).toBe('sum(increase(x_total[1h])) + rate(y[5m])')
  })
})
