/** Serialises server data (Dates, BigInts) the way the JSON API does, for initialData. */
export function toJson<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as T
}
