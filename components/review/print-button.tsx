'use client'

export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} data-testid="review-print">
      Print or save as PDF
    </button>
  )
}
