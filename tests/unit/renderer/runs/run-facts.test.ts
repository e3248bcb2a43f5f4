import { describe, expect, it } from 'vitest'
import { environmentFacts } from '../../../../renderer/src/features/runs/run-facts.js'
import { formatEnvironmentMarkdown } from '../../../../core/format/environment.js'
import { fakeEnvironment } from '../../../../renderer/dev/fake-workbench.js'

describe('run facts', () => {
  it('lists the machine facts that matter for benchmarks, in people units', () => {
    const facts = Object.fromEntries(environmentFacts(fakeEnvironment))
    expect(facts.CPU).toBe('AMD EPYC 7B13 · 2 logical / 1 physical cores · 2.45 GHz (max 3.50)')
    expect(facts.Memory).toBe('8.00 GB (5.50 GB free)')
    expect(facts.Caches).toBe('L1d 32.0 KB · L2 512 KB · L3 32.0 MB')
    expect(facts.Machine).toBe('virtual (KVM) · Google · Google Compute Engine')
    expect(facts.Power).toBe('AC (no battery)')
    expect(facts['Load average']).toBe('0.42 / 0.31 / 0.20 (1 / 5 / 15 min)')
  })

  it('leaves out what was not captured', () => {
    const { machine: _m, power: _p, loadAvg: _l, ...bare } = fakeEnvironment
    const labels = environmentFacts({ ...bare, cpu: { ...bare.cpu, governor: undefined, cacheBytes: undefined } }).map(([k]) => k)
    expect(labels).not.toContain('Machine')
    expect(labels).not.toContain('Power')
    expect(labels).not.toContain('CPU governor')
    expect(labels).toContain('OS')
  })

  it('a CPU that reports cache sizes of zero (a container on this machine) gets no empty Caches row', () => {
    const env = { ...fakeEnvironment, cpu: { ...fakeEnvironment.cpu, cacheBytes: { l1d: 0, l2: 0, l3: 0 } } }
    expect(environmentFacts(env).map(([k]) => k)).not.toContain('Caches')
    expect(formatEnvironmentMarkdown(env)).not.toMatch(/Caches/)
  })
})
