import type { FoundContact } from './api/client.ts'
import { t } from './i18n.ts'
import { go } from './route.ts'

export function ContactList({ contacts }: { contacts: FoundContact[] }) {
  if (contacts.length === 0) return <p>{t().noContacts}</p>
  return (
    <table class="contacts">
      <thead>
        <tr>
          <th>{t().name}</th>
          <th>{t().mail}</th>
          <th>{t().city}</th>
        </tr>
      </thead>
      <tbody>
        {contacts.map((c) => (
          <tr key={c.id}>
            <td>
              <a
                href={`/app/contacts/${c.id}`}
                onClick={(event) => {
                  event.preventDefault()
                  go(`/contacts/${c.id}`)
                }}
              >
                {[c.firstname, c.surname].filter(Boolean).join(' ') || `#${c.id}`}
              </a>
            </td>
            <td>{c.mail}</td>
            <td>{c.address?.city}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
