/**
 * The --max-old-space-size a Node process was started with, read from its flags (execArgv) and its
 * NODE_OPTIONS. Node applies NODE_OPTIONS first and the command line after it, and V8 takes the last
 * value of a flag, so a flag on the command line wins over NODE_OPTIONS. V8 accepts the flag with dashes
 * or underscores, and with its value after "=" or as the next argument.
 */
import { formatBytes } from '../format/bytes.js'
import type { HeapLimit } from './run.js'

export interface MaxOldSpaceSize {
  mb: number
  from: 'execArgv' | 'NODE_OPTIONS'
}

const FLAG = /^--max[-_]old[-_]space[-_]size(?:=(.*))?$/

/** The last --max-old-space-size among `args` (in MB), or undefined. */
function lastValue(args: readonly string[]): number | undefined {
  let found: number | undefined
  for (let i = 0; i < args.length; i++) {
    const m = FLAG.exec(args[i] as string)
    if (!m) continue
    const raw = m[1] ?? args[i + 1]
    if (m[1] === undefined) i++
    const mb = Number(raw)
    if (raw !== undefined && raw !== '' && Number.isFinite(mb) && mb > 0) found = mb
  }
  return found
}

export function maxOldSpaceSizeOf(execArgv: readonly string[], nodeOptions: string | undefined): MaxOldSpaceSize | undefined {
  const fromArgv = lastValue(execArgv)
  if (fromArgv !== undefined) return { mb: fromArgv, from: 'execArgv' }
  const fromEnv = nodeOptions ? lastValue(nodeOptions.trim().split(/\s+/)) : undefined
  return fromEnv !== undefined ? { mb: fromEnv, from: 'NODE_OPTIONS' } : undefined
}

/**
 * A heap limit as the run detail and `hotpath show` say it: "80.0 MB (--max-old-space-size=48, from the
 * Node flags)", or "4.05 GB (V8's default; no --max-old-space-size)". V8's limit adds the young
 * generation to the old space, so it is a little above the flag's value.
 */
export function describeHeapLimit(limit: HeapLimit): string {
  const size = formatBytes(limit.bytes)
  if (limit.maxOldSpaceSizeMb === undefined) return `${size} (V8's default; no --max-old-space-size)`
  const where = limit.from === 'NODE_OPTIONS' ? 'from NODE_OPTIONS' : 'from the Node flags'
  return `${size} (--max-old-space-size=${limit.maxOldSpaceSizeMb}, ${where})`
}
