import { useEffect } from 'preact/hooks'
import { ContactCard } from './ContactCard.tsx'
import { Contacts } from './Contacts.tsx'
import { Header } from './Header.tsx'
import { t } from './i18n.ts'
import { LogIn } from './LogIn.tsx'
import { path } from './route.ts'
import { can, loadMe, me } from './session.ts'

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
