import { useEffect, useState } from 'preact/hooks'
import { api, errorsByLocation, type Note, problemDetail } from './api/client.ts'
import { t } from './i18n.ts'
import { can } from './session.ts'

export function Notes({ contactId }: { contactId: number }) {
  const [notes, setNotes] = useState<Note[]>([])
  const [text, setText] = useState('')
  const [error, setError] = useState('')
  const params = { params: { path: { id: contactId } } }
  const load = async () => {
    const { data } = await api.GET('/contacts/{id}/notes', params)
    setNotes(data?.data.notes ?? [])
  }
  useEffect(() => {
    void load()
  }, [contactId])
  const add = async (event: Event) => {
    event.preventDefault()
    const { error: problem } = await api.POST('/contacts/{id}/notes', {
      ...params,
      body: { data: { note: { content: text } } },
    })
    if (problem)
      return setError(errorsByLocation(problem)['body.data.note.content'] ?? problemDetail(problem))
    setText('')
    setError('')
    await load()
  }
  return (
    <>
      <h2>{t().notes}</h2>
      {notes.length === 0 ? (
        <p>{t().none}</p>
      ) : (
        <ul class="notes">
          {notes.map((note) => (
            <li key={note.id}>
              <time>{note.created_at.slice(0, 10)}</time> {note.data}
            </li>
          ))}
        </ul>
      )}
      {can('contacts.write') && (
        <form onSubmit={add}>
          <label for="new-note">{t().newNote}</label>
          <textarea id="new-note" value={text} onInput={(e) => setText(e.currentTarget.value)} />
          {error && <p class="error">{error}</p>}
          <button type="submit">{t().addNote}</button>
        </form>
      )}
    </>
  )
}
