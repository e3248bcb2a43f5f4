/**
 * Paired measurement inside one child process (tango-bench's idea): two workload instances A and B (two
 * variants, or two parameter sets, of one workload) are warmed up and then measured iteration by
 * iteration in alternation, the order inside each pair drawn at random, so machine drift (CPU frequency,
 * neighbours, thermal state) hits both sides of every pair alike and cancels in the pair's ratio.
 *
 * The per-process statistic is the paired log-ratio: the median over pairs of log(per-operation time of
 * B / that of A). The median, not the mean: on a loaded machine a pair in which one side was preempted
 * (a 10 ms stall in a 100 µs iteration) gives a log-ratio of ±4.6, and a few dozen of those decide a
 * mean; the median of the pair ratios estimates the typical speed ratio and ignores them. For identical
 * sides it is 0 by symmetry (the order in each pair is random). The verdict does not rest on it alone: `hotpath ab` runs several such processes and judges
 * the spread of this statistic between them (core/stats/between-process.ts), so a bias that lives inside
 * one process (one copy compiled or laid out differently) shows up as between-process spread instead of
 * passing for a change.
 *
 * Process-wide facts (GC, CPU time, RSS, event-loop utilization) cannot be split between two sides that
 * run interleaved; both sides report the process's values, and the comparison gives them no verdict.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import * as hdr from 'hdr-histogram-js'
import type { RunMetrics } from '../../core/model/run.js'
import { countOutliers } from '../../core/stats/outliers.js'
import { quantileSorted } from '../../core/stats/summarize.js'
import { createRng } from '../data/prng.js'
import type { WorkloadInstance } from '../types.js'
import {
  DEFAULT_DURATION_MS,
  DEFAULT_WARMUP_MS,
  type MeasureHooks,
  type MeasurePlan,
  type MeasureResult,
  yieldToEventLoop,
} from './measure.js'

export interface PairedMeasureResult {
  a: MeasureResult
  b: MeasureResult
  /** Median over measured pairs of log(per-op time B / per-op time A). */
  pairedLogRatio: number
  pairs: number
}

const MAX_TRACKABLE_NS = 3_600_000_000_000
const YIELD_EVERY_MS = 50
const PROGRESS_EVERY_MS = 100
const MAX_PAIR_LOGS = 1_000_000

interface Side {
  instance: WorkloadInstance
  ops: number
  histogram: hdr.Histogram
  reservoir: number[]
  timedNs: number
  iterations: number
}

async function timeOnce(instance: WorkloadInstance): Promise<number> {
  const t0 = performance.now()
  const r = instance.iterate()
  if (r) await r
  return (performance.now() - t0) * 1e6
}

/**
 * Measures A and B alternately. The plan's iterations count pairs; its duration bounds the whole window
 * (both sides together). `seed` draws the order inside each pair.
 */
export async function measurePaired(
  a: WorkloadInstance,
  b: WorkloadInstance,
  plan: MeasurePlan,
  hooks: MeasureHooks,
  seed: number,
): Promise<PairedMeasureResult> {
  for (const inst of [a, b]) {
    if (!Number.isFinite(inst.opsPerIteration) || inst.opsPerIteration < 1)
      throw new Error(`opsPerIteration must be >= 1, got ${inst.opsPerIteration}`)
  }
  const order = createRng(seed ^ 0x9a1b)
  let peakHeap = v8.getHeapStatistics().used_heap_size
  const sampleHeap = (): number => {
    const used = v8.getHeapStatistics().used_heap_size
    if (used > peakHeap) peakHeap = used
    return used
  }

  // Warm-up, alternating too, so both sides reach their steady state under the same conditions.
  const warmupByCount = plan.warmupIterations !== undefined
  const warmupLimitMs = plan.warmupMs ?? DEFAULT_WARMUP_MS
  let warmupPairs = 0
  {
    const start = performance.now()
    let lastYield = start
    let lastProgress = start
    while (!hooks.shouldStop()) {
      const now = performance.now()
      if (warmupByCount ? warmupPairs >= (plan.warmupIterations ?? 0) : now - start >= warmupLimitMs) break
      const first = order.next() < 0.5 ? a : b
      await timeOnce(first)
      await timeOnce(first === a ? b : a)
      warmupPairs++
      const after = performance.now()
      if (after - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = after
        const fraction = warmupByCount ? warmupPairs / Math.max(1, plan.warmupIterations ?? 1) : (after - start) / warmupLimitMs
        hooks.onProgress({ phase: 'warmup', fraction: Math.min(1, fraction), opsDone: 0, opsPerSec: 0, heapUsedBytes: sampleHeap() })
      }
      if (after - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop()
        lastYield = performance.now()
      }
    }
  }

  const makeSide = (instance: WorkloadInstance): Side => ({
    instance,
    ops: instance.opsPerIteration,
    histogram: hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: MAX_TRACKABLE_NS, numberOfSignificantValueDigits: 3 }),
    reservoir: [],
    timedNs: 0,
    iterations: 0,
  })
  const sa = makeSide(a)
  const sb = makeSide(b)
  const reservoirRng = createRng(0x5eed)
  const perSideMax = Math.max(1, plan.maxSamples)
  let gcCount = 0
  let gcPauseMs = 0
  let gcMajor = 0
  let gcMinor = 0
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++
      gcPauseMs += entry.duration
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind
      if (kind === 4) gcMajor++
      else if (kind === 1) gcMinor++
    }
  })
  const record = (side: Side, dtNs: number): number => {
    side.timedNs += dtNs
    side.iterations++
    const perOpNs = Math.max(1, Math.round(dtNs / side.ops))
    side.histogram.recordValue(Math.min(perOpNs, MAX_TRACKABLE_NS))
    if (side.reservoir.length < perSideMax) side.reservoir.push(perOpNs)
    else {
      const j = Math.floor(reservoirRng.next() * side.iterations)
      if (j < perSideMax) side.reservoir[j] = perOpNs
    }
    return dtNs / side.ops
  }

  await hooks.beforeMeasure?.()
  gcObserver.observe({ entryTypes: ['gc'] })
  const byCount = plan.iterations !== undefined
  const targetPairs = plan.iterations ?? Number.POSITIVE_INFINITY
  const limitMs = plan.durationMs ?? DEFAULT_DURATION_MS
  const cpuStart = process.cpuUsage()
  const eluStart = performance.eventLoopUtilization()
  const start = performance.now()
  let pairs = 0
  const pairLogs: number[] = []
  let lastYield = start
  let lastProgress = start
  let stoppedEarly = false
  for (;;) {
    if (hooks.shouldStop()) {
      stoppedEarly = true
      break
    }
    if (byCount ? pairs >= targetPairs : performance.now() - start >= limitMs) break
    const aFirst = order.next() < 0.5
    let perOpA: number
    let perOpB: number
    if (aFirst) {
      perOpA = record(sa, await timeOnce(a))
      perOpB = record(sb, await timeOnce(b))
    } else {
      perOpB = record(sb, await timeOnce(b))
      perOpA = record(sa, await timeOnce(a))
    }
    // Timer granularity can give 0 for a tiny iteration; clamp to 1 ns as the histogram does. Past
    // MAX_PAIR_LOGS pairs a uniform reservoir (Algorithm R) keeps memory bounded for the median.
    const lr = Math.log(Math.max(1, perOpB) / Math.max(1, perOpA))
    pairs++
    if (pairLogs.length < MAX_PAIR_LOGS) pairLogs.push(lr)
    else {
      const j = Math.floor(reservoirRng.next() * pairs)
      if (j < MAX_PAIR_LOGS) pairLogs[j] = lr
    }
    const now = performance.now()
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now
      hooks.onProgress({
        phase: 'measure',
        fraction: Math.min(1, byCount ? pairs / targetPairs : (now - start) / limitMs),
        opsDone: sa.iterations * sa.ops + sb.iterations * sb.ops,
        opsPerSec: sa.timedNs > 0 ? (sa.iterations * sa.ops) / (sa.timedNs / 1e9) : 0,
        heapUsedBytes: sampleHeap(),
      })
    }
    if (now - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop()
      lastYield = performance.now()
    }
  }
  const measuredMs = performance.now() - start
  const cpu = process.cpuUsage(cpuStart)
  const elu = performance.eventLoopUtilization(eluStart)
  await hooks.afterMeasure?.()
  sampleHeap()
  await yieldToEventLoop()
  gcObserver.disconnect()

  const finish = (side: Side): MeasureResult => {
    const operations = side.iterations * side.ops
    const empty = side.iterations === 0
    const h = side.histogram
    const min = h.minNonZeroValue
    const max = h.maxValue
    const at = (p: number): number => Math.min(max, Math.max(min, h.getValueAtPercentile(p)))
    const metrics: RunMetrics = {
      opsPerSec: empty ? 0 : operations / (side.timedNs / 1e9),
      iterations: side.iterations,
      operations,
      opsPerIteration: side.ops,
      batched: side.ops > 1,
      measuredMs,
      warmupIterations: warmupPairs,
      latencyNs: empty
        ? { mean: 0, stddev: 0, min: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 }
        : { mean: h.mean, stddev: h.stdDeviation, min, p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9), max },
      outliers: countOutliers(side.reservoir),
      // Process-wide: shared by both sides (see the module comment).
      gc: { count: gcCount, pauseMs: gcPauseMs, major: gcMajor, minor: gcMinor },
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      peakHeapUsedBytes: peakHeap,
      cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000 },
      eventLoopUtilization: elu.utilization,
    }
    const encoded = hdr.encodeIntoCompressedBase64(h)
    h.destroy()
    return { metrics, histogram: encoded, samplesNs: side.reservoir, stoppedEarly }
  }
  const sorted = Float64Array.from(pairLogs).sort()
  return { a: finish(sa), b: finish(sb), pairedLogRatio: pairs > 0 ? quantileSorted(sorted, 0.5) : Number.NaN, pairs }
}
