// A segment as the builder edits it, and the search language's query it stands for.
export type Join = '$all' | '$at_least_one'
export interface Condition {
  attr: string
  ope: string
  value: string
}
export interface Group {
  join: Join
  conditions: Condition[]
}
export interface Segment {
  join: Join
  groups: Group[]
}

export const ATTRIBUTES = [
  'firstname',
  'surname',
  'mail',
  'phone',
  'mobile',
  'gender',
  'birthdate',
  'address.city',
  'address.postalcode',
  'address.street',
  'tags',
  'notes',
  'age_category',
  'CreatedAt',
  'UpdatedAt',
]
export const OPERATORS = [
  'eql',
  'not_eql',
  'contains',
  'not_contains',
  'start_with',
  'ext',
  'not_ext',
  'gte',
  'lte',
]
export const NO_VALUE = new Set(['ext', 'not_ext'])
export const SORTS = [
  'surname',
  'firstname',
  'birthdate',
  'gender',
  'lastchange',
  'mail',
  'married_name',
  'city',
  'id',
  'CreatedAt',
  'UpdatedAt',
]

export const emptyCondition = (): Condition => ({ attr: 'surname', ope: 'eql', value: '' })
export const emptySegment = (): Segment => ({ join: '$all', groups: [{ join: '$all', conditions: [] }] })

/** The query tree; conditions still waiting for a value are left out. */
export function toQuery(segment: Segment): Record<string, unknown> {
  return {
    [segment.join]: segment.groups.map((group) => ({
      [group.join]: group.conditions
        .filter((c) => NO_VALUE.has(c.ope) || c.value.trim() !== '')
        .map((c) => ({ $condition: NO_VALUE.has(c.ope) ? { attr: c.attr, ope: c.ope } : c })),
    })),
  }
}
