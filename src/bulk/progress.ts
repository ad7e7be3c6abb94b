// The import's progress line on a terminal: a bar when the share done is known (bytes of the file
// read), the rows so far, the rate and the time left.
const WIDTH = 24

export function progressLine(done: number, seconds: number, fraction?: number): string {
  const rate = seconds > 0 ? Math.round(done / seconds) : 0
  const counts = `${done.toLocaleString('en')} rows, ${rate.toLocaleString('en')} rows/s`
  if (fraction === undefined) return counts
  const share = Math.min(1, Math.max(0, fraction))
  const filled = Math.round(share * WIDTH)
  // the rest of the file at the pace so far
  const left = share > 0 && seconds > 0 ? `, ${duration((seconds * (1 - share)) / share)} left` : ''
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.floor(share * 100)
    .toString()
    .padStart(3)}%  ${counts}${left}`
}

/** 75 → "1:15", 3725 → "1:02:05" */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const two = (n: number) => n.toString().padStart(2, '0')
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`
}

/** Redraws the line on stderr at most 5 times a second, only on a terminal (logs stay clean). */
export function terminalProgress(label: string, fraction?: () => number) {
  const started = performance.now()
  let last = 0
  return {
    update(done: number) {
      const now = performance.now()
      if (!process.stderr.isTTY || now - last < 200) return
      last = now
      process.stderr.write(`\r${label} ${progressLine(done, (now - started) / 1000, fraction?.())}`)
    },
    /** A stage of the import (rows checked, the commit, index builds), on a line of its own. */
    note(text: string) {
      process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${text}\n` : `${text}\n`)
      last = 0
    },
  }
}
