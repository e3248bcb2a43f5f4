/**
 * Who owns a `running` run, and whether that process is still alive. A run is written as `running`
 * (with its owner's pid and process start time) before its child starts; when the owner dies without
 * finishing it (kill -9, power loss), readers see the record as `interrupted`.
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'
import type { RunRecord } from '../core/model/run.js'
import { machineFingerprint } from '../profilers/machine-fingerprint.js'

export type RunOwner = NonNullable<RunRecord['owner']>

/** When this process started, to the millisecond. */
const PROCESS_STARTED_AT = new Date(Date.now() - process.uptime() * 1000).toISOString()

let ownerMachine: string | undefined

/** This machine as owners record it: a salted fingerprint of the host name (pids only mean something on one machine). */
export function thisOwnerMachine(): string {
  ownerMachine ??= machineFingerprint(`owner-host:${os.hostname()}`)
  return ownerMachine
}

/** The owner entry for a run recorded by this process. */
export function ownerOfThisProcess(): RunOwner {
  return { pid: process.pid, processStartedAt: PROCESS_STARTED_AT, machine: thisOwnerMachine() }
}

/** Start times of a reused pid differ from the owner's by far more than this. */
const START_TOLERANCE_MS = 5000

/**
 * Whether the owner process still runs: the pid exists (signal 0) and, where /proc tells, it started
 * when the owner did (so a pid reused by another process does not keep a dead run `running`).
 */
export function isOwnerAlive(owner: RunOwner): boolean {
  if (owner.pid === process.pid) return owner.processStartedAt === PROCESS_STARTED_AT
  try {
    process.kill(owner.pid, 0)
  } catch (err) {
    // ESRCH: no such process. EPERM: it exists under another user; the start time below decides.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const started = processStartTimeMs(owner.pid)
  if (started === undefined) return true
  return Math.abs(started - Date.parse(owner.processStartedAt)) < START_TOLERANCE_MS
}

let bootTimeMs: number | undefined
let ticksPerSecond = 100

/** A process's start time from /proc (Linux); undefined elsewhere. */
function processStartTimeMs(pid: number): number | undefined {
  try {
    if (bootTimeMs === undefined) {
      const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))
      if (!btime) return undefined
      bootTimeMs = Number(btime[1]) * 1000
      // CLK_TCK is 100 on every mainstream Linux build; getconf is not worth a spawn.
      ticksPerSecond = 100
    }
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: fields after it start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const startTicks = Number(fields[19])
    if (!Number.isFinite(startTicks)) return undefined
    return bootTimeMs + (startTicks / ticksPerSecond) * 1000
  } catch {
    return undefined
  }
}

/**
 * How a stored record reads: a `running` record whose owner is gone on this machine is `interrupted`.
 * A record owned on another machine (a shared store) keeps its status: its pid means nothing here.
 */
export function effectiveStatus(run: Pick<RunRecord, 'status' | 'owner'>): RunRecord['status'] {
  if (run.status !== 'running') return run.status
  if (!run.owner) return 'interrupted'
  if (run.owner.machine && run.owner.machine !== thisOwnerMachine()) return 'running'
  return isOwnerAlive(run.owner) ? 'running' : 'interrupted'
}
