// The import's progress line on a terminal: a bar when the share done is known (bytes of the file
// read), the rows so far and the rate.
const WIDTH = 24

export function progressLine(done: number, seconds: number, fraction?: number): string {
  const rate = seconds > 0 ? Math.round(done / seconds) : 0
  const counts = `${done.toLocaleString('en')} rows, ${rate.toLocaleString('en')} rows/s`
  if (fraction === undefined) return counts
  const share = Math.min(1, Math.max(0, fraction))
  const filled = Math.round(share * WIDTH)
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.floor(share * 100)
    .toString()
    .padStart(3)}%  ${counts}`
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
    /** A step after the rows (index builds, VACUUM), on a line of its own. */
    note(text: string) {
      if (process.stderr.isTTY) process.stderr.write(`\n${text}`)
    },
    end() {
      if (process.stderr.isTTY) process.stderr.write('\n')
    },
  }
}
