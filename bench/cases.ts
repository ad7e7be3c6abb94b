// The benchmark's fixed cases. Searches use the generator's vocabulary, so every one matches a
// known share of the space (city ~5 %, a surname prefix ~1–2 %, a tag ~12 %, …).
import type { BenchForms } from '../src/bulk/generate.ts'

type Condition = Record<string, unknown>
const all = (...conditions: Condition[]) => ({
  $all: [{ $all: conditions.map(($condition) => ({ $condition })) }],
})

export interface SearchCase {
  name: string
  /** the advanced_search object of POST /search */
  search: { query?: unknown; page?: number; per_page?: number }
  /** also measure /kpi of its query */
  kpi: boolean
}

export function searchCases(forms: BenchForms): SearchCase[] {
  const city = { attr: 'address.city', ope: 'eql', value: 'Lyon' }
  return [
    { name: 'city_eql', search: { query: all(city), per_page: 100 }, kpi: true },
    // a lookup by mail: the words match every marie.martinNNN at gmail.com, exact ones rank first
    {
      name: 'mail_eql',
      search: { query: all({ attr: 'mail', ope: 'eql', value: 'Marie.Martin@gmail.com' }), per_page: 20 },
      kpi: false,
    },
    { name: 'city_eql_page1000', search: { query: all(city), per_page: 1000 }, kpi: false },
    {
      name: 'surname_contains',
      search: { query: all({ attr: 'surname', ope: 'contains', value: 'mar' }), per_page: 100 },
      kpi: true,
    },
    {
      name: 'postalcode_start_with',
      search: { query: all({ attr: 'address.postalcode', ope: 'start_with', value: '75' }), per_page: 100 },
      kpi: true,
    },
    {
      name: 'tags_any_of_and_support',
      search: {
        query: all(
          { attr: 'tags', ope: 'any_of', value: ['bénévole', 'militant'] },
          {
            attr: 'form',
            form_id: forms.support.id,
            form_ref_ids: forms.support.refIds.slice(0, 2),
            ope: 'any_of',
          },
        ),
        per_page: 100,
      },
      kpi: true,
    },
    {
      name: 'updated_at_range',
      search: { query: all({ attr: 'UpdatedAt', ope: 'range', from: 'now-7d/d', to: 'now' }), per_page: 100 },
      kpi: true,
    },
    {
      name: 'two_group_or',
      search: {
        query: {
          $at_least_one: [
            { $all: [{ $condition: city }, { $condition: { attr: 'tags', ope: 'eql', value: 'donateur' } }] },
            {
              $all: [
                { $condition: { attr: 'address.city', ope: 'eql', value: 'Nantes' } },
                { $condition: { attr: 'gender', ope: 'eql', value: 'F' } },
              ],
            },
          ],
        },
        per_page: 100,
      },
      kpi: true,
    },
    { name: 'empty_page0', search: { page: 0, per_page: 100 }, kpi: true },
    { name: 'empty_page500', search: { page: 500, per_page: 100 }, kpi: false },
    { name: 'empty_page0_per1000', search: { page: 0, per_page: 1000 }, kpi: false },
  ]
}
