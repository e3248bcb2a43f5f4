/**
 * Rules between parameters in the workload descriptor (checkParamRules, resolveParams) and the sweep
 * expansion (expandSweep): the one home of both, used by the engine, the CLI and the Launch form.
 */
import { describe, expect, it } from 'vitest'
import { expandSweep, splitSweepValues, sweepGroupId, sweepSetLabel } from '../../../../core/model/sweep.js'
import { type WorkloadDescriptor, checkParamRules, paramRuleSpecProblems, resolveParams } from '../../../../core/model/workload.js'
import { getWorkloadDescriptor, listWorkloadDescriptors } from '../../../../workloads/registry.js'
import { type DefinedWorkload, defineWorkload } from '../../../../workloads/define.js'
import { describeDefinition } from '../../../../workloads/harness/file-workload.js'

const backtest = getWorkloadDescriptor('backtest') as WorkloadDescriptor

describe('parameter rules', () => {
  it('refuses exitZ at or above entryZ in resolveParams, naming both, and accepts the defaults', () => {
    expect(resolveParams(backtest, {}).ok).toBe(true)
    const r = resolveParams(backtest, { entryZ: 2, exitZ: 2.5 })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.problems).toEqual([
      expect.objectContaining({ param: 'exitZ', params: ['exitZ', 'entryZ'], message: 'exitZ (2.5) must be below entryZ (2)' }),
    ])
    expect(resolveParams(backtest, { entryZ: 2, exitZ: 2 }).ok).toBe(false)
  })

  it('multiplies parameters on a side and compares with numbers', () => {
    const problems = checkParamRules(backtest, { ...defaults(backtest), days: 5, barsPerDay: 10, window: 50, formationDays: 1 })
    expect(problems.map((p) => p.message)).toEqual(['window (50) must be below days × barsPerDay (50)'])
    const tiny = checkParamRules(backtest, { ...defaults(backtest), formationDays: 1, barsPerDay: 1, window: 2 })
    expect(tiny.map((p) => p.message)).toEqual(['formationDays × barsPerDay (1) must be at least 2'])
  })

  it('leaves values that are out of range or missing to the range check', () => {
    expect(checkParamRules(backtest, { entryZ: 'x', exitZ: 9 })).toEqual([])
    const r = resolveParams(backtest, { exitZ: 99 })
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual(['99 is out of range'])
  })

  it('every built-in rule names numeric parameters and holds for the defaults', () => {
    for (const d of listWorkloadDescriptors()) {
      expect(paramRuleSpecProblems(d), d.id).toEqual([])
      expect(checkParamRules(d, defaults(d)), d.id).toEqual([])
    }
    expect(paramRuleSpecProblems({ params: { a: { type: 'enum', description: '', default: 'x', values: ['x'] } }, rules: [{ left: ['a'], op: '<', right: ['b'] }] })).toEqual([
      'rules.0: "a" is not a numeric parameter',
      'rules.0: "b" is not a parameter',
    ])
  })
})

describe('rules in workload files', () => {
  const base = {
    id: 'orders',
    title: 'Orders',
    params: {
      minQty: { type: 'int', description: 'smallest', default: 1, min: 1, max: 100 },
      maxQty: { type: 'int', description: 'largest', default: 10, min: 1, max: 100 },
    },
    variants: { naive: () => 1, optimized: () => 1 },
    run: (impl: () => number) => impl(),
  } as const
  it('carries them into the descriptor, where resolveParams checks them', () => {
    const def = defineWorkload({ ...base, rules: [{ left: ['minQty'], op: '<=', right: ['maxQty'] }] }) as unknown as DefinedWorkload
    const d = describeDefinition(def, 'bench/orders.bench.ts')
    expect(d.rules).toEqual([{ left: ['minQty'], op: '<=', right: ['maxQty'] }])
    const r = resolveParams(d, { minQty: 20 })
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual(['minQty (20) must be at most maxQty (10)'])
  })
  it('refuses a rule naming an unknown parameter when the file loads', () => {
    const def = defineWorkload({ ...base, rules: [{ left: ['minQty'], op: '<', right: ['maxQtty' as 'maxQty'] }] }) as unknown as DefinedWorkload
    expect(() => describeDefinition(def, 'bench/orders.bench.ts')).toThrow(/rules\.0: "maxQtty" is not a parameter/)
  })
})

describe('sweeps', () => {
  it('expands the axes in order, the first varying slowest', () => {
    const r = expandSweep([
      { param: 'workers', values: [1, 2] },
      { param: 'pairs', values: [4] },
      { param: 'days', values: [10, 20] },
    ])
    expect(r).toEqual({
      ok: true,
      swept: ['workers', 'days'],
      sets: [
        { workers: 1, pairs: 4, days: 10 },
        { workers: 1, pairs: 4, days: 20 },
        { workers: 2, pairs: 4, days: 10 },
        { workers: 2, pairs: 4, days: 20 },
      ],
    })
    expect(sweepSetLabel({ workers: 2, pairs: 4 })).toBe('workers=2 pairs=4')
  })

  it('needs several values somewhere, each parameter once, at most 200 runs', () => {
    expect(expandSweep([{ param: 'workers', values: [2, 2] }])).toEqual({ ok: false, message: expect.stringMatching(/several values/) })
    expect(expandSweep([{ param: 'a', values: [1, 2] }, { param: 'a', values: [3] }])).toEqual({ ok: false, message: expect.stringMatching(/swept twice/) })
    const many = Array.from({ length: 201 }, (_, i) => i)
    expect(expandSweep([{ param: 'a', values: many }])).toEqual({ ok: false, message: 'the sweep would make 201 runs; at most 200' })
  })

  it('splits a typed list on commas and keeps a single value as typed', () => {
    expect(splitSweepValues('1, 2,4')).toEqual(['1', '2', '4'])
    expect(splitSweepValues(' 7 ')).toEqual([' 7 '])
    expect(splitSweepValues('1,,')).toEqual(['1'])
    expect(sweepGroupId(new Date(Date.UTC(2026, 11, 4, 17, 51, 3, 507)), '9bd1')).toBe('sweep-20261204T175103-9bd1')
  })
})

function defaults(d: WorkloadDescriptor): Record<string, number | string | boolean> {
  return Object.fromEntries(Object.entries(d.params).map(([k, s]) => [k, s.default]))
}
