import { describe, expect, it } from 'vitest'
import {
  compareRuns,
  ComparisonRefusedError,
  describeGateReason,
  evaluateGate,
  functionGrowth,
  getMetric,
  type Comparison,
  type FunctionChange,
} from '../../../../core/compare/comparison.js'
import type { RunRecord } from '../../../../core/model/run.js'
import { summarizeSamples, toLatencyNs } from '../../../../core/stats/summarize.js'
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
  const baseline = runAt(5000, 1)
  const same = runAt(5000, 2, 'naive')
  const slower = runAt(6000, 3, 'sorted')

  it('compares every candidate against runs[0]', () => {
    const c = compareRuns([baseline, same, slower])
    expect(c.baseline).toBe(baseline.id)
    expect(c.runs.map((r) => r.id)).toEqual([baseline.id, same.id, slower.id])
    expect(c.candidates.map((x) => x.id)).toEqual([same.id, slower.id])
    expect(getMetric(c.candidates[0]!, 'opsPerSec')!.verdict).toBe('no-change')
    expect(getMetric(c.candidates[1]!, 'opsPerSec')!.verdict).toBe('regressed')
    expect(c.settings).toMatchObject({ headlineMetric: 'opsPerSec', noise: 0.02, singleValueNoise: 0.1, resamples: 2000, method: 'percentile' })
    expect(c.relativeSpeeds.find((r) => r.id === slower.id)!.ratio).toBeCloseTo(1.2, 1)
    expect(c.relativeSpeeds.find((r) => r.id === baseline.id)!.isReference).toBe(true)
    expect(c.environmentDiff.differences).toEqual([])
    expect(c.runs[0]!.sampleCount).toBe(500)
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

  it('uses the samples the caller supplies (e.g. decoded histograms)', () => {
    const bare = { ...slower, samplesNs: undefined }
    const without = compareRuns([baseline, bare])
    expect(getMetric(without.candidates[0]!, 'mean')!.basis).toBe('threshold')
    expect(without.candidates[0]!.warnings.map((w) => w.kind)).toContain('no-samples')
    const withSamples = compareRuns([baseline, bare], { samplesOf: (r) => (r.id === bare.id ? slower.samplesNs : r.samplesNs) })
    expect(getMetric(withSamples.candidates[0]!, 'mean')!.basis).toBe('bootstrap')
    expect(withSamples.candidates[0]!.warnings.map((w) => w.kind)).not.toContain('no-samples')
  })
})

/** A comparison with one candidate whose given metric has this ratio and interval. */
function comparisonWith(ratio: number, ciLow: number | null, ciHigh: number | null, name: 'opsPerSec' | 'p99' = 'opsPerSec'): Comparison {
  const c = compareRuns([runAt(5000, 1), runAt(5000, 2)])
  const candidate = c.candidates[0]!
  candidate.metrics = candidate.metrics.map((m) => (m.name === name ? { ...m, ratio, ciLow, ciHigh } : m))
  return c
}

describe('evaluateGate', () => {
  it.each([
    // ratio, ciLow, ciHigh, tripped: opsPerSec (higher is better), 10% allowed
    [0.8, 0.78, 0.82, true],
    [0.85, 0.8, 0.91, false], // the interval reaches past -10%: not sure enough
    [0.95, 0.93, 0.97, false], // a real but small regression
    [1.3, 1.2, 1.4, false],
    [0.85, null, null, true], // no interval: the point ratio decides
  ])('opsPerSec ratio %s [%s, %s] → tripped %s', (ratio, lo, hi, tripped) => {
    const gate = evaluateGate(comparisonWith(ratio, lo, hi), undefined, { maxRegression: 0.1 })
    expect(gate.tripped).toBe(tripped)
  })

  it('judges lower-is-better metrics on the other side', () => {
    expect(evaluateGate(comparisonWith(1.2, 1.15, 1.25, 'p99'), undefined, { metric: 'p99', maxRegression: 0.1 }).tripped).toBe(true)
    expect(evaluateGate(comparisonWith(1.2, 1.05, 1.3, 'p99'), undefined, { metric: 'p99', maxRegression: 0.1 }).tripped).toBe(false)
    expect(evaluateGate(comparisonWith(0.5, 0.4, 0.6, 'p99'), undefined, { metric: 'p99', maxRegression: 0.1 }).tripped).toBe(false)
  })

  it('explains a tripped metric gate', () => {
    const gate = evaluateGate(comparisonWith(0.8, 0.78, 0.82), undefined, { maxRegression: 0.1 })
    expect(gate.reasons).toHaveLength(1)
    expect(describeGateReason(gate.reasons[0]!)).toMatch(/: opsPerSec changed -20\.0% \(95% CI -22\.0% … -18\.0%\), beyond the allowed -10\.0%$/)
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
    { name: 'new function', f: fn({ status: 'new', baselineSelfShare: 0, candidateSelfShare: 0.05 }), tripped: true },
    { name: 'shrunk', f: fn({ status: 'shrunk', candidateSelfShare: 0.1 }), tripped: false },
  ])('function gate: $name → tripped $tripped', ({ f, tripped }) => {
    const c = comparisonWith(1, 0.99, 1.01)
    const gate = evaluateGate(c, { [c.candidates[0]!.id]: [f] }, { maxFunctionGrowth: 0.05 })
    expect(gate.tripped).toBe(tripped)
  })

  it('explains a tripped function gate', () => {
    const c = comparisonWith(1, 0.99, 1.01)
    const gate = evaluateGate(c, { [c.candidates[0]!.id]: [fn({ baselineSelfMsPerOp: 0.002, candidateSelfMsPerOp: 0.003, significant: true, pValue: 0.0012 })] }, { maxFunctionGrowth: 0.05 })
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
  it('judges GC pause per operation when the runs did different amounts of work', () => {
    const b = runAt(5000, 1)
    const bm = b.metrics!
    // 1.5x the total GC pause over 2x the operations: 25% less per operation, so no regression.
    const c = makeRun({ samplesNs: b.samplesNs, metrics: { ...bm, operations: bm.operations * 2, gc: { ...bm.gc, pauseMs: bm.gc.pauseMs * 1.5 } } })
    const comparison = compareRuns([b, c])
    expect(getMetric(comparison.candidates[0]!, 'gcPauseMs')).toMatchObject({ ratio: 1.5, perOperationRatio: 0.75, verdict: 'improved' })
    expect(evaluateGate(comparison, undefined, { metric: 'gcPauseMs', maxRegression: 0.1 }).tripped).toBe(false)
    // 3x the pause over 2x the operations: +50% per operation.
    const worse = makeRun({ samplesNs: b.samplesNs, metrics: { ...bm, operations: bm.operations * 2, gc: { ...bm.gc, pauseMs: bm.gc.pauseMs * 3 } } })
    const gate = evaluateGate(compareRuns([b, worse]), undefined, { metric: 'gcPauseMs', maxRegression: 0.1 })
    expect(gate.tripped).toBe(true)
    expect(describeGateReason(gate.reasons[0]!)).toMatch(/gcPauseMs per operation changed \+50\.0% \(no confidence interval \(point ratio\)\), beyond the allowed \+10\.0%$/)
  })
})
