/**
 * Time ranges on a run's timeline: the phase bands drawn on its charts, one shared cursor, dragging a
 * range, and the bar that shows the range as text with a "Clear range" button. The range lives in the
 * store's time-range slice (run clock: ms since spawn); RunProfiles restricts the CPU flame graph and call
 * tree to it through the profile worker, after moving it to the profile's clock (core/analysis/time-range.ts).
 */
import { type ReactNode, useMemo } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { type PhaseBand, type TimeRange, phaseBands, phaseLabel, profileOffsetMs } from '../../../../core/analysis/time-range.js'
import { formatDurationMs } from '../../../../core/format/duration.js'
import { RUN_FILES } from '../../../../core/model/run-layout.js'
import type { RunRecord } from '../../../../core/model/run.js'
import type { ChartBand, ChartGcMark, TimeSeriesChartProps } from '../../components/charts/TimeSeriesChart.js'
import { type RunTimeRange, selectRunTimeRange } from '../../state/slices/time-range.js'
import { useWorkbench } from '../../state/store.js'
import type { OpenedProfile, ProfileClient, TimeRangeResult } from '../../workers/profile-client.js'
import { type AsyncState, useAsync } from '../compare/use-async.js'

/** Where the run's CPU profile sits on its timeline; null when it has none or the run has no profiled-pass band. */
export function cpuProfileOffset(record: Pick<RunRecord, 'timeline' | 'artifacts'>, bands: readonly PhaseBand[] = phaseBands(record.timeline)): number | null {
  if (!record.artifacts.some((a) => a.file === RUN_FILES.cpuProfile)) return null
  return profileOffsetMs(bands)
}

/** What the run's timeline charts take for bands, GC marks, the shared cursor and range selection. */
export function useTimelineRange(record: RunRecord): {
  chartProps: Pick<TimeSeriesChartProps, 'bands' | 'cursorSyncKey' | 'selection' | 'onSelectRange' | 'gcMarks'>
  bands: PhaseBand[]
  range: RunTimeRange | null
  selectable: boolean
  clear(): void
} {
  const bands = useMemo(() => phaseBands(record.timeline), [record.timeline])
  const selectable = cpuProfileOffset(record, bands) !== null
  const { range, setTimeRange, clearTimeRange } = useWorkbench(
    useShallow((s) => ({ range: selectRunTimeRange(record.id)(s), setTimeRange: s.setTimeRange, clearTimeRange: s.clearTimeRange })),
  )
  const chartBands = useMemo<ChartBand[]>(() => bands.map((b) => ({ startS: b.startMs / 1000, endS: b.endMs / 1000, label: phaseLabel(b.phase) })), [bands])
  const gcMarks = useMemo<ChartGcMark[]>(
    () => (record.timelineGc?.marks ?? []).map((m) => ({ tS: m.tMs / 1000, durationMs: m.durationMs, kind: m.kind })).sort((a, b) => a.tS - b.tS),
    [record.timelineGc],
  )
  const runId = record.id
  const onSelectRange = useMemo(
    () => (selectable ? (startS: number, endS: number) => setTimeRange({ runId, startMs: startS * 1000, endMs: endS * 1000 }) : undefined),
    [selectable, setTimeRange, runId],
  )
  return {
    chartProps: {
      bands: chartBands,
      gcMarks,
      cursorSyncKey: `run-timeline-${record.id}`,
      selection: range ? { startS: range.startMs / 1000, endS: range.endMs / 1000 } : null,
      ...(onSelectRange ? { onSelectRange } : {}),
    },
    bands,
    range,
    selectable,
    clear: clearTimeRange,
  }
}

/** The range as text, with the clear button; or the hint saying how to choose one. */
export function TimeRangeBar(props: { range: RunTimeRange | null; selectable: boolean; clear(): void }): ReactNode {
  const { range } = props
  if (!props.selectable) return null
  if (!range)
    return (
      <p className="muted time-range-bar" data-testid="time-range-hint">
        Drag across a chart to restrict the CPU flame graph and call tree to that time range.
      </p>
    )
  return (
    <div className="time-range-bar" role="status" data-testid="time-range">
      <span>
        Range <strong>{formatRunTime(range.startMs)} – {formatRunTime(range.endMs)}</strong>{' '}
        <span className="muted">({formatDurationMs(range.endMs - range.startMs)})</span>
      </span>
      <button type="button" className="btn btn-small" onClick={props.clear}>
        Clear range
      </button>
    </div>
  )
}

/** A time on the run's clock: seconds since spawn, as the chart axes show it. */
export const formatRunTime = (ms: number): string => `${(ms / 1000).toFixed(2)} s`

/** The run's range moved to the CPU profile's clock (ms since its startTime); null without a range or an offset. */
export function useProfileRange(record: RunRecord): { run: RunTimeRange; profile: TimeRange } | null {
  const range = useWorkbench(selectRunTimeRange(record.id))
  const offset = useMemo(() => cpuProfileOffset(record), [record])
  return useMemo(
    () => (range && offset !== null ? { run: range, profile: { startMs: range.startMs - offset, endMs: range.endMs - offset } } : null),
    [range, offset],
  )
}

/** The open CPU profile restricted to the range, computed in the profile worker; null when there is no range. */
export function useRangedProfile(
  client: ProfileClient | null,
  opened: OpenedProfile | null,
  range: TimeRange | null,
): (AsyncState<TimeRangeResult> & { reload(): void }) | null {
  const state = useAsync(
    client && opened && range ? () => client.timeRange({ profileId: opened.profileId, range }) : null,
    [client, opened?.profileId, range?.startMs, range?.endMs],
  )
  return range && opened ? state : null
}

/** Over the ranged flame graph and call tree: what they show, and what the range cannot filter. */
export function RangeNote(props: { run: RunTimeRange; result: TimeRangeResult | null; total: number; clear(): void }): ReactNode {
  const samples = props.result?.tree.meta.sampleCount
  return (
    <div className="time-range-note" role="status" data-testid="profile-range-note">
      <span>
        Samples from <strong>{formatRunTime(props.run.startMs)}</strong> to <strong>{formatRunTime(props.run.endMs)}</strong> of the run
        {samples !== undefined ? (
          <>
            {' '}
            · {samples.toLocaleString('en-US')} of {props.total.toLocaleString('en-US')} samples
            {samples === 0 ? ' — the CPU profile has no samples in this range' : ''}
          </>
        ) : (
          ' · computing…'
        )}
      </span>
      <span className="muted" title="V8 counts line ticks per call path for the whole profile, without times">
        Source heat in this range is estimated: each call path's line ticks scaled by its samples inside.
      </span>
      <button type="button" className="btn btn-small" onClick={props.clear}>
        Clear range
      </button>
    </div>
  )
}
