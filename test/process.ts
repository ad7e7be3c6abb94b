// Helpers for tests that run the real server or CLI as a child process.
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

export interface Running {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/** Starts `node <script> …args` with env; resolves once `ready` appears in its output (or it exits). */
export function run(
  script: string,
  args: string[],
  env: Record<string, string>,
  ready?: RegExp,
): Promise<Running> {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' })
  let text = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString()
      if (ready?.test(text)) resolve({ child, output: () => text, exited })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    exited.then(() => resolve({ child, output: () => text, exited }))
    if (!ready) resolve({ child, output: () => text, exited })
  })
}

export async function runToEnd(script: string, args: string[], env: Record<string, string>) {
  const running = await run(script, args, env)
  const code = await running.exited
  return { code, output: running.output() }
}
