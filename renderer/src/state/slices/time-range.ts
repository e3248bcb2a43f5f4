/**
 * The time range chosen on a run's timeline (drag across a chart), in the run's clock: ms since the child
 * was spawned. One range at a time, tied to its run, so opening another run shows it whole. The flame
 * graph and call tree of that run read it (features/runs/RunProfiles.tsx).
 */
import type { StateCreator } from 'zustand'
import type { RunId } from '../../../../core/model/run.js'
import type { WorkbenchState } from '../store.js'

export interface RunTimeRange {
  runId: RunId
  /** ms since the child was spawned (the run timeline's tMs). */
  startMs: number
  endMs: number
}

export interface TimeRangeSlice {
  timeRange: RunTimeRange | null
  setTimeRange(range: RunTimeRange): void
  clearTimeRange(): void
}

export const createTimeRangeSlice: StateCreator<WorkbenchState, [], [], TimeRangeSlice> = (set) => ({
  timeRange: null,
  setTimeRange(range) {
    if (!(Number.isFinite(range.startMs) && Number.isFinite(range.endMs) && range.endMs > range.startMs))
      throw new Error(`a time range must end after it starts (got ${range.startMs}..${range.endMs} ms)`)
    set({ timeRange: { ...range } })
  },
  clearTimeRange() {
    set({ timeRange: null })
  },
})

/** The range of `runId`, or null when none is chosen or it belongs to another run. */
export const selectRunTimeRange =
  (runId: RunId) =>
  (state: Pick<TimeRangeSlice, 'timeRange'>): RunTimeRange | null =>
    state.timeRange && state.timeRange.runId === runId ? state.timeRange : null
