export default function Loading() {
  return (
    <div className="muted" role="status" aria-live="polite">
      Loading…
    </div>
  )
}
