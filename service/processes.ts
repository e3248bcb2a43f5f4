/**
 * What a run made of several child processes stores: one ProcessResult per process and their aggregate
 * (the run's `metrics`, `histogram` and `samplesNs`), and the profiler overhead measured process by
 * process. Used by the run executor (`--repeat N`) and by `hotpath ab`.
 */
import * as hdr from 'hdr-histogram-js'
import type { ProcessResult, RunMetrics, RunRecord } from '../core/model/run.js'
import { pairedProcessInterval } from '../core/stats/between-process.js'

/** Largest number of raw samples a run keeps over all its processes (as one process keeps). */
export const MAX_RUN_SAMPLES = 10_000

/** Samples each of `processes` processes may keep so the run stays within MAX_RUN_SAMPLES. */
export function samplesPerProcess(processes: number): number {
  return Math.max(200, Math.floor(MAX_RUN_SAMPLES / Math.max(1, processes)))
}

/**
 * The run-level aggregate of its processes: operations, iterations, times and GC summed; throughput is
 * all operations over all timed time; latency comes from the merged histogram (every iteration of every
 * process, so tail percentiles see the slow processes too); peaks are the highest peak.
 */
export function aggregateProcesses(processes: readonly ProcessResult[]): Pick<RunRecord, 'metrics' | 'histogram' | 'samplesNs'> {
  const ms = processes.map((p) => p.metrics)
  const first = ms[0]
  if (!first) return {}
  const sum = (f: (m: RunMetrics) => number): number => ms.reduce((s, m) => s + f(m), 0)
  const max = (f: (m: RunMetrics) => number): number => ms.reduce((s, m) => Math.max(s, f(m)), Number.NEGATIVE_INFINITY)
  const operations = sum((m) => m.operations)
  const timedSec = sum((m) => (m.opsPerSec > 0 ? m.operations / m.opsPerSec : 0))
  const merged = mergeHistograms(processes.map((p) => p.histogram).filter((h): h is string => h !== undefined))
  const latencyNs = merged?.latency ?? first.latencyNs
  const metrics: RunMetrics = {
    opsPerSec: timedSec > 0 ? operations / timedSec : 0,
    iterations: sum((m) => m.iterations),
    operations,
    opsPerIteration: first.opsPerIteration,
    batched: ms.some((m) => m.batched),
    measuredMs: sum((m) => m.measuredMs),
    warmupIterations: sum((m) => m.warmupIterations),
    latencyNs,
    outliers: { low: sum((m) => m.outliers.low), high: sum((m) => m.outliers.high) },
    gc: { count: sum((m) => m.gc.count), pauseMs: sum((m) => m.gc.pauseMs), major: sum((m) => m.gc.major), minor: sum((m) => m.gc.minor) },
    peakRssBytes: max((m) => m.peakRssBytes),
    peakHeapUsedBytes: max((m) => m.peakHeapUsedBytes),
    cpu: { userMs: sum((m) => m.cpu.userMs), systemMs: sum((m) => m.cpu.systemMs) },
    eventLoopUtilization: sum((m) => m.eventLoopUtilization) / ms.length,
  }
  const samplesNs = processes.flatMap((p) => p.samplesNs ?? []).slice(0, MAX_RUN_SAMPLES)
  return { metrics, ...(merged ? { histogram: merged.encoded } : {}), ...(samplesNs.length > 0 ? { samplesNs } : {}) }
}

function mergeHistograms(encoded: readonly string[]): { encoded: string; latency: RunMetrics['latencyNs'] } | undefined {
  if (encoded.length === 0) return undefined
  const total = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: 3 })
  try {
    for (const e of encoded) {
      const h = hdr.decodeFromCompressedBase64(e, 32, false)
      try {
        total.add(h)
      } finally {
        h.destroy()
      }
    }
    if (total.totalCount === 0) return undefined
    const min = total.minNonZeroValue
    const max = total.maxValue
    const at = (p: number): number => Math.min(max, Math.max(min, total.getValueAtPercentile(p)))
    return {
      encoded: hdr.encodeIntoCompressedBase64(total),
      latency: {
        mean: total.mean,
        stddev: total.stdDeviation,
        min,
        p50: at(50),
        p90: at(90),
        p95: at(95),
        p99: at(99),
        p999: at(99.9),
        max,
      },
    }
  } finally {
    total.destroy()
  }
}

/**
 * Profiler overhead from processes that each ran a timing pass and then a profiled pass: per process the
 * log of profiled / timing throughput, and a paired t-interval over processes (so it is measured like any
 * comparison). With one process the point value only (the warning then needs the single-process floor).
 */
export function profilerOverheadOf(processes: readonly ProcessResult[]): RunRecord['profilerOverhead'] {
  const pairs = processes.filter((p) => p.profiled && p.metrics.opsPerSec > 0 && p.profiled.opsPerSec > 0)
  if (pairs.length === 0) return undefined
  const timingOps = pairs.reduce((s, p) => s + p.metrics.opsPerSec, 0) / pairs.length
  const profiledOps = pairs.reduce((s, p) => s + (p.profiled as { opsPerSec: number }).opsPerSec, 0) / pairs.length
  const logRatios = pairs.map((p) => Math.log((p.profiled as { opsPerSec: number }).opsPerSec / p.metrics.opsPerSec))
  const interval = pairedProcessInterval(logRatios)
  const geo = Math.exp(logRatios.reduce((s, v) => s + v, 0) / logRatios.length)
  return {
    timingOpsPerSec: timingOps,
    profiledOpsPerSec: profiledOps,
    overheadPct: (1 - geo) * 100,
    // The first process's count: it normalizes the first profile, which single-profile readers take.
    profiledOperations: (pairs[0]!.profiled as { operations: number }).operations,
    processes: pairs.length,
    ...(interval ? { ciLowPct: (1 - interval.high) * 100, ciHighPct: (1 - interval.low) * 100 } : {}),
  }
}
