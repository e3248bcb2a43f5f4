/**
 * Open-loop pacing of the measured window (as wrk2 does): requests (one workload iteration each) arrive
 * on a schedule fixed in advance, at a constant rate or as a Poisson process, whatever the workload
 * does. One request is served at a time, in arrival order; each request's latency counts from its
 * *intended* start, so a stall delays and is charged to every request that arrived during it
 * (coordinated omission corrected). The pacer also tracks the achieved rate and the backlog over time.
 */
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import * as hdr from 'hdr-histogram-js'
import type { Arrivals, OpenLoopRecord } from '../../core/model/load.js'
import { createRng } from '../data/prng.js'

export interface OpenLoopPlan {
  /** Offered load in operations per second. */
  opsPerSec: number
  arrivals: Arrivals
  /** Operations per request (the workload's opsPerIteration). */
  opsPerRequest: number
  seed: number
}

export interface Pacer {
  /**
   * Waits until the next request's intended start (spinning the last stretch for precision, sleeping
   * before that when the wait is long) and returns that time in ms, or returns it at once when the
   * request is already late.
   */
  nextStart(): Promise<number>
  /** The next request's intended start, without waiting. */
  peek(): number
  /** Marks the current request done at `endMs` after `serviceNs` in the operation. */
  completed(endMs: number, serviceNs: number): void
  /**
   * Summary of the arrival window that ended at `windowEndMs`: arrivals are the requests intended before
   * it, the achieved rate counts completions over the window or until the last completion if later.
   */
  finish(windowEndMs: number): OpenLoopRecord
}

/** Waits longer than this are slept (less this margin, then spun) instead of spun whole. */
const SLEEP_ABOVE_MS = 2
const SPIN_MARGIN_MS = 1.5
const MAX_BACKLOG_POINTS = 200

export function createPacer(plan: OpenLoopPlan, startMs: number): Pacer {
  if (!(plan.opsPerSec > 0)) throw new Error(`the offered rate must be positive, got ${plan.opsPerSec}`)
  const intervalMs = (1000 * plan.opsPerRequest) / plan.opsPerSec
  const rng = createRng(plan.seed ^ 0x0a11)
  let intended = startMs
  let index = 0
  let completedCount = 0
  let maxBacklog = 0
  let lastEndMs = startMs
  const service = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: 3 })
  const backlog: { tMs: number; queued: number }[] = []
  let backlogEveryMs = 50
  let lastBacklogAt = -Infinity
  const nextGap = (): number => (plan.arrivals === 'poisson' ? -Math.log(1 - rng.next()) * intervalMs : intervalMs)
  // The arrival times of requests index+1, index+2, …: needed to count the backlog without a queue.
  const arrivalsUntil = (t: number): number => {
    if (plan.arrivals === 'constant') return Math.floor((t - startMs) / intervalMs) + 1
    // For Poisson, the expected count is the honest figure: the schedule ahead is not drawn yet.
    return index + 1 + Math.max(0, Math.floor((t - intended) / intervalMs))
  }

  return {
    async nextStart() {
      for (;;) {
        const wait = intended - performance.now()
        if (wait <= 0) return intended
        if (wait > SLEEP_ABOVE_MS) await sleep(wait - SPIN_MARGIN_MS)
        else {
          while (performance.now() < intended) {
            /* spin: a timer would wake up too late for sub-millisecond gaps */
          }
          return intended
        }
      }
    },
    peek: () => intended,
    completed(endMs, serviceNs) {
      completedCount++
      lastEndMs = endMs
      service.recordValue(Math.max(1, Math.round(serviceNs)))
      const queued = Math.max(0, arrivalsUntil(endMs) - completedCount)
      if (queued > maxBacklog) maxBacklog = queued
      const t = endMs - startMs
      if (t - lastBacklogAt >= backlogEveryMs) {
        lastBacklogAt = t
        backlog.push({ tMs: t, queued })
        if (backlog.length >= MAX_BACKLOG_POINTS) {
          // Halve the resolution: keep every other point and sample half as often from now on.
          const kept = backlog.filter((_, i) => i % 2 === 0)
          backlog.length = 0
          backlog.push(...kept)
          backlogEveryMs *= 2
        }
      }
      index++
      intended += nextGap()
    },
    finish(windowEndMs) {
      const windowMs = Math.max(1e-9, windowEndMs - startMs)
      const servedMs = Math.max(windowMs, lastEndMs - startMs)
      // Requests whose intended start fell in the window: the completed ones plus those scheduled before its end.
      let arrived = completedCount
      if (intended < windowEndMs) arrived += plan.arrivals === 'constant' ? Math.floor((windowEndMs - intended) / intervalMs) + 1 : 1 + Math.floor((windowEndMs - intended) / intervalMs)
      const backlogAtEnd = arrived - completedCount
      const max = service.maxValue
      const at = (p: number): number => Math.min(max, service.getValueAtPercentile(p))
      const serviceNs = completedCount > 0 ? { mean: service.mean, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max } : { mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }
      service.destroy()
      return {
        arrivals: plan.arrivals,
        offeredOpsPerSec: plan.opsPerSec,
        opsPerRequest: plan.opsPerRequest,
        achievedOpsPerSec: (completedCount * plan.opsPerRequest) / (servedMs / 1000),
        arrived,
        completed: completedCount,
        backlogAtEnd,
        maxBacklog: Math.max(maxBacklog, backlogAtEnd),
        keptUp: backlogAtEnd <= Math.max(1, 0.05 * arrived),
        serviceNs,
        backlog: [...backlog, { tMs: windowMs, queued: backlogAtEnd }],
      }
    },
  }
}
