import { describe, expect, it } from 'vitest'
import {
  compareMetrics,
  METRIC_NAMES,
  pairingOf,
  verdictFromInterval,
  verdictFromSingleProcess,
  type MetricComparison,
} from '../../../../core/compare/metrics.js'
import { SINGLE_PROCESS_NOISE_FLOOR } from '../../../../core/stats/between-process.js'
import { createStatsRng, type StatsRng } from '../../../../core/stats/rng.js'
import { wilsonInterval } from '../../../../core/stats/significance.js'
import { asAbPair, runWithProcesses } from '../../../helpers/make-processes.js'
import { makeRun } from '../../../helpers/make-run.js'

const byName = (metrics: MetricComparison[]) => Object.fromEntries(metrics.map((m) => [m.name, m]))

describe('verdictFromInterval', () => {
  it.each([
    // [ciLow, ciHigh, better, verdict] with a ±2% band
    [0.99, 1.01, 'lower', 'no-change'],
    [1.01, 1.05, 'lower', 'inconclusive'], // straddles the band's edge
    [1.03, 1.05, 'lower', 'regressed'],
    [0.9, 0.95, 'lower', 'improved'],
    [1.03, 1.05, 'higher', 'improved'],
    [0.9, 0.95, 'higher', 'regressed'],
    [0.5, 1.5, 'higher', 'inconclusive'],
    [Number.NaN, 1, 'higher', 'inconclusive'],
  ] as const)('[%s, %s] with %s better → %s', (lo, hi, better, verdict) => {
    expect(verdictFromInterval(lo, hi, better, 0.02)).toBe(verdict)
  })

  it('judges one process per side against the noise floor only', () => {
    expect(verdictFromSingleProcess(1.15, 'lower', 0.2)).toBe('inconclusive')
    expect(verdictFromSingleProcess(1.25, 'lower', 0.2)).toBe('regressed')
    expect(verdictFromSingleProcess(0.8, 'higher', 0.2)).toBe('regressed')
    expect(verdictFromSingleProcess(null, 'lower', 0.2)).toBe('inconclusive')
  })
})

describe('compareMetrics between repeated runs', () => {
  const a = runWithProcesses([1000, 1030, 980, 1010, 995])

  it('says no change (or inconclusive) for A/A, and states the processes, the interval and the MDE', () => {
    const b = runWithProcesses([1005, 990, 1020, 1000, 985])
    const m = byName(compareMetrics(a, b, { noise: 0.05 }))
    expect(m.opsPerSec).toMatchObject({
      verdict: 'no-change',
      basis: 'processes',
      method: 'welch-t',
      processes: { baseline: 5, candidate: 5 },
    })
    expect(m.opsPerSec!.ciLow!).toBeLessThan(1)
    expect(m.opsPerSec!.ciHigh!).toBeGreaterThan(1)
    expect(m.opsPerSec!.mde!).toBeGreaterThan(0.05)
    expect(m.opsPerSec!.note).toMatch(/could detect changes ≥/)
  })

  it('finds a 20% slowdown: throughput regressed, latency regressed', () => {
    const slow = runWithProcesses([800, 830, 790, 810, 805])
    const m = byName(compareMetrics(a, slow))
    expect(m.opsPerSec!.verdict).toBe('regressed')
    expect(m.opsPerSec!.ciHigh!).toBeLessThan(0.9)
    expect(m.p99!.verdict).toBe('regressed')
    expect(m.mean!.ratio!).toBeCloseTo(1 / 0.81, 1)
  })

  it('gives no verdict to metrics that are 0 (or constant) on both sides', () => {
    const gc0 = { gc: { count: 0, pauseMs: 0, major: 0, minor: 0 } }
    const x = runWithProcesses([1000, 1010, 990], { metricsOver: gc0 })
    const y = runWithProcesses([1000, 1005, 995], { metricsOver: gc0 })
    const m = byName(compareMetrics(x, y))
    expect(m.gcPauseMs).toMatchObject({ verdict: 'none', basis: 'none', ratio: 1 })
    expect(m.gcPauseMs!.note).toMatch(/0 on both sides/)
    expect(m.peakRssBytes!.verdict).toBe('none')
  })

  it('labels totals of work per operation', () => {
    const m = byName(compareMetrics(a, a))
    expect(m.gcPauseMs).toMatchObject({ perOperation: true, label: 'GC pause per operation' })
    expect(m.cpuUserMs).toMatchObject({ perOperation: true, label: 'CPU user time per operation' })
    expect(m.opsPerSec!.perOperation).toBe(false)
    expect(m.gcPauseMs!.baseline).toBeCloseTo(a.metrics!.gc.pauseMs / a.metrics!.operations, 12)
  })

  it('uses a pooled interval, and says so, when one side has a single process', () => {
    const single = runWithProcesses([700])
    const m = byName(compareMetrics(a, single))
    expect(m.opsPerSec).toMatchObject({ method: 'pooled-t', verdict: 'regressed', processes: { baseline: 5, candidate: 1 } })
    expect(m.opsPerSec!.note).toMatch(/single process/)
  })

  it('compares the metrics asked for, in the standard order otherwise', () => {
    expect(compareMetrics(a, a).map((m) => m.name)).toEqual([...METRIC_NAMES])
    expect(compareMetrics(a, a, { metrics: ['p99'] }).map((m) => m.name)).toEqual(['p99'])
  })
})

describe('compareMetrics with one process per side (old runs)', () => {
  it('is inconclusive within the single-process noise floor, never overconfident', () => {
    const b = makeRun({ meanNs: 1000 })
    const c = makeRun({ meanNs: 1150 })
    const m = byName(compareMetrics(b, c))
    expect(m.mean).toMatchObject({
      verdict: 'inconclusive',
      basis: 'noise-floor',
      ciLow: null,
      ciHigh: null,
      mde: SINGLE_PROCESS_NOISE_FLOOR,
      processes: { baseline: 1, candidate: 1 },
    })
    expect(m.mean!.note).toMatch(/single-process noise floor measured on this machine/)
  })

  it('reports a change beyond the noise floor', () => {
    const m = byName(compareMetrics(makeRun({ meanNs: 1000 }), makeRun({ meanNs: 1600 })))
    expect(m.mean).toMatchObject({ verdict: 'regressed', basis: 'noise-floor' })
    expect(m.opsPerSec).toMatchObject({ verdict: 'regressed' })
  })

  it('gives no verdict without metrics', () => {
    const failed = makeRun({ status: 'failed', metrics: undefined })
    expect(byName(compareMetrics(makeRun(), failed)).opsPerSec).toMatchObject({ verdict: 'none', candidate: null, ratio: null })
  })
})

describe('compareMetrics on hotpath ab pairs', () => {
  it('recognizes the pairing of one session only', () => {
    const [a, b] = asAbPair(runWithProcesses([1000, 1000]), runWithProcesses([1000, 1000]), 'paired')
    expect(pairingOf(a, b)).toBe('paired')
    expect(pairingOf(b, a)).toBe('paired')
    expect(pairingOf(a, runWithProcesses([1000, 1000]))).toBe('independent')
  })

  it('paired mode: throughput rests on the per-process paired log-ratio; process-wide facts get no verdict', () => {
    // Aggregate throughputs swing ±20% (a loaded machine), but within every process B is 10% slower.
    const logs = [0.0953, 0.0949, 0.0958, 0.0951, 0.0955, 0.0952]
    const [a, b] = asAbPair(
      runWithProcesses([1000, 1300, 800, 1200, 900, 1100], { pairedLogRatios: logs }),
      runWithProcesses([909, 1182, 727, 1091, 818, 1000], { pairedLogRatios: logs }),
      'paired',
    )
    const m = byName(compareMetrics(a, b))
    expect(m.opsPerSec).toMatchObject({ verdict: 'regressed', method: 'paired-t' })
    expect(m.opsPerSec!.ciLow!).toBeGreaterThan(0.9)
    expect(m.opsPerSec!.ciHigh!).toBeLessThan(0.92)
    expect(m.opsPerSec!.ratio!).toBeCloseTo(1 / 1.1, 3)
    expect(m.opsPerSec!.note).toMatch(/median paired log-ratio/)
    expect(m.cpuUserMs!.verdict).toBe('none')
    expect(m.cpuUserMs!.note).toMatch(/both sides shared/)
    // Reversed (B as the baseline): the same evidence, the other way round.
    expect(byName(compareMetrics(b, a)).opsPerSec).toMatchObject({ verdict: 'improved' })
  })

  it('ABBA mode pairs the processes by round, so drift shared by a round cancels', () => {
    const drift = [1000, 1300, 800, 1200, 900, 1100]
    const [a, b] = asAbPair(runWithProcesses(drift), runWithProcesses(drift.map((v) => v * 0.9)), 'abba')
    const m = byName(compareMetrics(a, b))
    expect(m.opsPerSec).toMatchObject({ verdict: 'regressed', method: 'signed-rank' })
    expect(m.opsPerSec!.ciLow!).toBeCloseTo(0.9, 6)
    // Unpaired, the same numbers say nothing.
    expect(byName(compareMetrics(runWithProcesses(drift), runWithProcesses(drift.map((v) => v * 0.9)))).opsPerSec!.verdict).toBe(
      'inconclusive',
    )
  })
})

describe('false alarms of compareMetrics in simulation (seeded, bounded)', () => {
  /** A standard normal draw (Box–Muller). */
  const gauss = (rng: StatsRng): number => Math.sqrt(-2 * Math.log(Math.max(1e-12, rng.next()))) * Math.cos(2 * Math.PI * rng.next())
  // Between-process noise of this machine: ±10% (log sigma 0.05).
  const level = (rng: StatsRng): number => 1000 * Math.exp(0.05 * gauss(rng))

  it('A/A over 5 + 5 independent processes: improved/regressed in under 5% of 1,000 comparisons', () => {
    const rng = createStatsRng(21)
    let alarms = 0
    const trials = 1000
    for (let t = 0; t < trials; t++) {
      const a = runWithProcesses(Array.from({ length: 5 }, () => level(rng)))
      const b = runWithProcesses(Array.from({ length: 5 }, () => level(rng)))
      const v = byName(compareMetrics(a, b, { metrics: ['opsPerSec'] })).opsPerSec!.verdict
      if (v === 'improved' || v === 'regressed') alarms++
    }
    expect(wilsonInterval(alarms, trials).high).toBeLessThan(0.05)
  })

  it('A/A with one process per side: the noise floor keeps false alarms under 5% at ±10% process noise', () => {
    const rng = createStatsRng(23)
    let alarms = 0
    const trials = 1000
    for (let t = 0; t < trials; t++) {
      const v = byName(compareMetrics(runWithProcesses([level(rng)]), runWithProcesses([level(rng)]), { metrics: ['opsPerSec'] })).opsPerSec!.verdict
      if (v === 'improved' || v === 'regressed') alarms++
    }
    expect(wilsonInterval(alarms, trials).high).toBeLessThan(0.05)
  })
})
