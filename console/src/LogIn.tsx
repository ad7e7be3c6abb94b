import { useState } from 'preact/hooks'
import { api, problemDetail } from './api/client.ts'
import { t } from './i18n.ts'
import { LangPicker } from './LangPicker.tsx'
import { loadMe } from './session.ts'

export function LogIn() {
  const [mail, setMail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const submit = async (event: Event) => {
    event.preventDefault()
    const { error: problem, response } = await api.POST('/v1/auth/login', { body: { mail, password } })
    if (response.ok) return loadMe()
    setError(response.status === 401 ? t().badLogIn : problemDetail(problem))
  }
  return (
    <main class="login">
      <h1>{t().appName}</h1>
      <form onSubmit={submit}>
        <label>
          {t().mail}
          <input
            type="email"
            autoComplete="username"
            required
            value={mail}
            onInput={(e) => setMail(e.currentTarget.value)}
          />
        </label>
        <label>
          {t().password}
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit">{t().logIn}</button>
      </form>
      <LangPicker />
    </main>
  )
}
