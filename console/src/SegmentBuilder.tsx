import { ConditionRow } from './ConditionRow.tsx'
import { t } from './i18n.ts'
import { type Condition, emptyCondition, type Group, type Join, type Segment } from './segment.ts'

function JoinPicker({
  label,
  value,
  onChange,
}: {
  label: string
  value: Join
  onChange: (join: Join) => void
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value as Join)}>
        <option value="$all">{t().all}</option>
        <option value="$at_least_one">{t().atLeastOne}</option>
      </select>
    </label>
  )
}

export function SegmentBuilder({ segment, onChange }: { segment: Segment; onChange: (s: Segment) => void }) {
  const setGroup = (index: number, group: Group) =>
    onChange({ ...segment, groups: segment.groups.map((g, i) => (i === index ? group : g)) })
  const setCondition = (group: Group, gi: number, ci: number, condition: Condition) =>
    setGroup(gi, { ...group, conditions: group.conditions.map((c, i) => (i === ci ? condition : c)) })
  return (
    <fieldset class="segment">
      <legend>{t().segment}</legend>
      <JoinPicker
        label={t().groupsMatch}
        value={segment.join}
        onChange={(join) => onChange({ ...segment, join })}
      />
      {segment.groups.map((group, gi) => (
        <fieldset class="group" key={gi}>
          <legend>{`${t().group} ${gi + 1}`}</legend>
          <JoinPicker
            label={t().conditionsMatch}
            value={group.join}
            onChange={(join) => setGroup(gi, { ...group, join })}
          />
          {group.conditions.map((condition, ci) => (
            <ConditionRow
              key={ci}
              condition={condition}
              onChange={(next) => setCondition(group, gi, ci, next)}
              onRemove={() =>
                setGroup(gi, { ...group, conditions: group.conditions.filter((_, i) => i !== ci) })
              }
            />
          ))}
          <button
            type="button"
            onClick={() => setGroup(gi, { ...group, conditions: [...group.conditions, emptyCondition()] })}
          >
            {t().addCondition}
          </button>
          <button
            type="button"
            onClick={() => onChange({ ...segment, groups: segment.groups.filter((_, i) => i !== gi) })}
          >
            {t().remove}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange({ ...segment, groups: [...segment.groups, { join: '$all', conditions: [] }] })
        }
      >
        {t().addGroup}
      </button>
    </fieldset>
  )
}
