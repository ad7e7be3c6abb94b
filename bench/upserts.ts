// The upsert queue under a steady stream: the 202s say a job was accepted, not applied. Clients
// post upserts for `seconds`; the bench records every job's id and when it was accepted, then
// reads receipts to learn how far the worker got (one space's jobs are applied in id order, so the
// applied jobs are a prefix of the accepted ones, found by bisection) and waits until the last is
// applied. Works on both engines: it only speaks HTTP.

export interface QueueStats {
  /** 202s, and answers asking the client to slow down (429/503) */
  accepted: number
  pushed_back: number
  other_errors: number
  accepted_per_s: number
  /** jobs still queued when the clients stopped, and how old the oldest of them was */
  queued_at_end: number
  lag_at_end_s: number
  /** from the clients' stop until the last accepted job was applied */
  drain_s: number
  /** accepted jobs over the time from the first post to the last job applied */
  applied_per_s: number
  /** the worker alone, no request coming in: the jobs queued at the end over the drain's time */
  drain_per_s: number
}

interface Target {
  base: string
  headers: Record<string, string>
  body: () => string
}

/** Waits until every upsert accepted so far is applied: posts one and waits for its receipt. */
export async function drainQueue(target: Target): Promise<number> {
  const started = performance.now()
  for (;;) {
    const response = await fetch(`${target.base}/contacts/upsert`, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body: target.body(),
    })
    const { data } = (await response.json()) as { data?: { upsert_id?: number } }
    if (response.status === 202 && data?.upsert_id) {
      await untilApplied(target, data.upsert_id)
      return (performance.now() - started) / 1000
    }
    await new Promise((resolve) => setTimeout(resolve, 200)) // pushed back: the queue is behind
  }
}

async function isApplied(target: Target, id: number): Promise<boolean> {
  const response = await fetch(`${target.base}/contacts/upsert/${id}`, { headers: target.headers })
  const { data } = (await response.json()) as { data: { upsert: { status: string } } }
  return data.upsert.status !== 'queued'
}

async function untilApplied(target: Target, id: number): Promise<void> {
  while (!(await isApplied(target, id))) await new Promise((resolve) => setTimeout(resolve, 20))
}

export async function upsertStream(
  target: Target,
  concurrency: number,
  seconds: number,
): Promise<QueueStats> {
  const accepted: { id: number; at: number }[] = []
  let pushedBack = 0
  let otherErrors = 0
  const started = performance.now()
  const stopAt = started + seconds * 1000
  const client = async () => {
    while (performance.now() < stopAt) {
      const response = await fetch(`${target.base}/contacts/upsert`, {
        method: 'POST',
        headers: { ...target.headers, 'content-type': 'application/json' },
        body: target.body(),
      })
      const body = (await response.json()) as { data?: { upsert_id?: number } }
      if (response.status === 202 && body.data?.upsert_id) {
        accepted.push({ id: body.data.upsert_id, at: performance.now() })
      } else if (response.status === 429 || response.status === 503) {
        pushedBack++
        // what a well-behaved client does: wait as told (capped, so the run ends on time)
        const wait = Number(response.headers.get('retry-after') ?? 1)
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait * 1000, 1000)))
      } else otherErrors++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client))
  const stopped = performance.now()
  accepted.sort((a, b) => a.id - b.id)
  const applied = (index: number) => isApplied(target, accepted[index]!.id)
  // the first accepted job still queued
  let lo = 0
  let hi = accepted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (await applied(mid)) lo = mid + 1
    else hi = mid
  }
  const queuedAtEnd = accepted.length - lo
  const lagAtEnd = queuedAtEnd > 0 ? (performance.now() - accepted[lo]!.at) / 1000 : 0
  if (accepted.length > 0) await untilApplied(target, accepted.at(-1)!.id)
  const drained = performance.now()
  const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits
  return {
    accepted: accepted.length,
    pushed_back: pushedBack,
    other_errors: otherErrors,
    accepted_per_s: round(accepted.length / ((stopped - started) / 1000)),
    queued_at_end: queuedAtEnd,
    lag_at_end_s: round(lagAtEnd, 2),
    drain_s: round((drained - stopped) / 1000, 2),
    applied_per_s: round(accepted.length / ((drained - started) / 1000)),
    drain_per_s: round(queuedAtEnd / ((drained - stopped) / 1000)),
  }
}
