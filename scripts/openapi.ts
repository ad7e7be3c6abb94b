// Prints the OpenAPI document (the same one the server serves at /openapi.json).
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { createDb } from '../src/db/connect.ts'

const { db } = await createDb({ dataDir: 'memory://' })
const app = await buildApp({ config: loadConfig(), db })
await app.ready()
process.stdout.write(`${JSON.stringify(app.swagger(), null, 2)}\n`)
await app.close()
await db.destroy()
