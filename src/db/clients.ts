// A pg client seen through a Proxy with some members replaced. pg's methods read their state from
// `this`, so every other method is bound to the client itself.
import pg from 'pg'

export function withMembers<T extends pg.ClientBase>(client: T, members: Record<string, unknown>): T {
  return new Proxy(client, {
    get: (target, key) => {
      if (typeof key === 'string' && key in members) return members[key]
      const value = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * A client of its own, outside the pool and not pipelined: for what must hold one connection
 * (a LISTEN) or cannot share a pipelined one (COPY). The caller ends it.
 */
export function ownClient(pool: pg.Pool): pg.Client {
  return new pg.Client({ ...pool.options, pipeline: false })
}
