/**
 * Back-pressure for the receiver, per process: bounds on exports in progress (read, decode, write), on the body bytes
 * they hold, and on database writes at once, with a bounded queue of spans waiting for a write. Whatever does not fit
 * is refused at once with 429 and Retry-After, which OTLP exporters honour, instead of piling requests and memory up
 * until the process falls over. Several Firebreak instances each have their own gate; the database sees at most
 * instances × writes.
 */
export class OverloadedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message)
  }
}

export interface GateLimits {
  maxInflightRequests: number
  /** body bytes (inflated) held by exports in progress, together */
  maxInflightBytes: number
  maxConcurrentWrites: number
  maxQueuedSpans: number
}

/** One export's place in the gate. */
export interface GateTicket {
  /** counts body bytes as they arrive; OverloadedError when the exports in progress hold too much together */
  reserve(bytes: number): void
  /** leaves the gate (again: no effect) */
  leave(): void
}

interface Waiter {
  spans: number
  start: () => void
}

export class IngestGate {
  private requests = 0
  private bytes = 0
  private writes = 0
  private queuedSpans = 0
  private readonly queue: Waiter[] = []

  constructor(readonly limits: GateLimits) {}

  /** Enters an export. OverloadedError when too many are in progress. */
  enterRequest(): GateTicket {
    if (this.requests >= this.limits.maxInflightRequests) {
      throw new OverloadedError(`Firebreak is receiving ${this.requests} exports at once (FIREBREAK_OTLP_MAX_INFLIGHT_REQUESTS); retry shortly.`, 1)
    }
    this.requests++
    let held = 0
    let left = false
    return {
      reserve: (bytes: number) => {
        // a lone export may hold more than the budget (its size is bounded by the body limits): nothing else waits on it
        if (this.bytes + bytes > this.limits.maxInflightBytes && this.bytes - held > 0) {
          throw new OverloadedError(`Exports in progress hold ${Math.round(this.bytes / 1_048_576)} MB (FIREBREAK_OTLP_MAX_INFLIGHT_MB); retry shortly.`, 1)
        }
        held += bytes
        this.bytes += bytes
      },
      leave: () => {
        if (left) return
        left = true
        this.requests--
        this.bytes -= held
        held = 0
      },
    }
  }

  /** Runs a write of `spans` spans when a slot is free; OverloadedError when the queue of waiting spans is full. */
  async write<T>(spans: number, work: () => Promise<T>): Promise<T> {
    if (this.writes >= this.limits.maxConcurrentWrites) {
      if (this.queuedSpans + spans > this.limits.maxQueuedSpans && this.queue.length > 0) {
        throw new OverloadedError(`Firebreak has ${this.queuedSpans} spans waiting to be stored (FIREBREAK_OTLP_MAX_QUEUED_SPANS); retry shortly.`, 2)
      }
      this.queuedSpans += spans
      await new Promise<void>((start) => this.queue.push({ spans, start }))
      this.queuedSpans -= spans
    } else {
      this.writes++
    }
    try {
      return await work()
    } finally {
      const next = this.queue.shift()
      // the slot passes straight to the next waiter, so a newcomer cannot jump the queue
      if (next) next.start()
      else this.writes--
    }
  }

  get state() {
    return { requests: this.requests, bytes: this.bytes, writes: this.writes, queuedSpans: this.queuedSpans, waiting: this.queue.length }
  }
}
