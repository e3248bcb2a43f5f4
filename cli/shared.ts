/**
 * Helpers shared by the `hotpath` subcommands: flag parsing for durations and percentages,
 * JSON output, text tables and the TTY progress bar. The store and everything behind it come from
 * cli/service.ts.
 */
import { parseArgs } from 'node:util'
import { runIdSchema } from '../core/model/run.js'
import { type CliContext, UsageError } from './context.js'

/** One flag's spec, as util.parseArgs takes it. */
export interface FlagSpec {
  type: 'string' | 'boolean'
  multiple?: boolean
  short?: string
}

/** The parsed values of a flag spec table (util.parseArgs' own result type is not exported by @types/node). */
export type ParsedFlags<T extends Record<string, FlagSpec>> = {
  values: {
    [K in keyof T]?: T[K]['type'] extends 'boolean'
      ? T[K]['multiple'] extends true
        ? boolean[]
        : boolean
      : T[K]['multiple'] extends true
        ? string[]
        : string
  }
  positionals: string[]
}

/**
 * Parses flags with util.parseArgs; unknown flags and missing values become UsageErrors naming the command.
 * A negative number after a flag that takes a value (`--limit -1`, `--duration -1s`) is taken as that
 * flag's value, so the flag's own check says what is valid (util.parseArgs would call it ambiguous).
 */
export function parseFlags<T extends Record<string, FlagSpec>>(command: string, args: string[], options: T, allowPositionals = true): ParsedFlags<T> {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals, strict: true }) as unknown as ParsedFlags<T>
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/\. To specify a positional.*$/, '')}\nSee: hotpath ${command} --help`)
  }
}

/** `--flag -1` → `--flag=-1` (`-n -1` → `-n-1`) for flags that take a value; everything after `--` is left alone. */
function joinNegativeValues(args: string[], options: Record<string, FlagSpec>): string[] {
  const takesValue = (token: string): boolean => {
    if (token.startsWith('--')) return options[token.slice(2)]?.type === 'string'
    if (/^-[A-Za-z]$/.test(token)) return Object.values(options).some((o) => o.short === token.slice(1) && o.type === 'string')
    return false
  }
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const token = args[i] as string
    if (token === '--') {
      out.push(...args.slice(i))
      break
    }
    const next = args[i + 1]
    if (next !== undefined && /^-\.?\d/.test(next) && !token.includes('=') && takesValue(token)) {
      // Long flags take `--flag=value`; short ones take the value glued on (`-n-1`).
      out.push(token.startsWith('--') ? `${token}=${next}` : `${token}${next}`)
      i++
    } else out.push(token)
  }
  return out
}

/**
 * "5s", "500ms", "2m", "1.5s", "1h" → milliseconds. A unit is required: a bare number is refused with a
 * message naming both readings (`3` could be 3 s or 3 ms; it used to mean milliseconds, silently).
 */
export function parseDurationMs(flag: string, text: string): number {
  const trimmed = text.trim()
  if (/^-/.test(trimmed)) throw new UsageError(`--${flag} "${text}" is negative; give a positive duration, e.g. 500ms, 5s, 2m`)
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed)
    throw new UsageError(`--${flag} "${text}" needs a unit: write ${n}s for ${n} seconds or ${n * 1000}ms (units: ms, s, m, h)`)
  }
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)$/i.exec(trimmed)
  if (!m) throw new UsageError(`--${flag} "${text}" is not a duration; use e.g. 500ms, 5s, 2m`)
  const n = Number(m[1])
  const unit = (m[2] as string).toLowerCase()
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'h' ? n * 3_600_000 : n * 60_000
  if (!(ms > 0)) throw new UsageError(`--${flag} must be greater than zero`)
  return ms
}

/** "10%", "10", "0.1" (as a fraction when < 1 and no %) → a fraction. */
export function parsePercent(flag: string, text: string): number {
  if (/^\s*-/.test(text)) throw new UsageError(`--${flag} "${text}" is negative; give a percentage such as 10% or 2.5%`)
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text)
  if (!m) throw new UsageError(`--${flag} "${text}" is not a percentage; use e.g. 10% or 2.5%`)
  const n = Number(m[1])
  return m[2] || n >= 1 ? n / 100 : n
}

/** "500MB", "2GB", "1.5 GiB", "4096" (bytes) → bytes (binary units: 1 MB = 1024² bytes). */
export function parseBytes(flag: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?\s*$/i.exec(text)
  if (!m) throw new UsageError(`--${flag} "${text}" is not a size; use e.g. 500MB or 2GB`)
  const unit = (m[2] ?? 'b').toLowerCase()[0] as 'b' | 'k' | 'm' | 'g' | 't'
  const bytes = Number(m[1]) * 1024 ** { b: 0, k: 1, m: 2, g: 3, t: 4 }[unit]
  if (!(bytes >= 1)) throw new UsageError(`--${flag} must be at least 1 byte`)
  return Math.floor(bytes)
}

export function parsePositiveInt(flag: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  if (/^\s*-/.test(text)) throw new UsageError(`--${flag} "${text}" is negative; it must be a whole number from 1 to ${max}`)
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`--${flag} "${text}" must be a whole number from 1 to ${max}`)
  }
  return Number(text)
}

/** Run ids named on the command line, checked before the service sees them, so the message names the bad one. */
export function parseRunIds(ids: readonly string[]): string[] {
  for (const id of ids) {
    const parsed = runIdSchema.safeParse(id)
    if (!parsed.success) throw new UsageError(`not a run id: ${JSON.stringify(id)} (${parsed.error.issues[0]?.message}); see \`hotpath list\``)
  }
  return [...ids]
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value, null, 2) + '\n')
}

/** A one-line progress bar redrawn on stderr, only when stderr is a terminal. */
export function createProgressBar(ctx: CliContext): { update(fraction: number, text: string): void; done(): void } {
  if (!ctx.stderrIsTTY) return { update: () => undefined, done: () => undefined }
  let last = 0
  let drawn = false
  return {
    update(fraction, text) {
      const now = Date.now()
      if (now - last < 80 && fraction < 1) return
      last = now
      const width = 28
      const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width)
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled)
      const columns = (ctx.stderr as unknown as { columns?: number }).columns ?? 100
      const lineText = `${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${text}`.slice(0, columns - 1)
      ctx.stderr.write(`\r\x1b[2K${lineText}`)
      drawn = true
    },
    done() {
      if (drawn) ctx.stderr.write('\r\x1b[2K')
      drawn = false
    },
  }
}

export { formatDuration as formatNs } from '../core/format/duration.js'
export { formatCompact as formatCount } from '../core/format/number.js'
export { formatBytes } from '../core/format/bytes.js'
export { formatTable } from '../core/format/table.js'
