import { describe, expect, it } from 'vitest'
import { filterRunSummaries, matchesRunFilter } from '../../../../core/model/run-filter.js'
import { summarizeRun, type RunSummary } from '../../../../core/model/run.js'
import { filterRuns } from '../../../../renderer/src/state/selectors.js'
import { DEFAULT_RUNS_QUERY } from '../../../../renderer/src/state/slices/view.js'
import { matchesFilter } from '../../../../store/run-store.js'
import { createFakeWorkbench } from '../../../../renderer/dev/fake-workbench.js'
import { makeRun, testEnvironment } from '../../../helpers/make-run.js'

const epyc = summarizeRun(makeRun({ label: 'book naive', tags: ['nightly'] }))
const m2 = summarizeRun(
  makeRun({
    label: 'book optimized',
    workload: { id: 'orderbook', variant: 'optimized', params: {}, seed: 42 },
    env: { ...testEnvironment, cpu: { ...testEnvironment.cpu, brand: 'Apple M2 Pro', cores: 12 } },
    group: 'sweep-1',
  }),
)
const runs: RunSummary[] = [epyc, m2]

describe('the one run filter', () => {
  it('matches a machine by its whole name (the library facet) and by part of it (`list --machine`)', () => {
    expect(epyc.machine).toBe('AMD EPYC 7B13 (2 cores)')
    expect(filterRunSummaries(runs, { machine: epyc.machine })).toEqual([epyc])
    expect(filterRunSummaries(runs, { machine: 'epyc' })).toEqual([epyc])
    expect(filterRunSummaries(runs, { machine: 'M2' })).toEqual([m2])
    expect(filterRunSummaries(runs, { machine: 'xeon' })).toEqual([])
  })

  it('needs every search word, in id, label, workload, variant, machine, group or tags', () => {
    expect(filterRunSummaries(runs, { text: 'book optimized' })).toEqual([m2])
    expect(filterRunSummaries(runs, { text: 'nightly' })).toEqual([epyc])
    expect(filterRunSummaries(runs, { text: 'sweep-1 apple' })).toEqual([m2])
    expect(filterRunSummaries(runs, { text: 'book xeon' })).toEqual([])
    expect(filterRunSummaries(runs, { text: '   ' })).toEqual(runs)
  })

  it('matches exact fields exactly and times inclusively', () => {
    expect(filterRunSummaries(runs, { variant: 'optimized' })).toEqual([m2])
    expect(filterRunSummaries(runs, { variant: 'optim' })).toEqual([])
    expect(filterRunSummaries(runs, { since: m2.createdAt })).toEqual([m2])
    expect(filterRunSummaries(runs, { until: epyc.createdAt })).toEqual([epyc])
    expect(matchesRunFilter(epyc, undefined)).toBe(true)
  })

  it('is the filter of the store and the renderer library alike', () => {
    const filters = [{ machine: 'epyc' }, { machine: m2.machine }, { text: 'book naive' }, { variant: 'optimized' }, {}]
    for (const f of filters) {
      const expected = filterRunSummaries(runs, f)
      expect(runs.filter((r) => matchesFilter(r, f))).toEqual(expected)
      const query = { ...DEFAULT_RUNS_QUERY, machine: f.machine ?? null, variant: f.variant ?? null, text: f.text ?? '' }
      expect(filterRuns(runs, query)).toEqual(expected)
    }
  })

  it('is the fake workbench filter too, machine included', async () => {
    const fake = createFakeWorkbench({ runs: 12 })
    const all = await fake.listRuns()
    const machines = [...new Set(all.map((r) => r.machine))]
    expect(machines.length).toBeGreaterThan(1)
    for (const machine of machines) {
      const part = machine.split(' ')[0]!.toLowerCase()
      expect(await fake.listRuns({ machine: part })).toEqual(filterRunSummaries(all, { machine: part }))
      expect((await fake.listRuns({ machine })).every((r) => r.machine === machine)).toBe(true)
    }
  })
})
