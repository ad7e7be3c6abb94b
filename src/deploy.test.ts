// Images cannot be built in this test suite: this checks instead that every file the Dockerfile
// copies exists, that every npm script it and compose.yaml run is defined, and that every
// variable they set is one the server reads (src/config.ts), so a rename breaks a test.
import { existsSync, readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

/** The file without its comment lines. */
const read = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n')
const scripts = Object.keys(JSON.parse(read('package.json')).scripts)
const config = read('src/config.ts')
const dockerfile = read('Dockerfile')
const compose = read('compose.yaml')
// the database's own image reads these, not Carnet
const POSTGRES_IMAGE = new Set(['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB'])

/** `npm start`, `npm run db:migrate` → the script names */
const npmScripts = (text: string) =>
  [...text.matchAll(/"?npm"?,?\s+"?(run"?,?\s+"?)?([\w:-]+)/g)]
    .map((m) => m[2]!)
    .filter((name) => !['ci', 'cache', 'install'].includes(name))

test('the Dockerfile copies files that exist and runs npm scripts that exist', () => {
  const copied = [...dockerfile.matchAll(/^COPY\s+(.+)\s+\S+$/gm)].flatMap((m) => m[1]!.split(/\s+/))
  expect(copied).toEqual(['package.json', 'package-lock.json', 'src'])
  for (const path of copied) expect([path, existsSync(path)]).toEqual([path, true])
  const run = npmScripts(dockerfile)
  expect(run).toEqual(['start'])
  for (const name of run) expect(scripts).toContain(name)
})

test('compose.yaml runs npm scripts that exist, and sets only variables Carnet reads', () => {
  const run = npmScripts(compose)
  expect(run).toEqual(expect.arrayContaining(['start', 'db:migrate']))
  for (const name of run) expect(scripts).toContain(name)
  const fromDockerfile = [...dockerfile.matchAll(/\b([A-Z][A-Z_]+)=/g)].map((m) => m[1]!)
  const fromCompose = [...compose.matchAll(/^\s{6}([A-Z][A-Z_]+):/gm)].map((m) => m[1]!)
  expect(fromDockerfile).toEqual(['HOST', 'PORT', 'DATA_DIR'])
  expect(fromCompose).toEqual(expect.arrayContaining(['DATABASE_URL', 'HOST', 'POSTGRES_DB']))
  for (const name of [...fromDockerfile, ...fromCompose].filter((n) => !POSTGRES_IMAGE.has(n)))
    expect([name, config.includes(`env.${name}`) || config.includes(`'${name}'`)]).toEqual([name, true])
})

test('the README gives the steps the image runs', () => {
  const readme = read('README.md')
  expect(readme).toMatch(/npm ci && npm start/)
  expect(readme).toMatch(/npm run db:migrate/)
})
