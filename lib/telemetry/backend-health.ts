/**
 * When each backend stopped answering, so a panel can say "Prometheus unreachable since 03:12" rather than just
 * "error". Per process: every Firebreak instance learns it from its own queries within one refresh interval.
 */
export interface BackendDown {
  backend: string
  downSince: string
  error: string
}

export class BackendHealth {
  private readonly down = new Map<string, BackendDown>()

  recordSuccess(backend: string): void {
    this.down.delete(backend)
  }

  /** Keeps the first failure time of an outage; the error text is the latest. */
  recordFailure(backend: string, error: string, now: Date = new Date()): BackendDown {
    const current = this.down.get(backend)
    const next = { backend, downSince: current?.downSince ?? now.toISOString(), error }
    this.down.set(backend, next)
    return next
  }

  status(backend: string): BackendDown | null {
    return this.down.get(backend) ?? null
  }
}
