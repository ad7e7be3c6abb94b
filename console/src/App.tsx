import { signal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { api, type Me } from './api/client.ts'
import { ContactCard } from './ContactCard.tsx'
import { Contacts } from './Contacts.tsx'
import { Header } from './Header.tsx'
import { t } from './i18n.ts'
import { LogIn } from './LogIn.tsx'
import { path } from './route.ts'

/** Who is logged in: undefined while asking the server, null when nobody. */
export const me = signal<Me | null | undefined>(undefined)

export async function loadMe(): Promise<void> {
  const { data } = await api.GET('/v1/auth/me')
  me.value = data?.data ?? null
}

export function can(permission: string): boolean {
  return (me.value?.permissions as string[] | undefined)?.includes(permission) ?? false
}

export function App() {
  useEffect(() => {
    void loadMe()
  }, [])
  if (me.value === undefined) return null
  if (me.value === null) return <LogIn />
  const contact = /^\/contacts\/(\d+)$/.exec(path.value)
  return (
    <>
      <Header />
      <main>
        {!can('contacts.read') ? (
          <p role="alert">{t().notAllowed}</p>
        ) : contact ? (
          <ContactCard id={Number(contact[1])} />
        ) : (
          <Contacts />
        )}
      </main>
    </>
  )
}
