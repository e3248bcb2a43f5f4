/**
 * Column buffers for resource timelines (CPU%, RSS, heap, ops/s against time), in the aligned-columns
 * shape uPlot draws. Live samples are appended here outside React; charts poll `version` at ~10 Hz.
 * When full, every other point is dropped, so a long run keeps its whole history at half resolution.
 */
import type { RunId, TimelineSample } from '../../../core/model/run.js'

export const TIMELINE_FIELDS = ['cpuPct', 'rssBytes', 'heapUsedBytes', 'opsPerSec', 'eventLoopDelayMs'] as const
export type TimelineField = (typeof TIMELINE_FIELDS)[number]

export interface SeriesBuffer {
  /** Increases on every change; a chart redraws when it differs from what it drew. */
  readonly version: number
  readonly length: number
  /** Time in seconds since the child started. */
  readonly t: number[]
  readonly columns: Readonly<Record<TimelineField, (number | null)[]>>
  push(sample: TimelineSample): void
}

/** CPU% is user + system, so a number above 100 means more than one core was busy. */
function valuesOf(sample: TimelineSample): Record<TimelineField, number | null> {
  const cpu =
    sample.cpuUserPct === undefined && sample.cpuSystemPct === undefined ? null : (sample.cpuUserPct ?? 0) + (sample.cpuSystemPct ?? 0)
  return {
    cpuPct: cpu,
    // A live process always has resident memory: 0 is a reading taken after it exited, not a value.
    rssBytes: sample.rssBytes ? sample.rssBytes : null,
    heapUsedBytes: sample.heapUsedBytes ?? null,
    opsPerSec: sample.opsPerSec ?? null,
    eventLoopDelayMs: sample.eventLoopDelayMs ?? null,
  }
}

export function createSeriesBuffer(capacity = 4000): SeriesBuffer {
  if (capacity < 2) throw new RangeError('a series buffer holds at least 2 points')
  const t: number[] = []
  const columns = { cpuPct: [], rssBytes: [], heapUsedBytes: [], opsPerSec: [], eventLoopDelayMs: [] } as Record<TimelineField, (number | null)[]>
  let version = 0
  const decimate = (arr: unknown[]): void => {
    let w = 0
    for (let r = 0; r < arr.length; r += 2) arr[w++] = arr[r]
    arr.length = w
  }
  return {
    get version() {
      return version
    },
    get length() {
      return t.length
    },
    t,
    columns,
    push(sample) {
      // Samples can arrive out of order after a reconnect; uPlot needs ascending x.
      const tS = sample.tMs / 1000
      const last = t[t.length - 1]
      if (last !== undefined && tS < last) return
      if (t.length >= capacity) {
        decimate(t)
        for (const f of TIMELINE_FIELDS) decimate(columns[f])
      }
      t.push(tS)
      const v = valuesOf(sample)
      for (const f of TIMELINE_FIELDS) columns[f].push(v[f])
      version++
    },
  }
}

/** A buffer filled from a stored timeline (run detail). */
export function seriesFromTimeline(samples: readonly TimelineSample[]): SeriesBuffer {
  const buffer = createSeriesBuffer(Math.max(2, samples.length))
  for (const s of [...samples].sort((a, b) => a.tMs - b.tMs)) buffer.push(s)
  return buffer
}

/** Whether a column has at least one value (charts for absent metrics are not drawn). */
export function hasValues(column: readonly (number | null)[]): boolean {
  return column.some((v) => v !== null)
}

/** The live timelines of the runs in progress, keyed by run id. Not React state: appended per sample. */
export interface LiveTimelines {
  get(runId: RunId): SeriesBuffer | undefined
  push(runId: RunId, sample: TimelineSample): void
  delete(runId: RunId): void
}

export function createLiveTimelines(capacity?: number): LiveTimelines {
  const buffers = new Map<RunId, SeriesBuffer>()
  return {
    get: (runId) => buffers.get(runId),
    push(runId, sample) {
      let b = buffers.get(runId)
      if (!b) {
        b = createSeriesBuffer(capacity)
        buffers.set(runId, b)
      }
      b.push(sample)
    },
    delete: (runId) => void buffers.delete(runId),
  }
}
