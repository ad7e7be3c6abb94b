import { useEffect, useState } from 'preact/hooks'
import { api, type Contact, type Interaction, problemDetail } from './api/client.ts'
import { ContactDetails } from './ContactDetails.tsx'
import { ContactForm } from './ContactForm.tsx'
import { t } from './i18n.ts'
import { Notes } from './Notes.tsx'
import { go } from './route.ts'
import { can } from './session.ts'

/** A contact's card: its fields, address, tags, answers, notes and interactions; edit and delete. */
export function ContactCard({ id }: { id: number }) {
  const [contact, setContact] = useState<Contact | null>(null)
  const [interactions, setInteractions] = useState<Interaction[]>([])
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState('')
  const params = { params: { path: { id } } }

  const load = async () => {
    const [read, listed] = await Promise.all([
      api.GET('/contacts/{id}', params),
      api.GET('/contacts/{id}/interactions', params),
    ])
    if (!read.data) return setError(problemDetail(read.error))
    setContact(read.data.data.contact)
    setInteractions(listed.data?.data.interactions ?? [])
  }
  useEffect(() => {
    void load()
  }, [id])

  const remove = async () => {
    const { error: problem } = await api.DELETE('/contacts/{id}', params)
    if (problem) return setError(problemDetail(problem))
    go('/')
  }

  const back = (
    <a
      href="/app/"
      onClick={(event) => {
        event.preventDefault()
        go('/')
      }}
    >
      {t().back}
    </a>
  )
  if (!contact)
    return (
      <section>
        {back}
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </section>
    )
  const name = [contact.firstname, contact.surname].filter(Boolean).join(' ') || `#${contact.id}`
  return (
    <section class="card">
      {back}
      <h1>{name}</h1>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {editing ? (
        <ContactForm
          contact={contact}
          onSaved={(saved) => {
            setContact(saved)
            setEditing(false)
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <div class="actions">
            {can('contacts.write') && (
              <button type="button" onClick={() => setEditing(true)}>
                {t().edit}
              </button>
            )}
            {can('contacts.delete') && (
              <button type="button" class="danger" onClick={remove}>
                {t().delete}
              </button>
            )}
          </div>
          <ContactDetails contact={contact} />
        </>
      )}
      <Notes contactId={id} />
      <h2>{t().interactions}</h2>
      {interactions.length === 0 ? (
        <p>{t().none}</p>
      ) : (
        <ul>
          {interactions.map((i) => (
            <li key={i.id}>
              {i.created_at.slice(0, 10)} · {i.type} {i.title && `· ${i.title}`}{' '}
              {i.comments && `— ${i.comments}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
