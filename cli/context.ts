/**
 * What every `hotpath` subcommand receives: streams, the store location and TTY facts.
 * Commands never write to process.stdout directly, so tests can run them in-process.
 */
import type { Writable } from 'node:stream'

export interface CliContext {
  stdout: Writable
  stderr: Writable
  /** True when stderr is a terminal: progress bars go there, and only then. */
  stderrIsTTY: boolean
  env: NodeJS.ProcessEnv
  cwd: string
  /** Aborted by Ctrl-C (SIGINT) or SIGTERM: long commands cancel cleanly. */
  signal: AbortSignal
}

export interface CliCommand {
  name: string
  /** One line for `hotpath --help`. */
  summary: string
  /** The full usage text for `hotpath <name> --help`. */
  usage: string
  /** Returns the exit code: 0 ok, 1 regression found by a gate, 2 bad usage or input, 3 workload failed. */
  run(args: string[], ctx: CliContext): Promise<number>
}

export const EXIT = { ok: 0, regression: 1, usage: 2, workloadFailed: 3 } as const

/** Bad usage or input: the message says what to fix; the command exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
