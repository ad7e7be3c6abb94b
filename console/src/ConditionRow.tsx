import { t } from './i18n.ts'
import { ATTRIBUTES, type Condition, NO_VALUE, OPERATORS } from './segment.ts'

interface Props {
  condition: Condition
  onChange: (condition: Condition) => void
  onRemove: () => void
}

export function ConditionRow({ condition, onChange, onRemove }: Props) {
  return (
    <div class="condition">
      <label>
        {t().attribute}
        <select
          value={condition.attr}
          onChange={(e) => onChange({ ...condition, attr: e.currentTarget.value })}
        >
          {ATTRIBUTES.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
      </label>
      <label>
        {t().operator}
        <select
          value={condition.ope}
          onChange={(e) => onChange({ ...condition, ope: e.currentTarget.value })}
        >
          {OPERATORS.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      {!NO_VALUE.has(condition.ope) && (
        <label>
          {t().value}
          <input
            value={condition.value}
            onInput={(e) => onChange({ ...condition, value: e.currentTarget.value })}
          />
        </label>
      )}
      <button type="button" onClick={onRemove}>
        {t().remove}
      </button>
    </div>
  )
}
