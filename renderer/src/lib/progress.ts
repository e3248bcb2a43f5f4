/**
 * Turns runProgress events into what the live view shows: a phase name people read, the remaining
 * time (the engine's estimate, else one from elapsed time and overall progress), and run dates.
 */
import type { RunPhase } from '../../../core/api/schemas.js'
import type { Milliseconds } from '../../../core/model/units.js'
import type { RunStatus } from '../../../core/model/run.js'

export const PHASE_LABELS: Record<RunPhase, string> = {
  queued: 'Queued',
  spawning: 'Starting process',
  warmup: 'Warming up',
  timing: 'Timing',
  checksum: 'Checking result',
  profiling: 'Profiling',
  snapshot: 'Heap snapshot',
  saving: 'Saving',
  done: 'Done',
}

/** The phase line of a live run: the phase while running, "Done" when ok, else how and where it stopped. */
export function describeLivePhase(status: RunStatus, phase: RunPhase): string {
  if (status === 'running') return PHASE_LABELS[phase]
  if (status === 'ok') return 'Done'
  const how = status === 'cancelled' ? 'Cancelled' : status === 'timeout' ? 'Timed out' : status === 'interrupted' ? 'Interrupted' : 'Failed'
  return phase === 'queued' || phase === 'done' ? how : `${how} while ${PHASE_LABELS[phase].toLowerCase()}`
}

/** The phases a progress bar shows as steps, in order. */
export const PHASE_STEPS: readonly RunPhase[] = ['warmup', 'timing', 'checksum', 'profiling', 'snapshot', 'saving']

/** The steps of the timing pass; the profiled pass comes after them and warms up again. */
const TIMING_PASS_STEPS: ReadonlySet<RunPhase> = new Set(['timing', 'checksum'])

/**
 * Each step's state for the phase the run is in. A run of two passes warms up twice: in the profiled
 * pass the timing pass's steps stay done while "Warming up" is current again.
 */
export function stepStates(
  steps: readonly RunPhase[],
  phase: RunPhase,
  pass?: { name: 'timing' | 'profiling'; index: number; count: number },
): ('done' | 'current' | 'todo')[] {
  const at = steps.indexOf(phase)
  return steps.map((step, i) => {
    if (phase === 'done') return 'done'
    if (step === phase) return 'current'
    if (pass?.name === 'profiling' && pass.count > 1 && TIMING_PASS_STEPS.has(step)) return 'done'
    return at > i ? 'done' : 'todo'
  })
}

/** "Timing pass (1 of 2)", "Profiled pass (2 of 2)"; nothing for a run of one pass. */
export function describePass(pass?: { name: 'timing' | 'profiling'; index: number; count: number }): string | null {
  if (!pass || pass.count < 2) return null
  return `${pass.name === 'timing' ? 'Timing pass' : 'Profiled pass'} (${pass.index + 1} of ${pass.count})`
}

/**
 * The steps a request will go through, so the bar does not show "Profiling" for a timing-only run:
 * profiling when any profile is captured, a snapshot step when heap snapshots are taken.
 */
export function expectedPhases(request: {
  profile?: readonly string[] | undefined
  heapSnapshots?: readonly string[] | undefined
  timingPass?: boolean | undefined
}): RunPhase[] {
  const profile = request.profile ?? []
  const snapshots = profile.includes('heap') || (request.heapSnapshots ?? []).length > 0
  const inChild = profile.filter((p) => p !== '0x')
  // A profiled run without a timing pass measures in the profiled pass only.
  const timing = inChild.length === 0 || request.timingPass !== false
  return PHASE_STEPS.filter((p) => (p === 'profiling' ? profile.length > 0 : p === 'snapshot' ? snapshots : p === 'timing' ? timing : true))
}

/** The steps to draw: the expected ones plus any phase the engine reported that was not expected, in order. */
export function stepsToShow(expected: readonly RunPhase[] | undefined, current: RunPhase): RunPhase[] {
  const base = expected ?? PHASE_STEPS
  return PHASE_STEPS.filter((p) => base.includes(p) || p === current)
}

/**
 * Remaining time: the engine's own estimate when it sent one; otherwise a linear extrapolation of the
 * overall fraction, which needs a little progress (2%) and elapsed time (0.5 s) before it means anything.
 */
export function estimateEtaMs(
  progress: { overall: number; etaMs?: number | undefined },
  elapsedMs: Milliseconds,
): Milliseconds | undefined {
  if (progress.etaMs !== undefined && Number.isFinite(progress.etaMs)) return Math.max(0, progress.etaMs)
  const f = progress.overall
  if (!(f >= 0.02) || f >= 1 || elapsedMs < 500) return f >= 1 ? 0 : undefined
  return (elapsedMs * (1 - f)) / f
}

/** "12 s left", "2 min 5 s left", "< 1 s left". */
export function formatEta(ms: Milliseconds | undefined): string {
  if (ms === undefined) return 'estimating…'
  if (ms < 1000) return '< 1 s left'
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s left`
  const m = Math.floor(s / 60)
  return `${m} min${s % 60 ? ` ${s % 60} s` : ''} left`
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** A run's date in the library: "2026-11-23 07:05" in local time (sortable, unambiguous). */
export function formatRunDate(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", else the date. */
export function formatRelativeDate(iso: string, now: number = Date.now()): string {
  const t = new Date(iso).getTime()
  if (Number.isNaN(t)) return iso
  const s = Math.round((now - t) / 1000)
  if (s < 45) return 'just now'
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`
  if (s < 7 * 86_400) return `${Math.round(s / 86_400)} d ago`
  return formatRunDate(iso)
}
