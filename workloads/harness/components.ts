/**
 * Per-component timings inside a workload's operation (event-stream: parse, gap check, apply, candle).
 * Workloads time their stages through a ComponentRecorder, either on every k-th operation (per-event
 * stages, where two clock reads per stage would dwarf the stage) or per batch (columnar passes, recorded
 * as the per-operation mean). Only calls in the measured window count.
 */
import { performance } from 'node:perf_hooks'
import * as hdr from 'hdr-histogram-js'
import type { ComponentTiming } from '../../core/model/load.js'

export interface ComponentRecorder {
  /** True inside the measured window; workloads skip their clock reads when false. */
  readonly active: boolean
  /** The clock, in ms (performance.now). */
  now(): number
  /**
   * Records one timed call of `id` that took `ns` for `operations` operations. `weight` is how many
   * calls this one stands for when only every k-th call is timed (for the component's total time).
   */
  record(id: string, ns: number, operations?: number, weight?: number): void
}

interface Track {
  histogram: hdr.Histogram
  calls: number
  batched: boolean
  totalNs: number
}

/** A recorder that discards everything: the default when the harness does not ask for components. */
export const NO_COMPONENTS: ComponentRecorder = { active: false, now: () => performance.now(), record: () => undefined }

export interface ComponentCollector extends ComponentRecorder {
  setActive(active: boolean): void
  summarize(): ComponentTiming[]
}

/**
 * The cost of one timed interval with nothing in it (two performance.now() reads), in ns: the median of
 * back-to-back reads. Subtracted from per-call timings, which are otherwise dominated by it for stages
 * of tens of nanoseconds (the overhead calibration hyperfine does for process spawns).
 */
export function calibrateClockOverheadNs(rounds = 2001): number {
  const d: number[] = []
  for (let i = 0; i < rounds; i++) {
    const a = performance.now()
    const b = performance.now()
    d.push((b - a) * 1e6)
  }
  d.sort((x, y) => x - y)
  return d[Math.floor(d.length / 2)] ?? 0
}

export function createComponentCollector(clockOverheadNs = calibrateClockOverheadNs()): ComponentCollector {
  const tracks = new Map<string, Track>()
  let active = false
  return {
    get active() {
      return active
    },
    now: () => performance.now(),
    setActive(a) {
      active = a
    },
    record(id, ns, operations = 1, weight = 1) {
      if (!active) return
      let t = tracks.get(id)
      if (!t) {
        t = { histogram: hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: 3 }), calls: 0, batched: false, totalNs: 0 }
        tracks.set(id, t)
      }
      t.calls++
      const net = Math.max(0, ns - clockOverheadNs)
      t.totalNs += net * weight
      if (operations > 1) {
        // A batch's per-operation mean counts once per operation, so percentiles are over operations.
        t.batched = true
        t.histogram.recordValueWithCount(Math.max(1, Math.round(net / operations)), operations)
      } else t.histogram.recordValue(Math.max(1, Math.round(net)))
    },
    summarize() {
      const out: ComponentTiming[] = []
      for (const [id, t] of tracks) {
        const h = t.histogram
        const max = h.maxValue
        const at = (p: number): number => Math.min(max, h.getValueAtPercentile(p))
        out.push({
          id,
          calls: t.calls,
          batched: t.batched,
          totalNs: t.totalNs,
          latencyNs: { mean: h.mean, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max },
          ...(t.batched ? {} : { resolutionNs: clockOverheadNs }),
        })
        h.destroy()
      }
      tracks.clear()
      return out
    },
  }
}
