import { useState } from 'preact/hooks'
import { api, type Contact, type ContactInput, errorsByLocation, problemDetail } from './api/client.ts'
import { type Texts, t } from './i18n.ts'

const FIELDS = ['firstname', 'surname', 'mail', 'phone', 'mobile'] as const
const ADDRESS = ['housenumber', 'street', 'postalcode', 'city', 'country'] as const
const PREFIX = 'body.data.contact.'

interface Props {
  contact: Contact
  onSaved: (contact: Contact) => void
  onCancel: () => void
}

/** Edits a contact; the server's 422 messages show next to the field their location names. */
export function ContactForm({ contact, onSaved, onCancel }: Props) {
  const [draft, setDraft] = useState(contact)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const save = async (event: Event) => {
    event.preventDefault()
    // PATCH replaces the whole contact and accepts back what GET returned: the edited fields go
    // onto a fresh read, so notes, tags or answers added since the card was drawn are kept
    const params = { params: { path: { id: contact.id } } }
    const fresh = await api.GET('/contacts/{id}', params)
    if (!fresh.data) return setErrors({ form: problemDetail(fresh.error) })
    const current = fresh.data.data.contact
    const edited = { ...current, address: { ...current.address } }
    for (const name of FIELDS) edited[name] = draft[name]
    for (const name of ADDRESS) edited.address[name] = draft.address[name]
    const body = { data: { contact: edited as unknown as ContactInput } }
    const { data, error } = await api.PATCH('/contacts/{id}', { ...params, body })
    if (data) return onSaved(data.data.contact)
    const found = errorsByLocation(error)
    setErrors(Object.keys(found).length ? found : { form: problemDetail(error) })
  }
  const field = (name: string, value: string | null, set: (v: string) => void) => {
    const message = errors[PREFIX + name]
    const id = `field-${name.replace('.', '-')}`
    const label = t()[(name.split('.').pop() ?? name) as keyof Texts] as string
    return (
      <div class="field" key={name}>
        <label for={id}>{label}</label>
        <input
          id={id}
          value={value ?? ''}
          aria-invalid={message ? 'true' : undefined}
          aria-describedby={message ? `${id}-error` : undefined}
          onInput={(e) => set(e.currentTarget.value)}
        />
        {message && (
          <p class="error" id={`${id}-error`}>
            {message}
          </p>
        )}
      </div>
    )
  }
  return (
    <form onSubmit={save} class="edit">
      {FIELDS.map((name) => field(name, draft[name], (v) => setDraft({ ...draft, [name]: v })))}
      <fieldset>
        <legend>{t().address}</legend>
        {ADDRESS.map((name) =>
          field(`address.${name}`, draft.address[name], (v) =>
            setDraft({ ...draft, address: { ...draft.address, [name]: v } }),
          ),
        )}
      </fieldset>
      {(errors.form || errors['body.data.contact']) && (
        <p role="alert" class="error">
          {errors.form ?? errors['body.data.contact']}
        </p>
      )}
      <button type="submit">{t().save}</button>
      <button type="button" onClick={onCancel}>
        {t().cancel}
      </button>
    </form>
  )
}
