import { describe, expect, it } from 'vitest'
import { compareByTarget, estimateOverProcesses, relativeThroughput, studentTQuantile975, TargetComparisonError } from '../../../../core/compare/by-target.js'
import { formatTargetComparisonHtml, formatTargetComparisonMarkdown, formatTargetComparisonText } from '../../../../core/export/target-table.js'
import { createStatsRng } from '../../../../core/stats/rng.js'
import { makeRun, testEnvironment } from '../../../helpers/make-run.js'
import { runWithProcesses } from '../../../helpers/make-processes.js'

/** Box–Muller normal deviates from the seeded stats RNG. */
function normals(seed: number): () => number {
  const rng = createStatsRng(seed)
  return () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())
}

function onTarget(target: string, opsPerSec: number, node = '20.20.2') {
  const run = makeRun({ tags: [`target:${target}`, 'remote'], meanNs: 1e9 / opsPerSec })
  return { ...run, env: { ...testEnvironment, runtime: { ...testEnvironment.runtime, node } } }
}

describe('Student t quantile', () => {
  it('matches tables (two-sided 95%)', () => {
    expect(studentTQuantile975(1)).toBeCloseTo(12.706, 2)
    expect(studentTQuantile975(2)).toBeCloseTo(4.303, 3)
    expect(studentTQuantile975(10)).toBeCloseTo(2.228, 3)
    expect(studentTQuantile975(1000)).toBeCloseTo(1.962, 2)
  })
})

describe('between-process estimates', () => {
  it('gives no interval for one process and never a negative low end', () => {
    expect(estimateOverProcesses([5])).toEqual({ mean: 5, processes: 1 })
    expect(estimateOverProcesses([1, 9])?.low).toBe(0)
    expect(relativeThroughput([2], [1, 1.1])).toEqual({ ratio: 2 / 1.05 })
  })

  // Simulation: ±10% noise between processes (as on this machine), 3 processes a side.
  it('the relative-speed interval covers the true ratio about 95% of the time', () => {
    const z = normals(7)
    const trials = 4000
    let covered = 0
    let falseAlarms = 0
    for (let t = 0; t < trials; t++) {
      const ref = Array.from({ length: 3 }, () => 1000 * (1 + 0.1 * z()))
      const cand = Array.from({ length: 3 }, () => 1300 * (1 + 0.1 * z()))
      const same = Array.from({ length: 3 }, () => 1000 * (1 + 0.1 * z()))
      const r = relativeThroughput(cand, ref)!
      if (r.low! <= 1.3 && 1.3 <= r.high!) covered++
      const aa = relativeThroughput(same, ref)!
      if (aa.low! > 1 || aa.high! < 1) falseAlarms++
    }
    expect(covered / trials).toBeGreaterThan(0.93)
    expect(covered / trials).toBeLessThan(0.975)
    // An A/A comparison claims a difference about 5% of the time, not more.
    expect(falseAlarms / trials).toBeLessThan(0.07)
  })

  it('the throughput interval over processes covers the mean about 95% of the time', () => {
    const z = normals(11)
    let covered = 0
    for (let t = 0; t < 4000; t++) {
      const e = estimateOverProcesses(Array.from({ length: 4 }, () => 5000 * (1 + 0.1 * z())))!
      if (e.low! <= 5000 && 5000 <= e.high!) covered++
    }
    expect(covered / 4000).toBeGreaterThan(0.93)
    expect(covered / 4000).toBeLessThan(0.97)
  })
})

describe('compareByTarget', () => {
  it('counts each process of a repeated run (run --on … --repeat 3), not the run', () => {
    const repeated = (target: string, ops: number[]) => runWithProcesses(ops, { tags: [`target:${target}`, 'remote'] })
    const c = compareByTarget([repeated('a', [1000, 1010, 990]), repeated('b', [2000, 2020, 1980])])
    const [a, b] = c.cases[0]!.cells
    expect([a!.processes, b!.processes]).toEqual([3, 3])
    expect(a!.opsPerSec?.mean).toBeCloseTo(1000, 6)
    expect(a!.opsPerSec?.low).toBeLessThan(1000)
    expect(c.cases[0]!.relative.find((r) => r.target === 'b')!.ratio).toBeCloseTo(2, 2)
  })

  const runs = [onTarget('a', 1000), onTarget('a', 1100), onTarget('b', 2000, '22.23.5'), onTarget('b', 2100, '22.23.5')]

  it('puts one column per target with the reference first and the differing facts marked', () => {
    const c = compareByTarget(runs)
    expect(c.targets).toEqual(['a', 'b'])
    expect(c.reference).toBe('a')
    const rel = c.cases[0]!.relative.find((r) => r.target === 'b')!
    expect(rel.ratio).toBeCloseTo(2050 / 1050, 2)
    expect(rel.low).toBeLessThan(rel.ratio)
    const node = c.environment.find((f) => f.path === 'runtime.node')!
    expect(node).toEqual({ path: 'runtime.node', values: ['20.20.2', '22.23.5'], differs: true })
    expect(c.environment.find((f) => f.path === 'cpu.brand')?.differs).toBe(false)
    expect(formatTargetComparisonText(c)).toMatch(/runtime\.node\s+\*20\.20\.2\s+\*22\.23\.5/)
    expect(formatTargetComparisonMarkdown(c)).toContain('| runtime.node | **20.20.2** | **22.23.5** |')
    expect(formatTargetComparisonHtml(c)).toContain('<td class="differs"><mark>22.23.5</mark></td>')
  })

  it('takes another reference, lists failed runs with their reason, and refuses an unknown reference', () => {
    const failed = { ...onTarget('b', 1), status: 'failed' as const, error: 'b: the connection dropped mid-run', metrics: undefined }
    const c = compareByTarget([...runs, failed], { reference: 'b' })
    expect(c.cases[0]!.relative.find((r) => r.target === 'a')!.ratio).toBeCloseTo(1050 / 2050, 2)
    expect(c.cases[0]!.cells[1]!.failed).toEqual([{ runId: failed.id, status: 'failed', error: 'b: the connection dropped mid-run' }])
    expect(formatTargetComparisonText(c)).toContain('failed: b: the connection dropped mid-run')
    expect(() => compareByTarget(runs, { reference: 'c' })).toThrow(TargetComparisonError)
    expect(() => compareByTarget(runs, { reference: 'c' })).toThrow(/targets: a, b/)
  })

  it('groups runs without a target tag as local', () => {
    expect(compareByTarget([makeRun(), ...runs]).targets).toEqual(['local', 'a', 'b'])
  })
})
