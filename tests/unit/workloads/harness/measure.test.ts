import { describe, expect, it } from 'vitest'
import * as hdr from 'hdr-histogram-js'
import { measure } from '../../../../workloads/harness/measure.js'
import type { WorkloadInstance } from '../../../../workloads/types.js'

const hooks = { onProgress: () => undefined, shouldStop: () => false }

function busyInstance(opsPerIteration: number, spinNs: number): WorkloadInstance & { calls: number } {
  const inst = {
    calls: 0,
    opsPerIteration,
    iterate() {
      inst.calls++
      const end = process.hrtime.bigint() + BigInt(spinNs)
      while (process.hrtime.bigint() < end);
    },
    answer: () => 1,
  }
  return inst
}

describe('measure', () => {
  it('runs exactly the requested warm-up and measured iterations', async () => {
    const inst = busyInstance(1, 10_000)
    const r = await measure(inst, { warmupIterations: 3, iterations: 20, maxSamples: 100 }, hooks)
    expect(inst.calls).toBe(23)
    expect(r.metrics.iterations).toBe(20)
    expect(r.metrics.warmupIterations).toBe(3)
    expect(r.samplesNs).toHaveLength(20)
    expect(r.stoppedEarly).toBe(false)
  })

  it('reports per-operation latency for batched iterations and says they were batched', async () => {
    const inst = busyInstance(100, 200_000)
    const r = await measure(inst, { warmupIterations: 0, iterations: 10, maxSamples: 100 }, hooks)
    expect(r.metrics.batched).toBe(true)
    expect(r.metrics.operations).toBe(1000)
    // 200 µs per iteration of 100 ops ≈ 2 µs per op (timer slop allowed, never below the spin).
    expect(r.metrics.latencyNs.p50).toBeGreaterThanOrEqual(1990)
    expect(r.metrics.latencyNs.p50).toBeLessThan(20_000)
    expect(r.metrics.opsPerSec).toBeGreaterThan(0)
    expect(r.metrics.opsPerSec).toBeLessThan(1e9 / 1990)
  })

  it('encodes a histogram that decodes to the same count and percentiles', async () => {
    const r = await measure(busyInstance(1, 5000), { warmupIterations: 0, iterations: 50, maxSamples: 100 }, hooks)
    const h = hdr.decodeFromCompressedBase64(r.histogram)
    expect(h.totalCount).toBe(50)
    // Decoding keeps bucket precision (3 significant digits), not exact values.
    expect(Math.abs(h.getValueAtPercentile(99) - r.metrics.latencyNs.p99) / r.metrics.latencyNs.p99).toBeLessThan(0.002)
    expect(r.metrics.latencyNs.min).toBeLessThanOrEqual(r.metrics.latencyNs.p50)
    expect(r.metrics.latencyNs.p50).toBeLessThanOrEqual(r.metrics.latencyNs.p99)
    expect(r.metrics.latencyNs.p99).toBeLessThanOrEqual(r.metrics.latencyNs.max)
  })

  it('keeps raw samples bounded by a reservoir', async () => {
    const r = await measure(busyInstance(1, 1000), { warmupIterations: 0, iterations: 500, maxSamples: 50 }, hooks)
    expect(r.samplesNs).toHaveLength(50)
    expect(r.metrics.iterations).toBe(500)
  })

  it('measures for a duration when no count is given', async () => {
    const t = performance.now()
    const r = await measure(busyInstance(1, 100_000), { warmupMs: 50, durationMs: 300, maxSamples: 10_000 }, hooks)
    const elapsed = performance.now() - t
    expect(r.metrics.measuredMs).toBeGreaterThanOrEqual(300)
    expect(elapsed).toBeGreaterThanOrEqual(350)
    expect(r.metrics.iterations).toBeGreaterThan(100)
  })

  it('stops at the next iteration boundary when asked, and says so', async () => {
    let calls = 0
    const r = await measure(busyInstance(1, 1000), { warmupIterations: 0, iterations: 1_000_000, maxSamples: 100 }, { onProgress: () => undefined, shouldStop: () => ++calls > 30 })
    expect(r.stoppedEarly).toBe(true)
    expect(r.metrics.iterations).toBeLessThan(1_000_000)
  })

  it('awaits asynchronous iterations', async () => {
    let inFlight = 0
    let maxInFlight = 0
    const inst: WorkloadInstance = {
      opsPerIteration: 1,
      async iterate() {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await new Promise((r) => setTimeout(r, 2))
        inFlight--
      },
      answer: () => 0,
    }
    const r = await measure(inst, { warmupIterations: 1, iterations: 5, maxSamples: 10 }, hooks)
    expect(maxInFlight).toBe(1)
    // libuv caches loop time, so a 2 ms timer may fire after ~1 ms of hrtime; it still proves the await.
    expect(r.metrics.latencyNs.min).toBeGreaterThanOrEqual(900_000)
  })

  it('counts GC and reports memory and CPU', async () => {
    const inst: WorkloadInstance = {
      opsPerIteration: 1,
      iterate() {
        const garbage: number[][] = []
        for (let i = 0; i < 2000; i++) garbage.push(new Array(100).fill(i))
      },
      answer: () => 0,
    }
    const r = await measure(inst, { warmupIterations: 2, iterations: 200, maxSamples: 10 }, hooks)
    expect(r.metrics.gc.count).toBeGreaterThan(0)
    expect(r.metrics.gc.pauseMs).toBeGreaterThan(0)
    expect(r.metrics.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024)
    expect(r.metrics.peakHeapUsedBytes).toBeGreaterThan(1024 * 1024)
    expect(r.metrics.cpu.userMs).toBeGreaterThan(0)
  })

  it('reports progress while measuring', async () => {
    const seen: string[] = []
    await measure(busyInstance(1, 1_000_000), { warmupMs: 150, durationMs: 300, maxSamples: 100 }, { shouldStop: () => false, onProgress: (p) => seen.push(p.phase) })
    expect(seen).toContain('warmup')
    expect(seen).toContain('measure')
  })
})
