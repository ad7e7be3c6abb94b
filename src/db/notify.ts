// LISTEN on a channel, for caches that must forget what the database changed. On PostgreSQL a
// client of its own holds the LISTEN (a pooled one would be handed to others); on PGlite the
// instance delivers the notifications of its own transactions.
import { ownClient } from './clients.ts'
import type { Connection } from './connect.ts'

export interface Subscription {
  close(): Promise<void>
}

export interface Handlers {
  /** a transaction that notified on the channel committed */
  notified(): void
  /** the LISTEN is gone (connection lost): notifications from now on will not arrive */
  lost(error?: Error): void
}

/** Starts listening on `channel`; names come from the code, never from input. */
export type Subscribe = (channel: string, handlers: Handlers) => Promise<Subscription>

export function subscriber(connection: Pick<Connection, 'pool' | 'pglite'>): Subscribe {
  const { pool, pglite } = connection
  if (pglite) {
    return async (channel, { notified }) => {
      const unlisten = await pglite.listen(channel, () => notified())
      return { close: () => unlisten() }
    }
  }
  if (!pool) throw new Error('subscriber needs a PostgreSQL pool or a PGlite instance')
  return async (channel, { notified, lost }) => {
    const client = ownClient(pool)
    let closing = false
    let gone = false
    const onLost = (error?: Error) => {
      if (closing || gone) return
      gone = true
      lost(error)
    }
    client.on('notification', (message) => {
      if (message.channel === channel) notified()
    })
    client.on('error', onLost)
    client.on('end', () => onLost())
    try {
      await client.connect()
      await client.query(`listen ${channel}`)
    } catch (error) {
      closing = true
      await client.end().catch(() => {})
      throw error
    }
    return {
      close: async () => {
        closing = true
        await client.end().catch(() => {})
      },
    }
  }
}
