// Response serialisation: fast-json-stringify from the route's response schema, as Fastify does by
// default, with one change for list envelopes ({status, data: {<key>: [items]}}, a search page):
// each item is serialised and at once encoded into one Buffer.
//
// Why: one fast-json-stringify call over a page of 1,000 contacts (1.1 MB of JSON) returns a
// string of thousands of concatenated pieces. Node then flattens it to measure Content-Length
// and encodes it again to UTF-8 (a single ’ in a name makes the whole string two bytes a
// character). Item by item, but keeping every item's string until the end, is faster, yet
// 1,000 strings of ~150 pieces each stay alive and each young collection copies them. Encoding
// each item as soon as it is written leaves nothing alive but the Buffer, and is the fastest of
// the three (BENCHMARKS.md, Measurements behind the code).

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
  // the last list's size, so that the Buffer is rarely grown
  let bytesPerItem = 256
  const serialize = (data: unknown): Buffer | string => {
    const envelope = data as { data?: Record<string, unknown> } | null
    const items = envelope?.data?.[list.key]
    if (!Array.isArray(items)) return whole(data)
    // the envelope with an empty list, e.g. {"status":"success","data":{"contacts":[]}}, is
    // split at that list: what comes before and after the items
    const empty = whole({ ...envelope, data: { [list.key]: [] } })
    const at = empty.lastIndexOf('[]')
    const out = new Output(Math.min(items.length * bytesPerItem + empty.length, MAX_FIRST_GUESS))
    out.put(empty.slice(0, at + 1))
    for (const [i, value] of items.entries()) {
      if (i > 0) out.put(',')
      out.put(item(value))
    }
    out.put(empty.slice(at + 1))
    if (items.length > 0) bytesPerItem = Math.ceil((out.size / items.length) * 1.1)
    return out.bytes()
  }
  // Fastify sends a Buffer payload as it is (and sets Content-Length from it); its type says string
  return serialize as (data: unknown) => string
}

/** Past this, the Buffer grows as it is written rather than being guessed at once. */
const MAX_FIRST_GUESS = 4 * 2 ** 20

/** A Buffer written string by string, grown (doubled) when a string may not fit. */
class Output {
  private buffer: Buffer
  size = 0
  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(1024, capacity))
  }
  put(text: string) {
    // a UTF-16 unit is at most 3 UTF-8 bytes; measure exactly only when that bound does not fit
    if (this.size + text.length * 3 > this.buffer.length) {
      const needed = this.size + Buffer.byteLength(text)
      if (needed > this.buffer.length) {
        const bigger = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2))
        this.buffer.copy(bigger, 0, 0, this.size)
        this.buffer = bigger
      }
    }
    this.size += this.buffer.write(text, this.size)
  }
  bytes(): Buffer {
    return this.buffer.subarray(0, this.size)
  }
}
