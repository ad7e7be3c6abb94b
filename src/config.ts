// Configuration, read once from the environment in main.ts / cli.ts and passed down. Every
// variable is checked here: a wrong one stops the process with one line that names it.
import { existsSync } from 'node:fs'
import { isIP } from 'node:net'
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
  /** Allows GET /v1/backup/all (the whole database) with this bearer token; unset: no such route. */
  backupToken: string | undefined
  /** Serves GET /metrics to this bearer token; unset: no such route. */
  metricsToken: string | undefined
  /** Fastify's trustProxy: whether (or which) proxies' X-Forwarded-For give the client's address. */
  trustProxy: boolean | number | string[]
  /** Origins allowed to call the API from a browser; '*' any; empty: no CORS headers. */
  corsOrigins: string[] | '*'
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Reads `.env` of the working directory into process.env, under variables already set. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path)
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

function port(env: NodeJS.ProcessEnv): number {
  const value = integer(env, 'PORT', 8080)
  if (value > 65535) throw new ConfigError(`PORT must be at most 65535, got "${env.PORT}"`)
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

function oneOf(env: NodeJS.ProcessEnv, name: string, allowed: string[], fallback: string): string {
  const value = env[name] || fallback
  if (!allowed.includes(value))
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${value}"`)
  return value
}

function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DATABASE_URL
  if (!raw) return undefined
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {}
  if (!url || !['postgres:', 'postgresql:'].includes(url.protocol))
    throw new ConfigError('DATABASE_URL must be a URL such as postgres://user:password@host:5432/database')
  return raw
}

/** A bearer token: long enough not to be guessed. */
function token(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]
  if (!value) return undefined
  if (value.length < 16 || /\s/.test(value))
    throw new ConfigError(`${name} must be at least 16 characters without spaces (a random token)`)
  return value
}

function trustProxy(env: NodeJS.ProcessEnv): Config['trustProxy'] {
  const raw = (env.TRUST_PROXY ?? '').trim()
  if (raw === '' || OFF.includes(raw.toLowerCase())) return false
  if (ON.includes(raw.toLowerCase())) return true
  if (/^\d+$/.test(raw)) return Number(raw)
  const list = raw.split(',').map((s) => s.trim())
  const bad = list.find((entry) => {
    const [address, bits, ...rest] = entry.split('/')
    return rest.length > 0 || !isIP(address ?? '') || (bits !== undefined && !/^\d{1,3}$/.test(bits))
  })
  if (bad !== undefined)
    throw new ConfigError(
      `TRUST_PROXY must be on, off, a number of proxies, or addresses/CIDR ranges separated by commas, got "${bad}"`,
    )
  return list
}

function corsOrigins(env: NodeJS.ProcessEnv): Config['corsOrigins'] {
  const raw = (env.CORS_ORIGINS ?? '').trim()
  if (raw === '*') return '*'
  if (raw === '') return []
  const list = raw.split(',').map((s) => s.trim().replace(/\/$/, ''))
  const bad = list.find((origin) => !/^https?:\/\/[^/\s]+$/.test(origin))
  if (bad !== undefined)
    throw new ConfigError(`CORS_ORIGINS must be * or origins such as https://app.example.org, got "${bad}"`)
  return list
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const preparedStatements = onOff(env, 'DATABASE_PREPARED_STATEMENTS')
  return {
    host: env.HOST || '127.0.0.1',
    port: port(env),
    databaseUrl: databaseUrl(env),
    dataDir: resolve(env.DATA_DIR || './data'),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
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
    backupToken: token(env, 'BACKUP_TOKEN'),
    metricsToken: token(env, 'METRICS_TOKEN'),
    trustProxy: trustProxy(env),
    corsOrigins: corsOrigins(env),
  }
}
