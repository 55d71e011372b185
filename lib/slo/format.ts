/**
 * 0.999 -> "99.9 %": a ratio as a percentage with at most `digits` decimals, trailing decimal zeros dropped (never the
 * zeros of the whole number: 1 -> "100 %", 0.5 -> "50 %"). Null, undefined and non-finite values are "—".
 */
export function percent(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  const text = (value * 100).toFixed(digits)
  return `${text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text} %`
}
