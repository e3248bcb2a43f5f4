import { describe, expect, it } from 'vitest'
import { diffEnvironments, flattenEnvironment } from '../../../../core/compare/environment-diff.js'
import { testEnvironment } from '../../../helpers/make-run.js'

describe('flattenEnvironment', () => {
  it('turns nested facts into dotted paths, joins plain arrays and indexes arrays of objects', () => {
    const flat = flattenEnvironment({ a: { b: 1, c: 'x', d: undefined }, list: [1, 2], objs: [{ k: true }], n: null })
    expect([...flat]).toEqual([
      ['a.b', 1],
      ['a.c', 'x'],
      ['list', '1, 2'],
      ['objs.0.k', true],
      ['n', null],
    ])
  })
})

describe('diffEnvironments', () => {
  const other = {
    ...testEnvironment,
    capturedAt: '2026-11-24T00:00:00.000Z',
    os: { ...testEnvironment.os, hostname: 'other-host', kernel: '6.8.0' },
    cpu: { ...testEnvironment.cpu, governor: 'performance' },
    memory: { ...testEnvironment.memory, freeBytes: 1 },
    runtime: { ...testEnvironment.runtime, node: '22.11.0' },
    machine: { ...testEnvironment.machine, serial: 'SN-999' },
    loadAvg: [2, 2, 2],
  }

  it('lists the facts that differ, skipping volatile and identifying ones', () => {
    const diff = diffEnvironments([
      { runId: 'a', env: testEnvironment },
      { runId: 'b', env: other },
    ])
    expect(diff.runIds).toEqual(['a', 'b'])
    expect(diff.differences).toEqual([
      { path: 'os.kernel', values: ['6.1.0', '6.8.0'] },
      { path: 'runtime.node', values: ['20.20.2', '22.11.0'] },
      { path: 'cpu.governor', values: [null, 'performance'] },
    ])
    const paths = [...diff.differences, ...diff.same].map((d) => d.path)
    for (const hidden of ['capturedAt', 'memory.freeBytes', 'loadAvg', 'os.hostname', 'machine.serial', 'user.name', 'network.0.mac', 'redacted']) {
      expect(paths).not.toContain(hidden)
    }
    expect(diff.same).toContainEqual({ path: 'cpu.brand', value: 'AMD EPYC 7B13' })
    expect(diff.loadAvg).toEqual([
      { runId: 'a', loadAvg: [0.1, 0.2, 0.3] },
      { runId: 'b', loadAvg: [2, 2, 2] },
    ])
  })

  it('includes identifying facts only when asked', () => {
    const diff = diffEnvironments(
      [
        { runId: 'a', env: testEnvironment },
        { runId: 'b', env: other },
      ],
      { includeIdentifying: true },
    )
    expect(diff.differences.map((d) => d.path)).toEqual(expect.arrayContaining(['os.hostname', 'machine.serial']))
  })

  it('compares three runs and finds nothing for equal snapshots', () => {
    const diff = diffEnvironments(['a', 'b', 'c'].map((runId) => ({ runId, env: testEnvironment })))
    expect(diff.differences).toEqual([])
    expect(diff.same.length).toBeGreaterThan(10)
  })
})
