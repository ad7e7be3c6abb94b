// Configuration, read once from the environment in main.ts / cli.ts and passed down.
import { resolve } from 'node:path'

export interface Config {
  host: string
  port: number
  databaseUrl: string | undefined
  dataDir: string
  logLevel: string
  bootstrapApiKey: string | undefined
  bodyLimit: number
  rateLimit: { enabled: boolean; burst: number; rate: number }
  /** Run the upsert queue's worker in this process. */
  upsertWorker: boolean
  /** Upsert batches applied at once, each on its own connection (PostgreSQL; PGlite: 1). */
  upsertConcurrency: number
  /** The most upserts applied in one transaction. */
  upsertBatch: number
  /** POST /contacts/upsert answers 503 once the space's oldest queued job waited longer (s; 0: never). */
  upsertMaxLag: number
  /** Search pages computed at once; more wait their turn (bounds memory, docs/architecture.md). */
  searchConcurrency: number
  /** PostgreSQL: reuse statement plans through named prepared statements (db/prepared.ts). */
  preparedStatements: boolean
  /** Answer a /kpi count again from memory while the database is unchanged (search/count-cache.ts). */
  countCache: boolean
  /** Keep checked API keys in memory while LISTENing for their changes (spaces/key-cache.ts). */
  keyCache: boolean
  /** Record the history of every change to a contact (history/); off only to measure its cost. */
  history: boolean
  /** SMTP server for invitation e-mails (smtp://user:pass@host:port); without it, links are shown */
  smtpUrl: string | undefined
  mailFrom: string
  /** The address people reach the server at, for links in e-mails; else the request's own */
  publicUrl: string | undefined
  /** How long a log-in session lasts */
  sessionHours: number
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min)
    throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`)
  return value
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive number, got "${raw}"`)
  return value
}

const ON = ['on', 'true', '1']
const OFF = ['off', 'false', '0']

/** A switch, on unless `fallback` says otherwise when unset: on/off (true/false and 1/0 are taken too). */
function onOff(env: NodeJS.ProcessEnv, name: string, fallback = true): boolean {
  const value = (env[name] || (fallback ? 'on' : 'off')).toLowerCase()
  if (![...ON, ...OFF].includes(value))
    throw new ConfigError(`${name} must be "on" or "off", got "${env[name]}"`)
  return ON.includes(value)
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const preparedStatements = onOff(env, 'DATABASE_PREPARED_STATEMENTS')
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8080),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR || './data'),
    logLevel: env.LOG_LEVEL || 'info',
    bootstrapApiKey: env.BOOTSTRAP_API_KEY || undefined,
    bodyLimit: integer(env, 'BODY_LIMIT', 10 * 1024 * 1024, 1),
    rateLimit: {
      enabled: onOff(env, 'RATE_LIMIT'),
      burst: integer(env, 'RATE_LIMIT_BURST', 100, 1),
      rate: number(env, 'RATE_LIMIT_RATE', 10),
    },
    upsertWorker: onOff(env, 'UPSERT_WORKER'),
    upsertConcurrency: integer(env, 'UPSERT_CONCURRENCY', 2, 1),
    upsertBatch: integer(env, 'UPSERT_BATCH', 32, 1),
    upsertMaxLag: integer(env, 'UPSERT_MAX_LAG', 30, 0),
    searchConcurrency: integer(env, 'SEARCH_CONCURRENCY', 4, 1),
    preparedStatements,
    countCache: onOff(env, 'COUNT_CACHE'),
    // a transaction-mode pooler (the reason to turn prepared statements off) does not deliver
    // notifications either: the cache then stays off unless asked for
    keyCache: onOff(env, 'KEY_CACHE', preparedStatements),
    history: onOff(env, 'HISTORY'),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'carnet@localhost',
    publicUrl: env.PUBLIC_URL || undefined,
    sessionHours: integer(env, 'SESSION_HOURS', 12, 1),
  }
}
