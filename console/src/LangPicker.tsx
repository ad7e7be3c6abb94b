import { type Lang, lang, setLang, t } from './i18n.ts'

export function LangPicker() {
  return (
    <label class="lang">
      <span>{t().language}</span>
      <select value={lang.value} onChange={(event) => setLang(event.currentTarget.value as Lang)}>
        <option value="fr">Français</option>
        <option value="en">English</option>
      </select>
    </label>
  )
}
