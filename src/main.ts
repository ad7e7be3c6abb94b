// Process entry: config → database → app → listen, and a clean close on SIGINT/SIGTERM (PGlite
// never fsyncs, so closing it properly is what keeps the embedded data directory consistent).
import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { DataDirLockedError } from './db/lock.ts'
import { startMaintenance } from './db/maintenance.ts'
import { subscriber } from './db/notify.ts'
import { openDatabase, SchemaBehindError } from './db/open.ts'
import * as spaces from './spaces/spaces.service.ts'

async function main(): Promise<void> {
  const config = loadConfig()
  const database = await openDatabase(config)
  if (config.bootstrapApiKey) {
    const created = await spaces.bootstrap(database.db, config.bootstrapApiKey)
    if (created) console.log(`Created space ${created.groupId} with the key from BOOTSTRAP_API_KEY`)
  }
  const app = await buildApp({
    config,
    db: database.db,
    logger: true,
    upsertWorker: config.upsertWorker && {
      // PGlite is one connection: a second claimer would only wait for the first
      claimers: database.driver === 'pglite' ? 1 : config.upsertConcurrency,
      batchSize: config.upsertBatch,
    },
    subscribe: subscriber(database),
  })
  // PGlite has no autovacuum: keep planner statistics fresh as data changes
  const stopMaintenance = database.driver === 'pglite' ? startMaintenance(database.db) : async () => {}
  let closing = false
  const close = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info(`${signal}: closing`)
    await app.close()
    await stopMaintenance()
    await database.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void close('SIGINT'))
  process.on('SIGTERM', () => void close('SIGTERM'))
  await app.listen({ host: config.host, port: config.port })
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`
  console.log(`Carnet listening on http://${config.host}:${config.port} (database: ${where}; docs at /docs)`)
}

main().catch((error) => {
  if (
    error instanceof ConfigError ||
    error instanceof DataDirLockedError ||
    error instanceof SchemaBehindError
  ) {
    console.error(`carnet: ${error.message}`)
  } else {
    console.error(error)
  }
  process.exit(1)
})
