/**
 * The Launch form against real descriptors: rules between parameters shown on every field they name
 * (from the descriptor, as the engine checks them), and a parameter with several values making a sweep
 * whose every run is checked.
 */
import { describe, expect, it } from 'vitest'
import type { WorkloadDescriptor } from '../../../../core/model/workload.js'
import { createDraft, validateDraft } from '../../../../renderer/src/features/launch/launch-form.js'
import { getWorkloadDescriptor } from '../../../../workloads/registry.js'

const backtest = getWorkloadDescriptor('backtest') as WorkloadDescriptor

describe('launch form rules and sweeps', () => {
  it('shows a broken rule next to both fields and sends nothing', () => {
    const draft = createDraft(backtest)
    const v = validateDraft(backtest, { ...draft, params: { ...draft.params, exitZ: '2.5' } })
    expect(v.request).toBeNull()
    expect(v.errors['param.exitZ']).toMatch(/^exitZ \(2\.5\) must be below entryZ \(2\): /)
    expect(v.errors['param.entryZ']).toBe(v.errors['param.exitZ'])
    expect(v.errors['param.days']).toBeUndefined()
  })

  it('turns a list of values into a sweep request without the swept parameter', () => {
    const draft = createDraft(backtest)
    const v = validateDraft(backtest, { ...draft, params: { ...draft.params, workers: '1, 2,4' } })
    expect(v.errors).toEqual({})
    expect(v.sweep).toEqual({ axes: [{ param: 'workers', values: [1, 2, 4] }], runs: 3 })
    expect(v.request?.params).not.toHaveProperty('workers')
    expect(v.request?.params?.pairs).toBe(4)
  })

  it('checks every run of a sweep against the rules and says which run breaks one', () => {
    const draft = createDraft(backtest)
    const v = validateDraft(backtest, { ...draft, params: { ...draft.params, exitZ: '0.5, 1, 3' } })
    expect(v.request).toBeNull()
    expect(v.errors['param.exitZ']).toMatch(/^exitZ \(3\) must be below entryZ \(2\): .* \(in the run with exitZ=3\)$/)
  })

  it('reports a bad value in a list and a list of one repeated value as a single run', () => {
    const draft = createDraft(backtest)
    expect(validateDraft(backtest, { ...draft, params: { ...draft.params, workers: '1, x' } }).errors['param.workers']).toMatch(/"x" is not an integer/)
    const one = validateDraft(backtest, { ...draft, params: { ...draft.params, workers: '2, 2' } })
    expect(one.sweep).toBeNull()
    expect(one.request?.params?.workers).toBe(2)
  })
})
