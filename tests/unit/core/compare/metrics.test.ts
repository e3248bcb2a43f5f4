import { describe, expect, it } from 'vitest'
import {
  compareMetrics,
  METRIC_NAMES,
  minSamplesFor,
  verdictFromInterval,
  verdictFromRatio,
  type MetricComparison,
} from '../../../../core/compare/metrics.js'
import type { RunRecord } from '../../../../core/model/run.js'
import { summarizeSamples, toLatencyNs } from '../../../../core/stats/summarize.js'
import { makeRun } from '../../../helpers/make-run.js'
import { normalSamples } from '../stats/sample-data.js'

/** A run whose metrics are computed from its samples, as the harness would record them. */
function runFromSamples(samples: number[], extra: Partial<RunRecord> = {}): RunRecord {
  const base = makeRun()
  const s = summarizeSamples(samples)
  return makeRun({
    samplesNs: samples,
    metrics: {
      ...base.metrics!,
      iterations: samples.length,
      operations: samples.length,
      opsPerSec: 1e9 / s.mean,
      latencyNs: toLatencyNs(s),
    },
    ...extra,
  })
}

const byName = (metrics: MetricComparison[]) => Object.fromEntries(metrics.map((m) => [m.name, m]))

describe('verdictFromInterval (Criterion-style noise band)', () => {
  it.each([
    // [ciLow, ciHigh, better, verdict]
    [0.99, 1.01, 'lower', 'no-change'],
    [1.01, 1.05, 'lower', 'no-change'], // overlaps the ±2% band
    [1.03, 1.05, 'lower', 'regressed'],
    [0.9, 0.95, 'lower', 'improved'],
    [1.03, 1.05, 'higher', 'improved'],
    [0.9, 0.95, 'higher', 'regressed'],
    [0.5, 1.5, 'higher', 'no-change'],
    [Number.NaN, 1, 'higher', 'unknown'],
  ] as const)('[%s, %s] with %s better → %s', (lo, hi, better, verdict) => {
    expect(verdictFromInterval(lo, hi, better, 0.02)).toBe(verdict)
  })

  it('judges single ratios by the band', () => {
    expect(verdictFromRatio(1.05, 'lower', 0.1)).toBe('no-change')
    expect(verdictFromRatio(1.15, 'lower', 0.1)).toBe('regressed')
    expect(verdictFromRatio(null, 'lower', 0.1)).toBe('unknown')
  })
})

describe('minSamplesFor', () => {
  it.each([
    ['mean', 10],
    ['median', 10],
    ['p90', 50],
    ['p95', 100],
    ['p99', 500],
    ['p999', 5000],
  ] as const)('%s needs %i samples', (statistic, n) => {
    expect(minSamplesFor(statistic)).toBe(n)
  })
})

describe('compareMetrics', () => {
  const baseline = runFromSamples(normalSamples(1000, 1000, 0.05, 1))

  it('finds no change between identical samples', () => {
    const m = byName(compareMetrics(baseline, runFromSamples([...baseline.samplesNs!])))
    for (const name of ['opsPerSec', 'mean', 'p50', 'p90', 'p95', 'p99'] as const) {
      expect(m[name]).toMatchObject({ ratio: 1, verdict: 'no-change', basis: 'bootstrap' })
      expect(m[name]!.ciLow!).toBeLessThanOrEqual(1)
      expect(m[name]!.ciHigh!).toBeGreaterThanOrEqual(1)
    }
    // p99.9 needs 5,000 samples: judged by threshold and says so.
    expect(m.p999).toMatchObject({ verdict: 'no-change', basis: 'threshold', ciLow: null })
    expect(m.p999!.note).toMatch(/too few samples for an interval \(1000; p99\.9 latency needs 5000\)/)
    for (const name of ['peakRssBytes', 'gcPauseMs', 'cpuUserMs'] as const) {
      expect(m[name]).toMatchObject({ ratio: 1, verdict: 'no-change', basis: 'threshold', ciLow: null, ciHigh: null })
      expect(m[name]!.note).toMatch(/one value per run, no confidence interval/)
    }
  })

  it('finds a planted 20% slowdown: latency regressed, throughput regressed, intervals exclude 1', () => {
    const slower = runFromSamples(normalSamples(1000, 1200, 0.05, 2))
    const m = byName(compareMetrics(baseline, slower))
    for (const name of ['mean', 'p50', 'p90', 'p95', 'p99'] as const) {
      expect(m[name]!.verdict, name).toBe('regressed')
      expect(m[name]!.ciLow!, name).toBeGreaterThan(1)
      expect(m[name]!.ratio!, name).toBeCloseTo(1.2, 1)
    }
    const ops = m.opsPerSec!
    expect(ops.verdict).toBe('regressed')
    expect(ops.ciHigh!).toBeLessThan(1)
    // Throughput's interval is the inverted mean-latency interval.
    expect(ops.ciLow!).toBeCloseTo(1 / m.mean!.ciHigh!, 12)
    expect(ops.ciHigh!).toBeCloseTo(1 / m.mean!.ciLow!, 12)
    expect(ops.ratio!).toBeCloseTo(1 / 1.2, 2)
    expect(ops.delta!).toBeCloseTo(ops.candidate! - ops.baseline!, 6)
  })

  it('calls a 1% shift no change within the 2% noise band, and a change with a 0.1% band', () => {
    const slightly = runFromSamples(normalSamples(1000, 1010, 0.05, 3))
    expect(byName(compareMetrics(baseline, slightly)).mean!.verdict).toBe('no-change')
    const big = runFromSamples(normalSamples(20_000, 1000, 0.01, 4))
    const bigShift = runFromSamples(normalSamples(20_000, 1010, 0.01, 5))
    expect(byName(compareMetrics(big, bigShift, { noise: 0.001 })).mean!.verdict).toBe('regressed')
  })

  it('reports a planted 20% speed-up as improved', () => {
    const faster = runFromSamples(normalSamples(1000, 800, 0.05, 6))
    const m = byName(compareMetrics(baseline, faster))
    expect(m.opsPerSec!.verdict).toBe('improved')
    expect(m.p95!.verdict).toBe('improved')
  })

  it('judges single values against the wider band, per operation when the work differs', () => {
    const b = runFromSamples(normalSamples(200, 1000, 0.05, 7))
    const bm = b.metrics!
    // Twice the operations (a duration-bound run of a faster variant) and 1.5x the GC pause and CPU:
    // per operation that is 25% less, so improved; peak RSS +5% stays within ±10%.
    const c = makeRun({
      samplesNs: b.samplesNs,
      metrics: { ...bm, operations: bm.operations * 2, gc: { ...bm.gc, pauseMs: bm.gc.pauseMs * 1.5 }, cpu: { ...bm.cpu, userMs: bm.cpu.userMs * 1.5 }, peakRssBytes: bm.peakRssBytes * 1.05 },
    })
    const m = byName(compareMetrics(b, c))
    expect(m.gcPauseMs).toMatchObject({ ratio: 1.5, verdict: 'improved', basis: 'threshold' })
    expect(m.gcPauseMs!.note).toMatch(/judged per operation .* ratio per operation 0\.750/)
    expect(m.cpuUserMs!.verdict).toBe('improved')
    expect(m.peakRssBytes).toMatchObject({ verdict: 'no-change' })
    expect(m.peakRssBytes!.ratio!).toBeCloseTo(1.05, 10)
  })

  it('falls back to thresholds without samples, and to unknown without values or with a zero baseline', () => {
    const noSamples = makeRun({ samplesNs: undefined })
    const m = byName(compareMetrics(noSamples, runFromSamples(normalSamples(100, 1300, 0.05, 8))))
    expect(m.mean).toMatchObject({ basis: 'threshold', verdict: 'regressed', ciLow: null })
    expect(m.mean!.note).toMatch(/no latency samples in the baseline/)

    const failed = makeRun({ status: 'failed', metrics: undefined })
    const f = byName(compareMetrics(baseline, failed))
    expect(f.opsPerSec).toMatchObject({ verdict: 'unknown', basis: 'none', candidate: null, ratio: null })

    const zeroGc = makeRun({ metrics: { ...baseline.metrics!, gc: { count: 0, pauseMs: 0, major: 0, minor: 0 } } })
    const z = byName(compareMetrics(zeroGc, baseline))
    expect(z.gcPauseMs).toMatchObject({ verdict: 'unknown', ratio: null })
    expect(byName(compareMetrics(zeroGc, zeroGc)).gcPauseMs).toMatchObject({ ratio: 1, verdict: 'no-change' })
  })

  it('compares the metrics asked for, in the standard order otherwise', () => {
    expect(compareMetrics(baseline, baseline).map((m) => m.name)).toEqual([...METRIC_NAMES])
    expect(compareMetrics(baseline, baseline, { metrics: ['p99'] }).map((m) => m.name)).toEqual(['p99'])
  })
})
