import { describe, expect, it } from 'vitest'
import {
  measuredApart,
  compareRuns,
  ComparisonRefusedError,
  describeGateReason,
  evaluateGate,
  functionGrowth,
  getMetric,
  type Comparison,
  type FunctionChange,
} from '../../../../core/compare/comparison.js'
import type { Verdict } from '../../../../core/compare/metrics.js'
import type { RunRecord } from '../../../../core/model/run.js'
import { summarizeSamples, toLatencyNs } from '../../../../core/stats/summarize.js'
import { asAbPair, runWithProcesses } from '../../../helpers/make-processes.js'
import { makeRun } from '../../../helpers/make-run.js'
import { normalSamples } from '../stats/sample-data.js'

function runAt(meanNs: number, seed: number, variant = 'naive'): RunRecord {
  const samples = normalSamples(500, meanNs, 0.03, seed)
  const s = summarizeSamples(samples)
  const base = makeRun({ meanNs })
  return makeRun({
    workload: { id: 'orderbook', variant, params: { levels: 500 }, seed: 42 },
    samplesNs: samples,
    metrics: { ...base.metrics!, iterations: 500, operations: 500, opsPerSec: 1e9 / s.mean, latencyNs: toLatencyNs(s) },
  })
}

describe('compareRuns', () => {
  const orderbook = (variant: string) => ({ workload: { id: 'orderbook', variant, params: { levels: 500 }, seed: 42 } })
  const baseline = runWithProcesses([200_000, 204_000, 197_000, 201_000, 199_000], orderbook('naive'))
  const same = runWithProcesses([201_000, 198_000, 203_000, 200_000, 199_500], orderbook('naive'))
  const slower = runWithProcesses([166_000, 169_000, 164_000, 168_000, 165_000], orderbook('sorted'))

  it('compares every candidate against runs[0], on the spread between processes', () => {
    const c = compareRuns([baseline, same, slower])
    expect(c.baseline).toBe(baseline.id)
    expect(c.runs.map((r) => r.id)).toEqual([baseline.id, same.id, slower.id])
    expect(c.candidates.map((x) => x.id)).toEqual([same.id, slower.id])
    expect(getMetric(c.candidates[0]!, 'opsPerSec')).toMatchObject({
      verdict: 'no-change',
      basis: 'processes',
      processes: { baseline: 5, candidate: 5 },
    })
    expect(getMetric(c.candidates[1]!, 'opsPerSec')!.verdict).toBe('regressed')
    expect(c.candidates[1]!.pairing).toBe('independent')
    expect(c.settings).toMatchObject({ headlineMetric: 'opsPerSec', noise: 0.02, singleProcessFloor: 0.2, interval: 'between-process-t' })
    expect(c.relativeSpeeds.find((r) => r.id === slower.id)!.ratio).toBeCloseTo(1.2, 1)
    expect(c.relativeSpeeds.find((r) => r.id === baseline.id)!.isReference).toBe(true)
    expect(c.environmentDiff.differences).toEqual([])
    expect(c.runs.map((r) => r.processes)).toEqual([5, 5, 5])
  })

  it('is plain data that survives structured cloning and JSON', () => {
    const c = compareRuns([baseline, slower])
    expect(structuredClone(c)).toEqual(c)
    expect(JSON.parse(JSON.stringify(c))).toEqual(c)
  })

  it('refuses different workloads unless forced', () => {
    const other = makeRun({ meanNs: 5000, workload: { id: 'var', variant: 'naive', params: { levels: 500 }, seed: 42 } })
    expect(() => compareRuns([baseline, other])).toThrow(ComparisonRefusedError)
    expect(() => compareRuns([baseline, other])).toThrow(/different workloads/)
    const forced = compareRuns([baseline, other], { force: true })
    expect(forced.warnings.map((w) => w.kind)).toContain('different-workloads')
  })

  it('handles a single run as a baseline without candidates', () => {
    const c = compareRuns([baseline])
    expect(c.candidates).toEqual([])
    expect(() => compareRuns([])).toThrow(RangeError)
  })

  it('warns when a side rests on one process, and says which', () => {
    const one = makeRun({ meanNs: 5000, ...orderbook('naive') })
    const single = compareRuns([one, makeRun({ meanNs: 5100, ...orderbook('naive') })])
    expect(single.candidates[0]!.warnings.map((w) => w.kind)).toContain('single-process')
    expect(getMetric(single.candidates[0]!, 'opsPerSec')).toMatchObject({ verdict: 'inconclusive', basis: 'noise-floor' })
    const mixed = compareRuns([baseline, one], { force: true })
    expect(mixed.candidates[0]!.warnings.find((w) => w.kind === 'mixed-processes')).toMatchObject({
      baselineProcesses: 5,
      candidateProcesses: 1,
    })
  })

  it('says when both sides have several processes but were measured in separate sessions', () => {
    const at = (run: RunRecord, from: string, to: string): RunRecord => ({ ...run, createdAt: from, finishedAt: to })
    const base = at(runWithProcesses([1e6, 1.01e6, 0.99e6]), '2026-12-04T10:00:00Z', '2026-12-04T10:00:05Z')
    const later = at(runWithProcesses([1e6, 1.02e6, 0.98e6]), '2026-12-04T10:03:00Z', '2026-12-04T10:03:05Z')
    const kinds = (a: RunRecord, b: RunRecord): string[] => compareRuns([a, b]).candidates[0]!.warnings.map((w) => w.kind)
    expect(kinds(base, later)).toContain('separate-sessions')
    expect(kinds(later, base)).toContain('separate-sessions')
    // Overlapping in time (rounds of the two sides alternated), or the two sides of one ab session: no warning.
    expect(kinds(base, at(later, '2026-12-04T10:00:02Z', '2026-12-04T10:00:09Z'))).not.toContain('separate-sessions')
    const [a, b] = asAbPair(base, later, 'abba')
    expect(kinds(a, b)).not.toContain('separate-sessions')
    // One process a side has the stronger single-process warning instead.
    expect(kinds(at(makeRun({ meanNs: 5000 }), '2026-12-04T10:00:00Z', '2026-12-04T10:00:01Z'), at(makeRun({ meanNs: 5000 }), '2026-12-04T11:00:00Z', '2026-12-04T11:00:01Z'))).toEqual(
      expect.not.arrayContaining(['separate-sessions']),
    )
  })

  it('measuredApart: one side ended before the other began; unknown times are not apart', () => {
    const r = (from: string, to?: string) => ({ createdAt: from, ...(to ? { finishedAt: to } : {}) })
    expect(measuredApart([r('2026-01-01T00:00:00Z', '2026-01-01T00:00:10Z')], [r('2026-01-01T00:00:11Z', '2026-01-01T00:00:20Z')])).toBe(true)
    expect(measuredApart([r('2026-01-01T00:00:00Z', '2026-01-01T00:00:10Z'), r('2026-01-01T00:00:20Z', '2026-01-01T00:00:30Z')], [r('2026-01-01T00:00:11Z', '2026-01-01T00:00:19Z')])).toBe(false)
    expect(measuredApart([r('not a date')], [r('2026-01-01T00:00:11Z')])).toBe(false)
    expect(measuredApart([], [r('2026-01-01T00:00:11Z')])).toBe(false)
  })
})

/** A comparison with one candidate whose given metric has this ratio and interval (and verdict, when given). */
function comparisonWith(
  ratio: number,
  ciLow: number | null,
  ciHigh: number | null,
  name: 'opsPerSec' | 'p99' = 'opsPerSec',
  verdict?: Verdict,
): Comparison {
  const c = compareRuns([runAt(5000, 1), runAt(5000, 2)])
  const candidate = c.candidates[0]!
  candidate.metrics = candidate.metrics.map((m) => (m.name === name ? { ...m, ratio, ciLow, ciHigh, ...(verdict ? { verdict } : {}) } : m))
  return c
}

describe('evaluateGate', () => {
  it.each([
    // ratio, ciLow, ciHigh, verdict (from that interval at the ±2% band), tripped: opsPerSec (higher is better), 10% allowed
    [0.8, 0.78, 0.82, 'regressed', true],
    [0.85, 0.8, 0.91, 'regressed', true], // significant, and the estimate is beyond -10%
    [0.89, 0.75, 1.05, 'inconclusive', false], // beyond -10% at the estimate, but not significant
    [0.95, 0.93, 0.97, 'regressed', false], // a real regression, smaller than allowed
    [0.99, 0.98, 1.0, 'no-change', false],
    [1.3, 1.2, 1.4, 'improved', false],
  ] as const)('opsPerSec ratio %s [%s, %s] %s → tripped %s', (ratio, lo, hi, verdict, tripped) => {
    const gate = evaluateGate(comparisonWith(ratio, lo, hi, 'opsPerSec', verdict), undefined, { maxRegression: 0.1 })
    expect(gate.tripped).toBe(tripped)
  })

  it('without an interval (one process per side) trips only beyond the noise floor, and never on no verdict', () => {
    expect(evaluateGate(comparisonWith(0.85, null, null, 'opsPerSec', 'inconclusive'), undefined, { maxRegression: 0.1 }).tripped).toBe(
      false,
    )
    expect(evaluateGate(comparisonWith(0.7, null, null, 'opsPerSec', 'regressed'), undefined, { maxRegression: 0.1 }).tripped).toBe(true)
    expect(evaluateGate(comparisonWith(0.7, null, null, 'opsPerSec', 'none'), undefined, { maxRegression: 0.1 }).tripped).toBe(false)
  })

  it('judges lower-is-better metrics on the other side', () => {
    expect(evaluateGate(comparisonWith(1.2, 1.15, 1.25, 'p99', 'regressed'), undefined, { metric: 'p99', maxRegression: 0.1 }).tripped).toBe(true)
    expect(evaluateGate(comparisonWith(1.08, 1.05, 1.11, 'p99', 'regressed'), undefined, { metric: 'p99', maxRegression: 0.1 }).tripped).toBe(false)
    expect(evaluateGate(comparisonWith(1.2, 0.95, 1.5, 'p99', 'inconclusive'), undefined, { metric: 'p99', maxRegression: 0.1 }).tripped).toBe(false)
    expect(evaluateGate(comparisonWith(0.5, 0.4, 0.6, 'p99', 'improved'), undefined, { metric: 'p99', maxRegression: 0.1 }).tripped).toBe(false)
  })

  it('explains a tripped metric gate', () => {
    const gate = evaluateGate(comparisonWith(0.8, 0.78, 0.82, 'opsPerSec', 'regressed'), undefined, { maxRegression: 0.1 })
    expect(gate.reasons).toHaveLength(1)
    expect(describeGateReason(gate.reasons[0]!)).toMatch(
      /: opsPerSec changed -20\.0% \(95% CI -22\.0% … -18\.0%\), beyond the allowed -10\.0%$/,
    )
  })

  const fn = (over: Partial<FunctionChange>): FunctionChange => ({
    name: 'walkBook',
    url: 'file:///app/workloads/orderbook/heap.js',
    line: 12,
    baselineSelfShare: 0.2,
    candidateSelfShare: 0.3,
    deltaSelfShare: 0.1,
    status: 'grown',
    ...over,
  })

  it.each([
    { name: 'grew 50% by share', f: fn({}), tripped: true },
    { name: 'grew 3% per op (under 5%)', f: fn({ baselineSelfMsPerOp: 1, candidateSelfMsPerOp: 1.03 }), tripped: false },
    { name: 'grew 10% per op', f: fn({ baselineSelfMsPerOp: 1, candidateSelfMsPerOp: 1.1 }), tripped: true },
    { name: 'grew but not significantly', f: fn({ significant: false, pValue: 0.4 }), tripped: false },
    { name: 'grew significantly', f: fn({ significant: true, pValue: 0.001 }), tripped: true },
    { name: 'tiny function (under 1% of samples)', f: fn({ baselineSelfShare: 0.001, candidateSelfShare: 0.005 }), tripped: false },
    {
      name: 'new function (reported, not failed)',
      f: fn({ status: 'new', baselineSelfShare: 0, candidateSelfShare: 0.05 }),
      tripped: false,
    },
    {
      name: 'new function, significant',
      f: fn({ status: 'new', baselineSelfShare: 0, candidateSelfShare: 0.05, significant: true, pValue: 0.001 }),
      tripped: true,
    },
    { name: 'shrunk', f: fn({ status: 'shrunk', candidateSelfShare: 0.1 }), tripped: false },
  ])('function gate: $name → tripped $tripped', ({ f, tripped }) => {
    const c = comparisonWith(1, 0.99, 1.01)
    const gate = evaluateGate(c, { [c.candidates[0]!.id]: [f] }, { maxFunctionGrowth: 0.05 })
    expect(gate.tripped).toBe(tripped)
  })

  it('explains a tripped function gate', () => {
    const c = comparisonWith(1, 0.99, 1.01)
    const gate = evaluateGate(
      c,
      { [c.candidates[0]!.id]: [fn({ baselineSelfMsPerOp: 0.002, candidateSelfMsPerOp: 0.003, significant: true, pValue: 0.0012 })] },
      { maxFunctionGrowth: 0.05 },
    )
    expect(describeGateReason(gate.reasons[0]!)).toMatch(
      /: function walkBook \(file:\/\/\/app\/workloads\/orderbook\/heap\.js:12\) self time per operation grew \+50\.0% \(allowed \+5\.0%, 30\.0% of samples, significant \(p = 0\.0012\)\)$/,
    )
  })

  it('measures growth per operation when known, else by share', () => {
    expect(functionGrowth(fn({}))).toBeCloseTo(0.5, 12)
    expect(functionGrowth(fn({ baselineSelfMsPerOp: 2, candidateSelfMsPerOp: 1 }))).toBe(-0.5)
    expect(functionGrowth(fn({ baselineSelfShare: 0, candidateSelfShare: 0.1 }))).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('evaluateGate on work-dependent totals', () => {
  it('judges GC pause per operation, and never trips on a metric that is 0 on both sides', () => {
    const gc = (pauseMs: number) => ({ metricsOver: { gc: { count: 10, pauseMs, major: 1, minor: 9 } } })
    const b = runWithProcesses([1000, 1010, 990, 1005], gc(50))
    const bOps = b.processes!.map((p) => p.metrics.operations)
    // 1.5x the total pause over 2x the operations: 25% less per operation, so no regression.
    const c = runWithProcesses([1000, 1010, 990, 1005], gc(75))
    c.processes = c.processes!.map((p, i) => ({
      ...p,
      metrics: { ...p.metrics, operations: bOps[i]! * 2, gc: { ...p.metrics.gc, pauseMs: 75 + i } },
    }))
    c.metrics = { ...c.metrics!, operations: c.metrics!.operations * 2 }
    const comparison = compareRuns([b, c])
    expect(getMetric(comparison.candidates[0]!, 'gcPauseMs')).toMatchObject({ perOperation: true, verdict: 'improved', basis: 'processes' })
    expect(evaluateGate(comparison, undefined, { metric: 'gcPauseMs', maxRegression: 0.1 }).tripped).toBe(false)
    const zero = runWithProcesses([1000, 1010], { metricsOver: { gc: { count: 0, pauseMs: 0, major: 0, minor: 0 } } })
    const z = compareRuns([zero, runWithProcesses([900, 905], { metricsOver: { gc: { count: 0, pauseMs: 0, major: 0, minor: 0 } } })])
    expect(getMetric(z.candidates[0]!, 'gcPauseMs')!.verdict).toBe('none')
    expect(evaluateGate(z, undefined, { metric: 'gcPauseMs', maxRegression: 0.01 }).tripped).toBe(false)
  })
})
