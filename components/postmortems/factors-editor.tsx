'use client'
import type { ContributingFactor } from '@/lib/postmortems/schemas'
import { CAUSE_AREA_LABELS, CAUSE_AREAS, type CauseArea } from '@/lib/postmortems/template'

/** Where the root cause sits, and the conditions that let it matter (each in one area). */
export function CauseAreasField({ areas, onChange, disabled }: { areas: CauseArea[]; onChange: (areas: CauseArea[]) => void; disabled?: boolean }) {
  return (
    <fieldset className="pm-areas">
      <legend>Where the root cause sits</legend>
      {CAUSE_AREAS.map((area) => (
        <label key={area}>
          <input type="checkbox" checked={areas.includes(area)} disabled={disabled} onChange={(e) => onChange(e.target.checked ? [...areas, area] : areas.filter((a) => a !== area))} />
          {CAUSE_AREA_LABELS[area]}
        </label>
      ))}
    </fieldset>
  )
}

export function FactorsEditor({ factors, onChange, disabled }: { factors: ContributingFactor[]; onChange: (factors: ContributingFactor[]) => void; disabled?: boolean }) {
  const update = (index: number, patch: Partial<ContributingFactor>) => onChange(factors.map((f, i) => (i === index ? { ...f, ...patch } : f)))
  return (
    <div>
      <h3 style={{ fontSize: '0.95rem', margin: '0.6rem 0 0.2rem' }}>Contributing factors</h3>
      <p className="pm-prompt">Conditions that made it possible or worse: a missing limit, a signal nobody measured, a test that did not cover the case.</p>
      <ul className="pm-factors" data-testid="factors-editor">
        {factors.map((factor, index) => (
          <li key={index}>
            <select value={factor.area} disabled={disabled} aria-label={`Area of factor ${index + 1}`} onChange={(e) => update(index, { area: e.target.value as CauseArea })}>
              {CAUSE_AREAS.map((a) => <option key={a} value={a}>{CAUSE_AREA_LABELS[a]}</option>)}
            </select>
            <input type="text" value={factor.text} disabled={disabled} maxLength={2000} aria-label={`Contributing factor ${index + 1}`} onChange={(e) => update(index, { text: e.target.value })} />
            <button type="button" disabled={disabled} onClick={() => onChange(factors.filter((_, i) => i !== index))} aria-label={`Remove factor ${index + 1}`}>Remove</button>
          </li>
        ))}
      </ul>
      <button type="button" disabled={disabled} onClick={() => onChange([...factors, { area: 'infrastructure', text: '' }])}>Add a contributing factor</button>
    </div>
  )
}
