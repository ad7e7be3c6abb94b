import { api } from './api/client.ts'
import { t } from './i18n.ts'
import { LangPicker } from './LangPicker.tsx'
import { go } from './route.ts'
import { loadMe, me } from './session.ts'

export function Header() {
  const logOut = async () => {
    await api.POST('/v1/auth/logout')
    await loadMe()
  }
  return (
    <header>
      <a
        href="/app/"
        class="brand"
        onClick={(event) => {
          event.preventDefault()
          go('/')
        }}
      >
        {t().appName}
      </a>
      <span class="who">{me.value?.user?.mail}</span>
      <LangPicker />
      <button type="button" onClick={logOut}>
        {t().logOut}
      </button>
    </header>
  )
}
