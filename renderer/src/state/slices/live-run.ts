/**
 * Runs in progress: their latest progress event, final status and summary. Progress arrives batched
 * (state/events.ts coalesces to ~10 Hz); timeline samples go to `liveTimelines`, outside React state.
 */
import type { StateCreator } from 'zustand'
import type { WorkbenchEvents } from '../../../../core/api/contract.js'
import type { RunPhase } from '../../../../core/api/schemas.js'
import type { RunId, RunStatus, RunSummary } from '../../../../core/model/run.js'
import type { WorkloadDescriptor } from '../../../../core/model/workload.js'
import { errorMessage } from '../../lib/errors.js'
import { type LiveTimelines, createLiveTimelines } from '../../lib/series-buffer.js'
import type { WorkbenchClient } from '../client.js'
import type { WorkbenchState } from '../store.js'
import type { HealthLimit } from '../../../../core/assert/health.js'

export type RunProgress = WorkbenchEvents['runProgress']
export type RunFinished = WorkbenchEvents['runFinished']

export interface TrackInfo {
  workload: string
  variant: string
  label: string
  phases?: RunPhase[]
  /** Health limits to draw on the live charts (the request's assertions, then the defaults). */
  limits?: HealthLimit[]
}

export interface LiveRun {
  runId: RunId
  workload: string
  variant: string
  label: string
  /** The phases this run will go through, when this window started it (else unknown: all are shown). */
  phases?: RunPhase[]
  limits?: HealthLimit[]
  /** When this window first heard of the run (ms since epoch): the base of the elapsed-time ETA. */
  startedAt: number
  /** When this window heard that the run ended (ms since epoch): freezes the elapsed clock. */
  finishedAt: number | null
  progress: RunProgress | null
  /** The last measuring pass progress named (saving and snapshot events name none): what live counts belong to. */
  lastPass?: NonNullable<RunProgress['pass']>
  status: 'running' | RunStatus
  summary: RunSummary | null
  cancelling: boolean
  error: string | null
  /** Why a failed or timed-out run ended and the end of its stderr, read from the saved run. */
  failure: { error: string; stderrTail: string } | null
}

export interface LiveRunSlice {
  liveRuns: Record<RunId, LiveRun>
  /** Newest first. */
  liveOrder: RunId[]
  /** Appended per timelineSample; a stable object, never replaced, so charts can hold on to it. */
  liveTimelines: LiveTimelines
  trackRun(runId: RunId, info: TrackInfo): void
  applyProgress(events: readonly RunProgress[]): void
  finishLiveRun(event: RunFinished): void
  cancelRun(runId: RunId): Promise<void>
  dismissLiveRun(runId: RunId): void
  clearFinishedLiveRuns(): void
}

/**
 * Best-effort workload and variant of a run id ("20261123T065012345Z-orderbook-heap-k3f9") for runs
 * started elsewhere (another window): the longest known workload id the slug starts with.
 */
export function describeRunId(runId: RunId, workloads: readonly WorkloadDescriptor[]): { workload: string; variant: string } {
  const slug = runId.replace(/^[0-9]{8}T[0-9]{9}Z-/, '')
  const byLength = [...workloads].sort((a, b) => b.id.length - a.id.length)
  for (const w of byLength) {
    if (!slug.startsWith(`${w.id}-`)) continue
    const rest = slug.slice(w.id.length + 1)
    const variant = w.variants
      .map((v) => v.id)
      .sort((a, b) => b.length - a.length)
      .find((v) => rest.startsWith(`${v}-`) || rest === v)
    return { workload: w.id, variant: variant ?? '' }
  }
  return { workload: '', variant: '' }
}

/**
 * Phases without measuring (saving, snapshot, done) send no throughput: keep showing the last measured
 * ops/s, p99 and operation count rather than blanking them. Messages and ETAs are never carried over.
 */
export function withLastKnownRates(previous: RunProgress | null, next: RunProgress): RunProgress {
  if (!previous) return next
  // A new pass (the profiled pass after the timing pass, or the next process of --repeat) counts from zero:
  // its figures are unknown until it reports them, not the last pass's.
  const a = previous.pass
  const b = next.pass
  if (a && b && (a.name !== b.name || a.index !== b.index)) return next
  return {
    ...next,
    ...(next.opsPerSec === undefined && previous.opsPerSec !== undefined ? { opsPerSec: previous.opsPerSec } : {}),
    ...(next.p99Ns === undefined && previous.p99Ns !== undefined ? { p99Ns: previous.p99Ns } : {}),
    ...(next.opsDone === undefined && previous.opsDone !== undefined ? { opsDone: previous.opsDone } : {}),
  }
}

export const createLiveRunSlice =
  (api: WorkbenchClient): StateCreator<WorkbenchState, [], [], LiveRunSlice> =>
  (set, get) => {
    const newRun = (runId: RunId, info: TrackInfo): LiveRun => ({
      runId,
      ...info,
      startedAt: Date.now(),
      finishedAt: null,
      progress: null,
      status: 'running',
      summary: null,
      cancelling: false,
      error: null,
      failure: null,
    })
    const patchRun = (runId: RunId, patch: Partial<LiveRun>): void => {
      const run = get().liveRuns[runId]
      if (run) set({ liveRuns: { ...get().liveRuns, [runId]: { ...run, ...patch } } })
    }
    return {
      liveRuns: {},
      liveOrder: [],
      liveTimelines: createLiveTimelines(),

      trackRun(runId, info) {
        const { liveRuns, liveOrder } = get()
        // Events can beat startRun's answer: keep what they brought, add the names.
        const existing = liveRuns[runId]
        set({
          liveRuns: { ...liveRuns, [runId]: existing ? { ...existing, ...info } : newRun(runId, info) },
          liveOrder: liveOrder.includes(runId) ? liveOrder : [runId, ...liveOrder],
        })
      },

      applyProgress(events) {
        if (events.length === 0) return
        const liveRuns = { ...get().liveRuns }
        let order = get().liveOrder
        for (const event of events) {
          if (event.phase === 'done' && !liveRuns[event.runId]) continue
          let run = liveRuns[event.runId]
          if (!run) {
            // A run this window did not start (another window, or this one before a reload): the event
            // carries its label and start time, so the card shows them, not a fresh clock.
            const described = describeRunId(event.runId, get().workloads)
            run = newRun(event.runId, {
              ...described,
              label: event.label ?? (described.workload ? `${described.workload} ${described.variant}`.trim() : event.runId),
            })
            if (event.startedAt !== undefined) run = { ...run, startedAt: event.startedAt }
            order = [event.runId, ...order]
          } else if (event.startedAt !== undefined && event.startedAt < run.startedAt) {
            run = { ...run, startedAt: event.startedAt }
          }
          // A late progress event must not revive a finished run. "done" is left to runFinished, which
          // knows whether the run ended ok: a cancelled run keeps the phase and fraction it stopped at.
          if (run.status !== 'running' || event.phase === 'done') continue
          liveRuns[event.runId] = { ...run, progress: withLastKnownRates(run.progress, event), ...(event.pass ? { lastPass: event.pass } : {}) }
        }
        set({ liveRuns, liveOrder: order })
      },

      finishLiveRun(event) {
        const run = get().liveRuns[event.runId]
        const base =
          run ??
          newRun(event.runId, { workload: event.summary.workload.id, variant: event.summary.workload.variant, label: event.summary.label })
        const progress: RunProgress | null =
          event.status === 'ok'
            ? withLastKnownRates(base.progress, { runId: event.runId, phase: 'done', fraction: 1, overall: 1, etaMs: 0 })
            : (base.progress ?? null)
        set({
          liveRuns: {
            ...get().liveRuns,
            [event.runId]: {
              ...base,
              label: event.summary.label || base.label,
              status: event.status,
              summary: event.summary,
              progress,
              cancelling: false,
              finishedAt: Date.now(),
            },
          },
          liveOrder: get().liveOrder.includes(event.runId) ? get().liveOrder : [event.runId, ...get().liveOrder],
        })
        if (event.status === 'failed' || event.status === 'timeout') {
          // The card says why: the saved run holds the error and the end of stderr.
          void api.getRun(event.runId).then(
            (record) => patchRun(event.runId, { failure: { error: record.error ?? `The run ${event.status === 'timeout' ? 'timed out' : 'failed'}`, stderrTail: record.stderrTail } }),
            () => undefined,
          )
        }
      },

      async cancelRun(runId) {
        patchRun(runId, { cancelling: true, error: null })
        try {
          const { cancelled } = await api.cancelRun(runId)
          // Not cancelled: the run had already finished; its runFinished event says how.
          if (!cancelled) patchRun(runId, { cancelling: false })
        } catch (err) {
          patchRun(runId, { cancelling: false, error: `Could not cancel: ${errorMessage(err)}` })
        }
      },

      dismissLiveRun(runId) {
        const liveRuns = { ...get().liveRuns }
        delete liveRuns[runId]
        get().liveTimelines.delete(runId)
        set({ liveRuns, liveOrder: get().liveOrder.filter((id) => id !== runId) })
      },

      clearFinishedLiveRuns() {
        for (const id of get().liveOrder) if (get().liveRuns[id]?.status !== 'running') get().dismissLiveRun(id)
      },
    }
  }
