// Start-up as an operator meets it: the real `node src/main.ts`, configured by the environment or
// by a .env file, stopping with one line that names what is wrong (no stack trace, no password).
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, test } from 'vitest'
import { freePort } from '../process.ts'
import { tempDir } from '../tmp.ts'

const MAIN = resolve('src/main.ts')

/** Runs the server in `cwd` until it exits or prints `ready`; gives its code (null: still running) and output. */
function start(
  env: Record<string, string | undefined>,
  cwd = tempDir('carnet-start-'),
  ready = /Carnet listening on/,
) {
  const all: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: '',
    DATA_DIR: join(cwd, 'data'),
    LOG_LEVEL: 'warn',
    PORT: undefined,
    ...env,
  }
  // undefined: not in the child's environment at all (so a .env file may set it)
  const defined = Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined))
  const child = spawn(process.execPath, [MAIN], { cwd, env: defined, stdio: 'pipe' })
  let output = ''
  return new Promise<{ code: number | null; output: string }>((done) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (ready.test(output)) {
        child.kill('SIGTERM')
        done({ code: null, output })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => done({ code, output }))
  })
}

const oneLine = (output: string) => output.trim().split('\n')

test.each([
  [
    'LOG_LEVEL',
    'loud',
    'carnet: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
  ],
  ['PORT', '99999', 'carnet: PORT must be at most 65535, got "99999"'],
  ['DATABASE_URL', 'mysql://x@y/z', 'carnet: DATABASE_URL must be a URL such as postgres://'],
  ['TRUST_PROXY', '10.0.0.300', 'carnet: TRUST_PROXY must be on, off, a number of proxies'],
  ['CORS_ORIGINS', 'app.example.org', 'carnet: CORS_ORIGINS must be * or origins such as'],
  ['METRICS_TOKEN', 'short', 'carnet: METRICS_TOKEN must be at least 16 characters'],
])('a bad %s=%s stops the server with one line that names it', async (name, value, message) => {
  const { code, output } = await start({ [name]: value })
  expect(code).toBe(1)
  expect(oneLine(output)).toHaveLength(1)
  expect(output).toContain(message)
})

test('an unreachable database: one line with the address tried, the password hidden', async () => {
  const port = await freePort()
  const { code, output } = await start({
    DATABASE_URL: `postgres://carnet:s3cret-pw@127.0.0.1:${port}/carnet`,
  })
  expect(code).toBe(1)
  expect(oneLine(output)).toHaveLength(1)
  expect(output).toContain(
    `carnet: Cannot reach the database at postgres://carnet:***@127.0.0.1:${port}/carnet`,
  )
  expect(output).not.toContain('s3cret-pw')
})

test('.env in the working directory is read at start, under the variables already set', {
  timeout: 180_000,
}, async () => {
  const cwd = tempDir('carnet-env-')
  writeFileSync(join(cwd, '.env'), 'LOG_LEVEL=loud\n')
  const fromFile = await start({ LOG_LEVEL: undefined }, cwd)
  expect(fromFile.output).toContain('LOG_LEVEL must be one of')
  const port = await freePort()
  writeFileSync(join(cwd, '.env'), `PORT=${port}\nLOG_LEVEL=loud\n`)
  // LOG_LEVEL set in the environment wins over the file; PORT comes from the file
  const started = await start({ LOG_LEVEL: 'warn' }, cwd)
  expect(started.output).toContain(`Carnet listening on http://127.0.0.1:${port}`)
})
