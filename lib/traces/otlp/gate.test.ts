import { describe, expect, it } from 'vitest'
import { IngestGate, OverloadedError } from './gate'

const deferred = () => {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('the ingest gate', () => {
  it('refuses exports beyond the in-flight bound, and admits again once one leaves', () => {
    const gate = new IngestGate({ maxInflightRequests: 2, maxInflightBytes: 1000, maxConcurrentWrites: 1, maxQueuedSpans: 10 })
    const a = gate.enterRequest()
    gate.enterRequest()
    expect(() => gate.enterRequest()).toThrow(OverloadedError)
    a.leave()
    a.leave() // leaving twice counts once
    expect(() => gate.enterRequest()).not.toThrow()
    expect(() => gate.enterRequest()).toThrow(OverloadedError)
  })

  it('bounds the body bytes held by exports together, but never refuses a lone export', () => {
    const gate = new IngestGate({ maxInflightRequests: 10, maxInflightBytes: 1000, maxConcurrentWrites: 1, maxQueuedSpans: 10 })
    const lone = gate.enterRequest()
    lone.reserve(800)
    lone.reserve(800)
    const other = gate.enterRequest()
    expect(() => other.reserve(1)).toThrow(OverloadedError)
    lone.leave()
    other.reserve(900)
    expect(gate.state.bytes).toBe(900)
    other.leave()
    expect(gate.state).toMatchObject({ requests: 0, bytes: 0 })
  })

  it('runs at most maxConcurrentWrites at once, in arrival order, and refuses when the queue of spans is full', async () => {
    const gate = new IngestGate({ maxInflightRequests: 100, maxInflightBytes: 1000, maxConcurrentWrites: 1, maxQueuedSpans: 100 })
    const order: string[] = []
    const first = deferred()
    const w1 = gate.write(10, async () => {
      order.push('1')
      await first.promise
    })
    const w2 = gate.write(60, async () => void order.push('2'))
    const w3 = gate.write(40, async () => void order.push('3'))
    expect(gate.state).toMatchObject({ writes: 1, queuedSpans: 100, waiting: 2 })
    await expect(gate.write(1, async () => undefined)).rejects.toBeInstanceOf(OverloadedError)
    first.resolve()
    await Promise.all([w1, w2, w3])
    expect(order).toEqual(['1', '2', '3'])
    expect(gate.state).toEqual({ requests: 0, bytes: 0, writes: 0, queuedSpans: 0, waiting: 0 })
  })

  it('lets a single export larger than the queue wait when nothing else does, and frees the slot when a write fails', async () => {
    const gate = new IngestGate({ maxInflightRequests: 100, maxInflightBytes: 1000, maxConcurrentWrites: 1, maxQueuedSpans: 10 })
    const first = deferred()
    const w1 = gate.write(1, () => first.promise.then(() => Promise.reject(new Error('db down'))))
    const big = gate.write(1000, async () => 'stored')
    first.resolve()
    await expect(w1).rejects.toThrow('db down')
    await expect(big).resolves.toBe('stored')
    expect(gate.state.writes).toBe(0)
  })
})
