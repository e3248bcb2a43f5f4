/**
 * GC marks of the workload child for the run's timeline: every garbage collection perf_hooks reports
 * (PerformanceObserver, entryTypes ['gc']) from the time the child starts, with its start, pause and
 * kind, sent to the parent in small batches every FLUSH_MS (and on flush()), so a child that dies (out of
 * memory) has sent all but its last few. Bounded: the first `max` are sent, the rest only counted.
 */
import { type PerformanceEntry, PerformanceObserver, performance } from 'node:perf_hooks'
import { type GcMark, MAX_GC_MARKS } from '../../core/model/run.js'
import type { ChildMessage } from './protocol.js'

const FLUSH_MS = 250

/** perf_hooks.constants.NODE_PERFORMANCE_GC_*: MINOR 1, MAJOR 4, INCREMENTAL 8, WEAKCB 16. */
export function gcKindOf(kind: number | undefined): GcMark['kind'] {
  return kind === 1 ? 'minor' : kind === 4 ? 'major' : kind === 8 ? 'incremental' : kind === 16 ? 'weakcb' : 'other'
}

export interface GcMarkRecorder {
  /** Sends the marks gathered since the last batch (and the count past the bound), if any. */
  flush(): void
  /** Flushes and stops observing. */
  stop(): void
}

export function recordGcMarks(send: (message: Extract<ChildMessage, { type: 'gc' }>) => void, max = MAX_GC_MARKS): GcMarkRecorder {
  let pending: Extract<ChildMessage, { type: 'gc' }>['marks'] = []
  let kept = 0
  let dropped = 0
  let droppedSent = 0
  const take = (entries: readonly PerformanceEntry[]): void => {
    for (const entry of entries) {
      if (kept >= max) {
        dropped++
        continue
      }
      kept++
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind
      // Hundredths of a millisecond: finer than the charts draw, and it keeps run.json small.
      pending.push({ atEpochMs: round2(performance.timeOrigin + entry.startTime), durationMs: round2(entry.duration), kind: gcKindOf(kind) })
    }
  }
  const observer = new PerformanceObserver((list) => take(list.getEntries()))
  observer.observe({ entryTypes: ['gc'] })
  const flush = (): void => {
    if (pending.length === 0 && dropped === droppedSent) return
    const marks = pending
    pending = []
    send({ type: 'gc', marks, dropped: dropped - droppedSent })
    droppedSent = dropped
  }
  const timer = setInterval(flush, FLUSH_MS)
  timer.unref()
  return {
    flush,
    stop() {
      // Entries of the last GCs are delivered to the observer's callback asynchronously: take them now.
      take(observer.takeRecords())
      clearInterval(timer)
      observer.disconnect()
      flush()
    },
  }
}

const round2 = (v: number): number => Math.round(v * 100) / 100
