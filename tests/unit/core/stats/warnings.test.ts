import { describe, expect, it } from 'vitest'
import { runWarningSchema } from '../../../../core/model/run.js'
import {
  groupWarnings,
  storedRunWarnings,
  collectComparisonWarnings,
  collectRunWarnings,
  describeWarning,
  toWarningRecord,
  warningSeverity,
  type RunWarning,
  type RunWarningKind,
} from '../../../../core/stats/warnings.js'
import { makeRun, testEnvironment } from '../../../helpers/make-run.js'

/** One example per kind; the Record type makes the table fail to compile when a kind is added. */
const examples: Record<RunWarningKind, { warning: RunWarning; says: RegExp; severity: 'info' | 'warning' | 'error' }> = {
  'too-few-samples': { warning: { kind: 'too-few-samples', runId: 'r1', iterations: 4, minimum: 10 }, says: /^Run r1: only 4 measured iterations \(fewer than 10\)/, severity: 'warning' },
  'high-variance': { warning: { kind: 'high-variance', cv: 0.234, threshold: 0.1 }, says: /coefficient of variation is 23\.4% \(above 10%\)/, severity: 'warning' },
  outliers: { warning: { kind: 'outliers', low: 1, high: 3, iterations: 500 }, says: /4 statistical outliers in 500 iterations \(1 low, 3 high/, severity: 'warning' },
  'high-load': { warning: { kind: 'high-load', loadAvg1: 3.5, cores: 2, threshold: 0.5 }, says: /load average 3\.50 on 2 cores/, severity: 'warning' },
  'on-battery': { warning: { kind: 'on-battery', percent: 41.6 }, says: /on battery power \(42%\)/, severity: 'warning' },
  'profiler-overhead': {
    warning: { kind: 'profiler-overhead', overheadPct: 12.34, thresholdPct: 5, ciLowPct: 8.1, ciHighPct: 16.5, processes: 5 },
    says: /slowed the workload by 12\.3% \(95% CI 8\.1% … 16\.5% over 5 process pairs, above 5%\)/,
    severity: 'warning',
  },
  'single-process': { warning: { kind: 'single-process', runId: 'r5', floor: 0.2 }, says: /^Run r5: one process per side.*±20% single-process noise floor are inconclusive.*--repeat/, severity: 'warning' },
  'mixed-processes': { warning: { kind: 'mixed-processes', baselineProcesses: 5, candidateProcesses: 1 }, says: /baseline has 5 processes and the candidate 1/, severity: 'warning' },
  'separate-sessions': { warning: { kind: 'separate-sessions', baseline: 'main' }, says: /^baseline main and these runs were measured in separate sessions.*--append/, severity: 'info' },
  'unresolved-frames': { warning: { kind: 'unresolved-frames', share: 0.72, threshold: 0.5 }, says: /72% of profile samples fall in unresolved frames/, severity: 'warning' },
  'batched-timing': { warning: { kind: 'batched-timing', opsPerIteration: 64 }, says: /timed in batches of 64/, severity: 'info' },
  'fast-execution': { warning: { kind: 'fast-execution', iterationNs: 312.4, thresholdNs: 1000 }, says: /iterations took 312 ns on average \(under 1000 ns\)/, severity: 'warning' },
  'run-not-ok': { warning: { kind: 'run-not-ok', runId: 'r2', status: 'timeout', error: 'killed after 60 s' }, says: /^Run r2: the run ended with status "timeout" \(killed after 60 s\)/, severity: 'warning' },
  'no-samples': { warning: { kind: 'no-samples', runId: 'r3' }, says: /has no latency samples or histogram/, severity: 'info' },
  'different-workloads': {
    warning: { kind: 'different-workloads', runs: [{ runId: 'a', value: 'orderbook' }, { runId: 'b', value: 'var' }] },
    says: /different workloads \(a: orderbook; b: var\).*--force/,
    severity: 'error',
  },
  'different-params': {
    warning: { kind: 'different-params', params: [{ name: 'levels', values: [{ runId: 'a', value: 500 }, { runId: 'b', value: null }] }] },
    says: /different parameters: levels \(a: 500, b: unset\)/,
    severity: 'warning',
  },
  'different-seeds': { warning: { kind: 'different-seeds', runs: [{ runId: 'a', value: 1 }, { runId: 'b', value: 2 }] }, says: /different data seeds \(a: 1; b: 2\)/, severity: 'warning' },
  'different-runtimes': {
    warning: { kind: 'different-runtimes', runs: [{ runId: 'a', value: '20.20.2' }, { runId: 'b', value: '22.11.0' }] },
    says: /different Node\.js versions \(a: 20\.20\.2; b: 22\.11\.0\)/,
    severity: 'warning',
  },
  'different-machines': { warning: { kind: 'different-machines', runs: [{ runId: 'a', value: 'X' }, { runId: 'b', value: 'Y' }] }, says: /different machines/, severity: 'warning' },
  recorded: { warning: { kind: 'recorded', runId: 'r4', recordedKind: 'stopped-early', message: 'stopped by the user' }, says: /^Run r4: stopped by the user$/, severity: 'info' },
}

describe('describeWarning', () => {
  it.each(Object.entries(examples))('describes %s', (_kind, { warning, says, severity }) => {
    expect(describeWarning(warning)).toMatch(says)
    expect(warningSeverity(warning)).toBe(severity)
  })

  it('gives records that run.json accepts', () => {
    for (const { warning } of Object.values(examples)) {
      const record = toWarningRecord(warning)
      expect(runWarningSchema.parse(record)).toEqual(record)
      expect(record.kind).toBe(warning.kind)
      expect(record.message).toBe(describeWarning(warning))
    }
  })
})

describe('collectRunWarnings', () => {
  it('finds nothing to say about a clean run', () => {
    expect(collectRunWarnings(makeRun({ meanNs: 5000 }))).toEqual([])
  })

  it('reads each condition from the run data', () => {
    const base = makeRun()
    const metrics = base.metrics!
    const run = makeRun({
      status: 'ok',
      env: { ...testEnvironment, loadAvg: [1.6, 1, 1], power: { hasBattery: true, onBattery: true, percent: 55 } },
      metrics: { ...metrics, iterations: 5, batched: true, opsPerIteration: 16, latencyNs: { ...metrics.latencyNs, mean: 40 }, outliers: { low: 0, high: 2 } },
      samplesNs: [40, 41, 39, 80, 40],
      profilerOverhead: { timingOpsPerSec: 100, profiledOpsPerSec: 80, overheadPct: 20, ciLowPct: 12, ciHighPct: 28, processes: 5 },
      warnings: [
        { kind: 'too-few-samples', message: 'old text, recomputed' },
        { kind: 'stopped-early', message: 'stopped by the user' },
      ],
    })
    const kinds = collectRunWarnings(run, { unresolvedShare: 0.8 }).map((w) => w.kind)
    expect(kinds.sort()).toEqual(
      ['batched-timing', 'fast-execution', 'high-load', 'high-variance', 'on-battery', 'outliers', 'profiler-overhead', 'recorded', 'too-few-samples', 'unresolved-frames'].sort(),
    )
  })

  it('says a recorded warning once, without a doubled "Run <id>:", also for runs that stored it twice', () => {
    const run = makeRun({ meanNs: 5000 })
    const text = 'Heap snapshots on Node 20.20.2 are much slower than on Node 22+'
    run.warnings = [
      { kind: 'slow-heap-snapshots', message: text },
      { kind: 'recorded', message: `Run ${run.id}: ${text}` },
    ]
    const recorded = collectRunWarnings(run).filter((w) => w.kind === 'recorded')
    expect(recorded).toHaveLength(1)
    expect(describeWarning(recorded[0]!)).toBe(`Run ${run.id}: ${text}`)
  })

  it('stays quiet just under each threshold', () => {
    const run = makeRun({ meanNs: 5000, env: { ...testEnvironment, loadAvg: [1.0, 1, 1] }, profilerOverhead: { timingOpsPerSec: 100, profiledOpsPerSec: 95, overheadPct: 5 } })
    expect(collectRunWarnings(run, { unresolvedShare: 0.5 })).toEqual([])
  })

  it('claims no profiler overhead from one timing and one profiled process within the noise floor', () => {
    // The example: 16.8% from one pair of processes is noise on this machine (six pairs gave 0.86–1.11).
    const single = makeRun({ meanNs: 5000, profilerOverhead: { timingOpsPerSec: 100, profiledOpsPerSec: 83.2, overheadPct: 16.8 } })
    expect(collectRunWarnings(single).map((w) => w.kind)).not.toContain('profiler-overhead')
    // With several process pairs it is judged on its interval: above 5% only when the whole interval is.
    const straddles = makeRun({ meanNs: 5000, profilerOverhead: { timingOpsPerSec: 100, profiledOpsPerSec: 90, overheadPct: 10, ciLowPct: -2, ciHighPct: 21, processes: 3 } })
    expect(collectRunWarnings(straddles).map((w) => w.kind)).not.toContain('profiler-overhead')
    const clear = makeRun({ meanNs: 5000, profilerOverhead: { timingOpsPerSec: 100, profiledOpsPerSec: 90, overheadPct: 10, ciLowPct: 7, ciHighPct: 13, processes: 6 } })
    expect(collectRunWarnings(clear).find((w) => w.kind === 'profiler-overhead')).toMatchObject({ ciLowPct: 7, ciHighPct: 13, processes: 6 })
  })

  it('reports failed runs and runs without samples', () => {
    const failed = makeRun({ meanNs: 5000, status: 'failed', error: 'exit 1' })
    expect(collectRunWarnings(failed)[0]).toEqual({ kind: 'run-not-ok', runId: failed.id, status: 'failed', error: 'exit 1' })
    const bare = makeRun({ meanNs: 5000, samplesNs: undefined })
    expect(collectRunWarnings(bare).map((w) => w.kind)).toEqual(['no-samples'])
    expect(collectRunWarnings(bare, { hasSamples: true })).toEqual([])
  })
})

describe('collectComparisonWarnings', () => {
  it('says nothing for runs of one workload, seed, runtime and machine', () => {
    const a = makeRun()
    const b = makeRun({ workload: { ...a.workload, variant: 'sorted' } })
    expect(collectComparisonWarnings([a, b])).toEqual([])
  })

  it('flags different workloads as an error and the rest as warnings', () => {
    const a = makeRun()
    const b = makeRun({
      workload: { id: 'var', variant: 'naive', params: { levels: 600, paths: 10 }, seed: 7 },
      runtime: { ...a.runtime, node: '22.11.0' },
      env: { ...testEnvironment, cpu: { ...testEnvironment.cpu, brand: 'Apple M3' } },
    })
    const warnings = collectComparisonWarnings([a, b])
    expect(warnings.map((w) => [w.kind, warningSeverity(w)])).toEqual([
      ['different-workloads', 'error'],
      ['different-params', 'warning'],
      ['different-seeds', 'warning'],
      ['different-runtimes', 'warning'],
      ['different-machines', 'warning'],
    ])
    expect(warnings[1]).toEqual({
      kind: 'different-params',
      params: [
        { name: 'levels', values: [{ runId: a.id, value: 500 }, { runId: b.id, value: 600 }] },
        { name: 'paths', values: [{ runId: a.id, value: null }, { runId: b.id, value: 10 }] },
      ],
    })
  })
})

describe('storedRunWarnings and groupWarnings', () => {
  it("drops the run's own id from its warnings, says each text once and keeps other runs' ids", () => {
    const id = '20261123T081608292Z-orderbook-naive-4eb26c'
    const items = storedRunWarnings({
      id,
      warnings: [
        { kind: 'high-variance', message: `Run ${id}: high variance: the coefficient of variation is 137%.` },
        { kind: 'slow-heap-snapshots', message: 'Heap snapshots are slow' },
        { kind: 'recorded', message: `Run ${id}: Heap snapshots are slow` },
        { kind: 'recorded', message: 'Run other: x' },
      ],
    })
    expect(items.map((i) => i.text)).toEqual(['High variance: the coefficient of variation is 137%.', 'Heap snapshots are slow', 'Run other: x'])
  })

  it('groups texts of one kind, drops repeats and puts errors first', () => {
    const groups = groupWarnings([
      { kind: 'high-variance', text: 'a' },
      { kind: 'different-workloads', text: 'b', severity: 'error' },
      { kind: 'high-variance', text: 'c' },
      { kind: 'high-variance', text: 'a' },
    ])
    expect(groups).toEqual([
      { kind: 'different-workloads', severity: 'error', texts: ['b'] },
      { kind: 'high-variance', severity: 'warning', texts: ['a', 'c'] },
    ])
  })
})
