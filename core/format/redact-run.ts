/**
 * Redacts a whole run record the way `hotpath env` redacts the environment report: the environment's
 * identifying fields become "[redacted]" (the salted machine fingerprint stays), and this machine's
 * identifiers (home folder, user name, host names, machine id, serials, UUIDs, MAC and IP addresses) are
 * scrubbed from every other string of the record: stderr tail, error, runtime path, command, warnings,
 * artifact labels, timeline phases. Exact values are scrubbed, not every IP-shaped text, so version
 * strings such as V8's "11.3.244.8" survive.
 */
import type { EnvironmentSnapshot } from '../model/environment.js'
import type { RunRecord } from '../model/run.js'
import { REDACTED, redactEnvironment } from './environment.js'

/** The identifiers of one machine that must not leave it. */
export interface MachineIdentifiers {
  /** Home folders, replaced by "~" wherever they start a path. */
  homes?: string[]
  /** User names: scrubbed as whole words from machine-written text, and from paths everywhere. */
  users?: string[]
  /** Host names, machine ids, serials, UUIDs, MAC and IP addresses: scrubbed wherever they appear. */
  values: string[]
}

const GENERIC_HOME = /(?:\/home\/|\/Users\/|[A-Za-z]:\\{1,2}Users\\{1,2})[^/\\\s"'<>|:*?]+/g
/** Values this short are too likely to be ordinary text ("vm", "pc") to scrub from free text. */
const MIN_VALUE_LENGTH = 3
/** MACs of loopback and unset interfaces identify nothing. */
const NOT_IDENTIFYING = new Set(['00:00:00:00:00:00', '127.0.0.1', '::1', REDACTED, '-', 'unknown'])

/** The identifiers an (unredacted) environment snapshot holds. */
export function identifiersOfEnvironment(env: EnvironmentSnapshot): MachineIdentifiers {
  const values: string[] = []
  const host = env.os.hostname
  if (host) values.push(host, host.split('.')[0] as string)
  const m = env.machine
  for (const v of [m?.machineId, m?.serial, m?.uuid]) if (v) values.push(v)
  for (const n of env.network ?? []) for (const v of [n.mac, n.ip4, n.ip6, n.ssid]) if (v) values.push(v)
  const usable = (v: string | undefined): v is string => typeof v === 'string' && v !== '' && v !== '~' && v !== REDACTED
  return { homes: [env.user?.home].filter(usable), users: [env.user?.name].filter(usable), values }
}

/** Joins identifier sets (the record's own and the current machine's). */
export function mergeIdentifiers(...sets: (MachineIdentifiers | undefined)[]): MachineIdentifiers {
  const present = sets.filter((s): s is MachineIdentifiers => s !== undefined)
  return {
    homes: [...new Set(present.flatMap((s) => s.homes ?? []))],
    users: [...new Set(present.flatMap((s) => s.users ?? []))],
    values: [...new Set(present.flatMap((s) => s.values))],
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A scrubber for one set of identifiers; `words` also removes the user name as a whole word. */
export function createScrubber(ids: MachineIdentifiers): (text: string, options?: { userAsWord?: boolean }) => string {
  const patterns: [RegExp, string][] = []
  // Longest first, so /home/alice/work is not cut short by /home/alice.
  for (const raw of [...(ids.homes ?? [])].sort((a, b) => b.length - a.length)) {
    const home = raw.replace(/[\\/]+$/, '')
    // A home of "/" or a bare drive would scrub every path.
    if (home.length <= 1 || /^[A-Za-z]:$/.test(home)) continue
    const forms = new Set([home, home.replace(/\\/g, '/'), home.replace(/\\/g, '\\\\')])
    for (const f of forms) patterns.push([new RegExp(`(?<![\\w.-])${escapeRegExp(f)}(?=$|[\\\\/\\s"'):;,\\]}])`, 'g'), '~'])
  }
  const values = [...new Set(ids.values)]
    .filter((v) => v.length >= MIN_VALUE_LENGTH && !NOT_IDENTIFYING.has(v.toLowerCase()))
    // Longest first, so a FQDN goes before its short host name.
    .sort((a, b) => b.length - a.length)
  const valuePatterns = values.map((v) => new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(v)}(?![A-Za-z0-9_])`, 'gi'))
  const users = (ids.users ?? []).filter((u) => u.length >= 2)
  const userAlternatives = users.map(escapeRegExp).join('|')
  const userInPath = users.length ? new RegExp(`(?<=[\\\\/])(?:${userAlternatives})(?=[\\\\/]|$)`, 'g') : undefined
  const userWord = users.length ? new RegExp(`(?<![A-Za-z0-9_.-])(?:${userAlternatives})(?![A-Za-z0-9_-])`, 'g') : undefined
  return (text, options = {}) => {
    let out = text
    for (const [re, to] of patterns) out = out.replace(re, to)
    out = out.replace(GENERIC_HOME, (m) => m.replace(/((?:\/home|\/Users|Users)[\\/]{1,2})[^/\\]+$/, `$1${REDACTED}`))
    for (const re of valuePatterns) out = out.replace(re, REDACTED)
    if (userInPath) out = out.replace(userInPath, REDACTED)
    if (userWord && options.userAsWord !== false) out = out.replace(userWord, REDACTED)
    return out
  }
}

/** Fields whose strings are data, not text: never rewritten. */
const OPAQUE_KEYS = new Set(['id', 'sha256', 'histogram', 'checksum', 'createdAt', 'finishedAt', 'capturedAt', 'processStartedAt', 'fingerprint', 'kind', 'status'])
/** Text the user typed: home paths and machine values are scrubbed, but their words are left alone. */
const USER_TEXT_KEYS = new Set(['label', 'tags', 'notes', 'params', 'group'])

function scrubDeep(value: unknown, scrub: ReturnType<typeof createScrubber>, userAsWord: boolean): unknown {
  if (typeof value === 'string') return scrub(value, { userAsWord })
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub, userAsWord))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      out[k] = OPAQUE_KEYS.has(k) ? v : scrubDeep(v, scrub, userAsWord && !USER_TEXT_KEYS.has(k))
    }
    return out
  }
  return value
}

/**
 * A redacted copy of a run record. `extra` adds identifiers the record's environment does not list
 * (the current machine's, from os.networkInterfaces() and os.userInfo()). Idempotent.
 */
export function redactRunRecord(run: RunRecord, extra?: MachineIdentifiers): RunRecord {
  const ids = mergeIdentifiers(identifiersOfEnvironment(run.env), extra)
  const scrub = createScrubber(ids)
  const env = redactEnvironment(run.env)
  const { env: _env, ...rest } = run
  const scrubbed = scrubDeep(rest, scrub, true) as Omit<RunRecord, 'env'>
  // The environment's own fields were redacted above; its free text (cpu brand, paths) is scrubbed too.
  const scrubbedEnv = scrubDeep(env, scrub, true) as EnvironmentSnapshot
  return { ...scrubbed, env: scrubbedEnv }
}
