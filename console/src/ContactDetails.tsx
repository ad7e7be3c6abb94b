import type { Contact } from './api/client.ts'
import { t } from './i18n.ts'

export function ContactDetails({ contact }: { contact: Contact }) {
  const a = contact.address
  const address = [
    [a.housenumber, a.street].filter(Boolean).join(' '),
    [a.postalcode, a.city].filter(Boolean).join(' '),
    a.country,
  ]
    .filter(Boolean)
    .join(', ')
  return (
    <>
      <h2>{t().fields}</h2>
      <dl>
        <dt>{t().mail}</dt>
        <dd data-testid="mail">{contact.mail ?? '—'}</dd>
        <dt>{t().phone}</dt>
        <dd>{contact.phone ?? '—'}</dd>
        <dt>{t().mobile}</dt>
        <dd>{contact.mobile ?? '—'}</dd>
        <dt>{t().birthdate}</dt>
        <dd>{contact.birthdate?.slice(0, 10) ?? '—'}</dd>
        <dt>{t().address}</dt>
        <dd>{address || '—'}</dd>
      </dl>
      <h2>{t().tags}</h2>
      <p>
        {contact.tags.length
          ? contact.tags.map((tag) => (
              <span class="tag" key={tag.name}>
                {tag.name}
              </span>
            ))
          : t().none}
      </p>
      <h2>{t().answers}</h2>
      {contact.formdatas.length + contact.customfields.length === 0 ? (
        <p>{t().none}</p>
      ) : (
        <ul>
          {[...contact.formdatas, ...contact.customfields].map((answer) => (
            <li key={answer.id}>
              {answer.label ?? `#${answer.form_id}`}: {answer.data}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
