/** An evidence value as a person reads it: shares as percentages, enough digits to see which side of the threshold. */
export function formatEvidence(value: number | null, unit?: string): string {
  if (value === null) return 'no data'
  if (unit === 'share') return `${Number((value * 100).toPrecision(3))} %`
  const n = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)))
  return unit ? `${n} ${unit}` : n
}
