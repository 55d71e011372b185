import Link from 'next/link'
import { FAILURE_CLASSES, PATHWAYS } from '@/lib/taxonomy'

export interface CaseFilterValues {
  q?: string
  category?: string
  pipeline?: string
  model?: string
  tag?: string
  from?: string
  to?: string
  incident?: string
}

/**
 * The library's filters as a plain GET form: the URL holds them, so a filtered list can be bookmarked and shared, and
 * the form works before any script has loaded.
 */
export function CaseFilters({ values, facets }: { values: CaseFilterValues; facets: { pipelines: string[]; models: string[]; tags: string[] } }) {
  return (
    <form className="panel case-filters" method="get" action="/cases" role="search" aria-label="Filter cases">
      <div className="form-row">
        <label className="grow">
          Search title and notes
          <input type="search" name="q" defaultValue={values.q} placeholder="cut off, KV cache, CASE-12 or a trace id" />
        </label>
        <label>
          Category
          <select name="category" defaultValue={values.category ?? ''}>
            <option value="">Any category</option>
            {PATHWAYS.map((pathway) => (
              <optgroup key={pathway} label={pathway}>
                {FAILURE_CLASSES.filter((c) => c.pathway === pathway).map((c) => (
                  <option key={c.id} value={c.id}>{c.title}</option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
      </div>
      <div className="form-row">
        <label>
          Pipeline
          <input name="pipeline" defaultValue={values.pipeline} list="case-pipelines" size={14} />
        </label>
        <label>
          Model
          <input name="model" defaultValue={values.model} list="case-models" size={20} />
        </label>
        <label>
          Tag
          <input name="tag" defaultValue={values.tag} list="case-tags" size={12} />
        </label>
        <label>
          Trace from <span className="muted" style={{ fontWeight: 400 }}>(UTC)</span>
          <input type="date" name="from" defaultValue={values.from} />
        </label>
        <label>
          to
          <input type="date" name="to" defaultValue={values.to} />
        </label>
        {values.incident ? <input type="hidden" name="incident" value={values.incident} /> : null}
        <button type="submit" className="primary">Filter</button>
        <Link href="/cases" className="button">Clear</Link>
      </div>
      <datalist id="case-pipelines">{facets.pipelines.map((v) => <option key={v} value={v} />)}</datalist>
      <datalist id="case-models">{facets.models.map((v) => <option key={v} value={v} />)}</datalist>
      <datalist id="case-tags">{facets.tags.map((v) => <option key={v} value={v} />)}</datalist>
    </form>
  )
}
