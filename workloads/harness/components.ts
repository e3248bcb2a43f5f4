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

export function createComponentCollector(): ComponentCollector {
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
      if (operations > 1) t.batched = true
      t.totalNs += ns * weight
      t.histogram.recordValue(Math.max(1, Math.round(ns / operations)))
    },
    summarize() {
      const out: ComponentTiming[] = []
      for (const [id, t] of tracks) {
        const h = t.histogram
        const max = h.maxValue
        const at = (p: number): number => Math.min(max, h.getValueAtPercentile(p))
        out.push({ id, calls: t.calls, batched: t.batched, totalNs: t.totalNs, latencyNs: { mean: h.mean, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max } })
        h.destroy()
      }
      tracks.clear()
      return out
    },
  }
}
