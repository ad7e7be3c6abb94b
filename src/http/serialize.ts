// Response serialisation: fast-json-stringify from the route's response schema, as Fastify does by
// default, with one change for list envelopes ({status, data: {<key>: [items]}}, a search page):
// their items are serialised and encoded one by one into a Buffer.
//
// Why: one fast-json-stringify call over a page of 1,000 contacts (1.1 MB of JSON) returns a
// string of thousands of concatenated pieces. Node then flattens it to measure Content-Length
// and encodes it again to UTF-8 (a single ’ in a name makes the whole string two bytes a
// character): measured 11–20 ms for that page, against 6.6 ms item by item (small strings
// flatten and encode in cache), on top of 3.5 ms to build the string either way.

import fastJson from 'fast-json-stringify'

type JsonSchema = {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
}

/** The list key and item schema of {status, data: {<key>: array of objects}}, else null. */
function listEnvelope(schema: JsonSchema): { key: string; items: JsonSchema } | null {
  const props = schema.properties
  if (!props || Object.keys(props).join() !== 'status,data') return null
  const inner = props.data?.properties
  if (!inner || Object.keys(inner).length !== 1) return null
  const [key, list] = Object.entries(inner)[0]!
  if (list.type !== 'array' || list.items?.type !== 'object') return null
  return { key, items: list.items }
}

export function compileSerializer({ schema }: { schema: unknown }): (data: unknown) => string {
  const whole = fastJson(schema as never)
  const list = listEnvelope(schema as JsonSchema)
  if (!list) return whole
  const item = fastJson(list.items as never)
  const serialize = (data: unknown): Buffer | string => {
    const envelope = data as { data?: Record<string, unknown> } | null
    const items = envelope?.data?.[list.key]
    if (!Array.isArray(items)) return whole(data)
    // the envelope with an empty list, e.g. {"status":"success","data":{"contacts":[]}}, is
    // split at that list: what comes before and after the items
    const empty = whole({ ...envelope, data: { [list.key]: [] } })
    const at = empty.lastIndexOf('[]')
    const parts = [empty.slice(0, at + 1)]
    for (const [i, value] of items.entries()) parts.push(i === 0 ? item(value) : `,${item(value)}`)
    parts.push(empty.slice(at + 1))
    // one Buffer of the exact size, each part encoded into it: 0.8 ms for a page of 1,000
    // against 1.25 ms for a Buffer per part then Buffer.concat
    let size = 0
    for (const part of parts) size += Buffer.byteLength(part)
    const out = Buffer.allocUnsafe(size)
    let written = 0
    for (const part of parts) written += out.write(part, written)
    return out
  }
  // Fastify sends a Buffer payload as it is (and sets Content-Length from it); its type says string
  return serialize as (data: unknown) => string
}
