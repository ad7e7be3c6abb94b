import { useEffect, useState } from 'preact/hooks'
import { type AdvancedSearch, api, type FoundContact, problemDetail } from './api/client.ts'
import { ContactList } from './ContactList.tsx'
import { t } from './i18n.ts'
import { SegmentBuilder } from './SegmentBuilder.tsx'
import { emptySegment, SORTS, toQuery } from './segment.ts'

const PER_PAGE = 25

/** The space's contacts: a segment, its live count from /kpi, and its contacts from /search. */
export function Contacts() {
  const [segment, setSegment] = useState(emptySegment)
  const [sort, setSort] = useState({ attr: 'surname', asc: true })
  const [page, setPage] = useState(0)
  const [count, setCount] = useState<number | null>(null)
  const [contacts, setContacts] = useState<FoundContact[]>([])
  const [error, setError] = useState('')
  const query = JSON.stringify(toQuery(segment))

  // counted and searched once the conditions stop changing for a moment
  useEffect(() => {
    setCount(null)
    // an answer to a query changed since is dropped: it may come back after a newer one
    let stale = false
    const timer = setTimeout(async () => {
      const search = {
        query: JSON.parse(query),
        page,
        per_page: PER_PAGE,
        sort_attr: sort.attr,
        sort_asc: sort.asc,
      }
      const body = { data: { advanced_search: search as AdvancedSearch } }
      const [kpi, found] = await Promise.all([api.POST('/kpi', { body }), api.POST('/search', { body })])
      if (stale) return
      if (kpi.error || found.error) return setError(problemDetail(kpi.error ?? found.error))
      setError('')
      setCount(kpi.data.data.total)
      setContacts(found.data.data.contacts)
    }, 300)
    return () => {
      stale = true
      clearTimeout(timer)
    }
  }, [query, page, sort.attr, sort.asc])

  return (
    <section>
      <h1>{t().contacts}</h1>
      <SegmentBuilder
        segment={segment}
        onChange={(next) => {
          setSegment(next)
          setPage(0)
        }}
      />
      <p class="count" aria-live="polite" data-testid="count">
        {error ? <span class="error">{error}</span> : count === null ? t().counting : t().count(count)}
      </p>
      <div class="sort">
        <label>
          {t().sortBy}
          <select value={sort.attr} onChange={(e) => setSort({ ...sort, attr: e.currentTarget.value })}>
            {SORTS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={sort.asc}
            onChange={(e) => setSort({ ...sort, asc: e.currentTarget.checked })}
          />
          {t().ascending}
        </label>
      </div>
      <ContactList contacts={contacts} />
      <nav class="pages">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          {t().previous}
        </button>
        <span>{t().page(page)}</span>
        <button type="button" disabled={contacts.length < PER_PAGE} onClick={() => setPage(page + 1)}>
          {t().next}
        </button>
      </nav>
    </section>
  )
}
