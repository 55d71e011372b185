/** The benchmark report: one line per figure (name, value, target), then one line saying what the figure means. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]
}

export const ms = (n: number) => (n < 10 ? `${n.toFixed(1)} ms` : `${n.toFixed(0)} ms`)
export const times = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(0)}x`

export function section(title: string) {
  process.stdout.write(`\n${title}\n`)
}

export function report(name: string, value: string, target?: string, meaning?: string) {
  process.stdout.write(`  ${name.padEnd(50)} ${value.padStart(14)}${target ? `   (target ${target})` : ''}\n`)
  if (meaning) process.stdout.write(`  ${''.padEnd(4)}${meaning}\n`)
}

/** A remark that is not a figure (set-up facts, caveats), indented like a figure's meaning. */
export function note(text: string) {
  process.stdout.write(`    - ${text}\n`)
}

export function progress(text: string) {
  if (process.env.BENCH_QUIET) return
  process.stderr.write(`  … ${text}\n`)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
