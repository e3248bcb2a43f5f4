/**
 * Soak sampling: at iteration boundaries, every `everyMs`, a forced full GC and then the live heap and
 * RSS, so the series shows what survives collection (a leak) rather than garbage not yet collected.
 * The growth and its slope are computed by core/assert/growth.ts.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import { computeGrowth } from '../../core/assert/growth.js'
import type { SoakRecord } from '../../core/model/load.js'

/** Fewer GC-sampled points than this and the leak figure is flagged unreliable. */
export const MIN_RELIABLE_GC_CYCLES = 4

/**
 * The engine's gc(): the global one under --expose-gc, else enabled at run time (V8 accepts
 * --expose-gc late and exposes gc() to contexts created afterwards, which is how tools like memlab
 * get it without a launch flag).
 */
export function getForcedGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc
  if (typeof g === 'function') return g
  v8.setFlagsFromString('--expose-gc')
  const fromContext = vm.runInNewContext('gc') as unknown
  if (typeof fromContext !== 'function') throw new Error('cannot force a GC in this runtime')
  return fromContext as () => void
}

export interface SoakSampler {
  /** Samples when due; returns true when it did (the caller keeps GC time out of its timings). */
  maybeSample(nowMs: number): boolean
  /** Takes one sample now. */
  sample(nowMs: number): void
  finish(durationMs: number, majorGcs: number): SoakRecord
}

/** The sampling interval for a soak: about 25 samples, between 250 ms and 5 s apart. */
export function soakSampleInterval(durationMs: number): number {
  return Math.min(5000, Math.max(250, durationMs / 24))
}

export function createSoakSampler(startMs: number, everyMs: number): SoakSampler {
  const gc = getForcedGc()
  const samples: SoakRecord['samples'] = []
  let next = startMs
  const take = (nowMs: number): void => {
    gc()
    samples.push({ tMs: nowMs - startMs, heapBytes: v8.getHeapStatistics().used_heap_size, rssBytes: process.memoryUsage.rss() })
    next = nowMs + everyMs
  }
  return {
    maybeSample(nowMs) {
      if (nowMs < next) return false
      take(nowMs)
      return true
    },
    sample: (nowMs) => take(nowMs),
    finish(durationMs, majorGcs) {
      const heapGrowth = computeGrowth(samples.map((s) => ({ tMs: s.tMs, value: s.heapBytes })))
      const rssGrowth = computeGrowth(samples.map((s) => ({ tMs: s.tMs, value: s.rssBytes })))
      return {
        durationMs,
        samples,
        ...(heapGrowth ? { heapGrowth } : {}),
        ...(rssGrowth ? { rssGrowth } : {}),
        gcCycles: Math.max(majorGcs, samples.length),
        reliable: samples.length >= MIN_RELIABLE_GC_CYCLES,
      }
    },
  }
}
