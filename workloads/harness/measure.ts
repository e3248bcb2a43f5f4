/**
 * The measurement loop that runs inside the workload child: warm-up, then measured iterations by
 * count or duration, per-operation latency into an HDR histogram, GC, CPU, memory and event-loop facts.
 * Timing uses performance.now() (hrtime-based, allocation-free); the loop yields to the event loop every ~50 ms (outside the
 * timed region) so progress, signals and stop requests get through even for synchronous workloads.
 */
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import * as hdr from 'hdr-histogram-js'
import type { RunMetrics } from '../../core/model/run.js'
import { countOutliers } from '../../core/stats/outliers.js'
import { createRng } from '../data/prng.js'
import type { WorkloadInstance } from '../types.js'
import type { OpenLoopRecord, SoakRecord } from '../../core/model/load.js'
import type { ComponentCollector } from './components.js'
import { type OpenLoopPlan, type Pacer, createPacer } from './open-loop.js'
import { type SoakSampler, createSoakSampler } from './soak.js'

export interface MeasurePlan {
  warmupIterations?: number | undefined
  warmupMs?: number | undefined
  iterations?: number | undefined
  durationMs?: number | undefined
  maxSamples: number
  /** Open-loop pacing of the measured window (--rate); latency then counts per request from its intended start. */
  openLoop?: Omit<OpenLoopPlan, 'opsPerRequest'> | undefined
  /** Soak: force a GC and sample the live heap and RSS this often (ms) during the measured window. */
  soakEveryMs?: number | undefined
  /** Per-component timings, switched on for the measured window only. */
  components?: ComponentCollector | undefined
}

export interface MeasureHooks {
  /** Called about every 100 ms with the phase's progress. */
  onProgress(p: { phase: 'warmup' | 'measure'; fraction: number; opsDone: number; opsPerSec: number; p99Ns?: number; heapUsedBytes: number; eventLoopDelayMs?: number }): void
  /** Called after warm-up, right before the measured window starts (profilers start here). */
  beforeMeasure?(): Promise<void> | void
  /** Called right after the measured window ends, before the summary is computed (profilers stop here). */
  afterMeasure?(): Promise<void> | void
  /** True when the parent asked to stop: the loop ends at the next iteration boundary. */
  shouldStop(): boolean
}

export interface MeasureResult {
  metrics: RunMetrics
  histogram: string
  samplesNs: number[]
  stoppedEarly: boolean
  load?: OpenLoopRecord
  soak?: SoakRecord
}

/** Highest latency the histogram tracks: one hour, in ns. */
const MAX_TRACKABLE_NS = 3_600_000_000_000
const YIELD_EVERY_MS = 50
const PROGRESS_EVERY_MS = 100
/** Default measurement when neither iterations nor duration is given. */
export const DEFAULT_DURATION_MS = 3000
export const DEFAULT_WARMUP_MS = 500

export async function measure(instance: WorkloadInstance, plan: MeasurePlan, hooks: MeasureHooks): Promise<MeasureResult> {
  const ops = instance.opsPerIteration
  if (!Number.isFinite(ops) || ops < 1) throw new Error(`opsPerIteration must be >= 1, got ${ops}`)
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  let peakHeap = v8.getHeapStatistics().used_heap_size
  const sampleHeap = (): number => {
    const used = v8.getHeapStatistics().used_heap_size
    if (used > peakHeap) peakHeap = used
    return used
  }

  // Warm-up: by count, by time, or the default time; a count of 0 skips it.
  const warmupByCount = plan.warmupIterations !== undefined
  const warmupLimitMs = plan.warmupMs ?? DEFAULT_WARMUP_MS
  let warmupIterations = 0
  {
    const start = performance.now()
    let lastYield = start
    let lastProgress = start
    while (!hooks.shouldStop()) {
      const now = performance.now()
      if (warmupByCount ? warmupIterations >= (plan.warmupIterations ?? 0) : now - start >= warmupLimitMs) break
      const r = instance.iterate()
      if (r) await r
      warmupIterations++
      const after = performance.now()
      if (after - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = after
        const fraction = warmupByCount ? warmupIterations / Math.max(1, plan.warmupIterations ?? 1) : (after - start) / warmupLimitMs
        hooks.onProgress({ phase: 'warmup', fraction: Math.min(1, fraction), opsDone: warmupIterations * ops, opsPerSec: (warmupIterations * ops) / ((after - start) / 1e3), heapUsedBytes: sampleHeap() })
      }
      if (after - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop()
        lastYield = performance.now()
      }
    }
  }

  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: MAX_TRACKABLE_NS, numberOfSignificantValueDigits: 3 })
  const reservoir: number[] = []
  const reservoirRng = createRng(0x5eed)
  let gcCount = 0
  let gcPauseMs = 0
  let gcMajor = 0
  let gcMinor = 0
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++
      gcPauseMs += entry.duration
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind
      // perf_hooks.constants: NODE_PERFORMANCE_GC_MAJOR = 4, MINOR = 1.
      if (kind === 4) gcMajor++
      else if (kind === 1) gcMinor++
    }
  })

  await hooks.beforeMeasure?.()
  gcObserver.observe({ entryTypes: ['gc'] })
  loopDelay.reset()
  const byCount = plan.iterations !== undefined
  const targetIterations = plan.iterations ?? Number.POSITIVE_INFINITY
  const limitMs = plan.durationMs ?? DEFAULT_DURATION_MS
  const cpuStart = process.cpuUsage()
  const eluStart = performance.eventLoopUtilization()
  const gcMajorAtStart = gcMajor
  const soak: SoakSampler | undefined = plan.soakEveryMs ? createSoakSampler(performance.now(), plan.soakEveryMs) : undefined
  soak?.sample(performance.now())
  plan.components?.setActive(true)
  const start = performance.now()
  const pacer: Pacer | undefined = plan.openLoop ? createPacer({ ...plan.openLoop, opsPerRequest: ops }, start) : undefined
  let iterations = 0
  let timedNs = 0
  let lastYield = start
  let lastProgress = start
  let stoppedEarly = false
  for (;;) {
    if (hooks.shouldStop()) {
      stoppedEarly = true
      break
    }
    if (byCount ? iterations >= targetIterations : performance.now() - start >= limitMs) break
    // Open loop: the next request's intended start; it is not issued when it falls after the window.
    let intended = 0
    if (pacer) {
      if (!byCount && pacer.peek() - start >= limitMs) break
      intended = await pacer.nextStart()
    }
    // performance.now() is hrtime-based and returns an unboxed double: unlike hrtime.bigint() it
    // allocates nothing, so the harness adds no garbage (and no GC) to the workload it times.
    const t0 = performance.now()
    const r = instance.iterate()
    if (r) await r
    const t1 = performance.now()
    const dtNs = (t1 - t0) * 1e6
    timedNs += dtNs
    iterations++
    // Closed loop: per-operation time of this iteration. Open loop: the request's time from its intended start.
    const perOpNs = pacer ? Math.max(1, Math.round((t1 - intended) * 1e6)) : Math.max(1, Math.round(dtNs / ops))
    pacer?.completed(t1, dtNs)
    histogram.recordValue(Math.min(perOpNs, MAX_TRACKABLE_NS))
    // Reservoir sampling (Vitter's Algorithm R) keeps raw samples bounded and uniform over the window.
    if (reservoir.length < plan.maxSamples) reservoir.push(perOpNs)
    else {
      const j = Math.floor(reservoirRng.next() * iterations)
      if (j < plan.maxSamples) reservoir[j] = perOpNs
    }
    let now = performance.now()
    if (soak?.maybeSample(now)) now = performance.now()
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now
      const fraction = byCount ? iterations / targetIterations : (now - start) / limitMs
      hooks.onProgress({
        phase: 'measure',
        fraction: Math.min(1, fraction),
        opsDone: iterations * ops,
        opsPerSec: (iterations * ops) / (timedNs / 1e9),
        p99Ns: histogram.getValueAtPercentile(99),
        heapUsedBytes: sampleHeap(),
        eventLoopDelayMs: loopDelay.percentile(99) / 1e6,
      })
    }
    // An open loop yields only when the next request is not due yet, or every 50 ms when it is always behind.
    if (now - lastYield >= YIELD_EVERY_MS && (!pacer || pacer.peek() > now || now - lastYield >= 2 * YIELD_EVERY_MS)) {
      await yieldToEventLoop()
      lastYield = performance.now()
    }
  }
  const end = performance.now()
  const measuredMs = end - start
  plan.components?.setActive(false)
  const load = pacer?.finish(byCount ? end : start + limitMs)
  soak?.sample(performance.now())
  const cpu = process.cpuUsage(cpuStart)
  const elu = performance.eventLoopUtilization(eluStart)
  await hooks.afterMeasure?.()
  sampleHeap()
  // GC entries are delivered asynchronously: give the observer a turn before reading the counts.
  await yieldToEventLoop()
  gcObserver.disconnect()
  const soakRecord = soak?.finish(measuredMs, gcMajor - gcMajorAtStart)
  loopDelay.disable()

  const operations = iterations * ops
  const empty = iterations === 0
  const metrics: RunMetrics = {
    opsPerSec: empty ? 0 : operations / (timedNs / 1e9),
    iterations,
    operations,
    opsPerIteration: ops,
    batched: ops > 1,
    measuredMs,
    warmupIterations,
    latencyNs: latencySummary(histogram, empty),
    outliers: countOutliers(reservoir),
    gc: { count: gcCount, pauseMs: gcPauseMs, major: gcMajor, minor: gcMinor },
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapUsedBytes: peakHeap,
    cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000 },
    eventLoopUtilization: elu.utilization,
    eventLoopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  }
  if (load) {
    // Under open loop the throughput is the achieved rate, not the inverse of the service time.
    metrics.opsPerSec = load.achievedOpsPerSec
  }
  const encoded = hdr.encodeIntoCompressedBase64(histogram)
  histogram.destroy()
  return { metrics, histogram: encoded, samplesNs: reservoir, stoppedEarly, ...(load ? { load } : {}), ...(soakRecord ? { soak: soakRecord } : {}) }
}

/**
 * HDR percentiles are the highest value equivalent to the bucket (3 significant digits), which can
 * exceed the exact max by a hair; clamp so reports never show p99 > max.
 */
function latencySummary(h: hdr.Histogram, empty: boolean): RunMetrics['latencyNs'] {
  if (empty) return { mean: 0, stddev: 0, min: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 }
  const min = h.minNonZeroValue
  const max = h.maxValue
  const at = (p: number): number => Math.min(max, Math.max(min, h.getValueAtPercentile(p)))
  return { mean: h.mean, stddev: h.stdDeviation, min, p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9), max }
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
