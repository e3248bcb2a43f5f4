import { describe, expect, it } from 'vitest'
import type { RunSummary } from '../../../../core/model/run.js'
import {
  canCompare,
  computeFacets,
  countActiveRuns,
  filterRuns,
  isFiltered,
  searchTerms,
  selectLiveRuns,
  selectVisibleRuns,
  sortRuns,
} from '../../../../renderer/src/state/selectors.js'
import { DEFAULT_RUNS_QUERY, type RunsQuery } from '../../../../renderer/src/state/slices/view.js'

let n = 0
function run(over: Partial<Omit<RunSummary, 'workload'>> & { workload?: string; variant?: string } = {}): RunSummary {
  const { workload = 'orderbook', variant = 'heap', ...rest } = over
  n++
  return {
    id: `20261123T0700${String(n).padStart(5, '0')}Z-${workload}-${variant}-x${n}`,
    kind: 'workload',
    createdAt: `2026-11-23T07:00:${String(n).padStart(2, '0')}.000Z`,
    label: `${workload} ${variant}`,
    tags: [],
    workload: { id: workload, variant, params: {}, seed: 42 },
    status: 'ok',
    opsPerSec: 1000,
    p99Ns: 5000,
    machine: 'AMD EPYC 7B13 (2 cores)',
    node: '20.20.2',
    artifactKinds: [],
    ...rest,
  }
}

const q = (patch: Partial<RunsQuery> = {}): RunsQuery => ({ ...DEFAULT_RUNS_QUERY, ...patch })

describe('filterRuns', () => {
  const a = run({ label: 'Baseline before fix', tags: ['baseline', 'laptop'] })
  const b = run({ workload: 'serialization', variant: 'binary', tags: ['ci'], machine: 'Apple M2 Pro (12 cores)' })
  const c = run({ workload: 'orderbook', variant: 'sorted', status: 'failed', opsPerSec: undefined, p99Ns: undefined })
  const all = [a, b, c]

  it('matches every search word against label, workload, variant, tags and id, ignoring case', () => {
    expect(filterRuns(all, q({ text: 'BASELINE fix' }))).toEqual([a])
    expect(filterRuns(all, q({ text: 'serial binary' }))).toEqual([b])
    expect(filterRuns(all, q({ text: 'ci' }))).toEqual([b])
    expect(filterRuns(all, q({ text: c.id.slice(-4) }))).toEqual([c])
    expect(filterRuns(all, q({ text: 'orderbook nothing' }))).toEqual([])
  })

  it('applies each filter exactly', () => {
    expect(filterRuns(all, q({ workload: 'orderbook' }))).toEqual([a, c])
    expect(filterRuns(all, q({ workload: 'orderbook', variant: 'sorted' }))).toEqual([c])
    expect(filterRuns(all, q({ tag: 'laptop' }))).toEqual([a])
    expect(filterRuns(all, q({ machine: 'Apple M2 Pro (12 cores)' }))).toEqual([b])
    expect(filterRuns(all, q({ status: 'failed' }))).toEqual([c])
  })

  it('splits search text on any whitespace', () => {
    expect(searchTerms('  a\tb  ')).toEqual(['a', 'b'])
    expect(isFiltered(q())).toBe(false)
    expect(isFiltered(q({ text: '  ' }))).toBe(false)
    expect(isFiltered(q({ tag: 'x' }))).toBe(true)
  })
})

describe('sortRuns', () => {
  const slow = run({ opsPerSec: 10, p99Ns: 9000, workload: 'var' })
  const fast = run({ opsPerSec: 1000, p99Ns: 100, workload: 'backtest' })
  const failed = run({ status: 'failed', opsPerSec: undefined, p99Ns: undefined, workload: 'orderbook' })
  const mid = run({ opsPerSec: 100, p99Ns: 500, workload: 'orderbook', variant: 'aaa' })
  const all = [slow, fast, failed, mid]
  const ids = (rs: RunSummary[]) => rs.map((r) => r.id)

  it('sorts by date, newest first by default', () => {
    expect(ids(sortRuns(all, { key: 'date', dir: 'desc' }))).toEqual(ids([mid, failed, fast, slow]))
    expect(ids(sortRuns(all, { key: 'date', dir: 'asc' }))).toEqual(ids([slow, fast, failed, mid]))
  })

  it('sorts by throughput and p99 with runs lacking the metric last in both directions', () => {
    expect(ids(sortRuns(all, { key: 'opsPerSec', dir: 'desc' }))).toEqual(ids([fast, mid, slow, failed]))
    expect(ids(sortRuns(all, { key: 'opsPerSec', dir: 'asc' }))).toEqual(ids([slow, mid, fast, failed]))
    expect(ids(sortRuns(all, { key: 'p99', dir: 'asc' }))).toEqual(ids([fast, mid, slow, failed]))
  })

  it('sorts by workload then variant, newest first within', () => {
    expect(ids(sortRuns(all, { key: 'workload', dir: 'asc' }))).toEqual(ids([fast, mid, failed, slow]))
  })

  it('does not reorder its input', () => {
    const copy = [...all]
    sortRuns(all, { key: 'p99', dir: 'asc' })
    expect(all).toEqual(copy)
  })

  it('returns the same array for the same runs and query (stable for zustand)', () => {
    const state = { runs: all, runsQuery: q({ sort: { key: 'p99', dir: 'asc' } }) }
    expect(selectVisibleRuns(state)).toBe(selectVisibleRuns({ ...state }))
    expect(selectVisibleRuns({ ...state, runsQuery: q() })).not.toBe(selectVisibleRuns(state))
  })
})

describe('facets', () => {
  it('counts the values of each filter; variants follow the chosen workload', () => {
    const runs = [
      run({ tags: ['a', 'b'] }),
      run({ tags: ['a'], variant: 'sorted' }),
      run({ workload: 'var', variant: 'pooled', status: 'failed' }),
    ]
    const f = computeFacets(runs, 'orderbook')
    expect(f.workloads).toEqual([
      { value: 'orderbook', count: 2 },
      { value: 'var', count: 1 },
    ])
    expect(f.variants.map((v) => v.value)).toEqual(['heap', 'sorted'])
    expect(f.tags).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 1 },
    ])
    expect(f.statuses).toEqual([
      { value: 'failed', count: 1 },
      { value: 'ok', count: 2 },
    ])
    expect(computeFacets(runs).variants.map((v) => v.value)).toEqual(['heap', 'pooled', 'sorted'])
  })
})

describe('canCompare', () => {
  const a = run()
  const b = run({ variant: 'sorted' })
  const other = run({ workload: 'var' })
  const failed = run({ status: 'failed', opsPerSec: undefined })
  const runs = [a, b, other, failed]

  it('needs exactly two selected runs of the same workload that finished ok', () => {
    expect(canCompare({ runs, selectedIds: [a.id, b.id] })).toBe(true)
    expect(canCompare({ runs, selectedIds: [a.id] })).toBe(false)
    expect(canCompare({ runs, selectedIds: [a.id, b.id, other.id] })).toBe(false)
    expect(canCompare({ runs, selectedIds: [a.id, other.id] })).toBe(false)
    expect(canCompare({ runs, selectedIds: [a.id, failed.id] })).toBe(false)
  })

  it('ignores selected ids that are no longer in the library', () => {
    expect(canCompare({ runs: [a], selectedIds: [a.id, b.id] })).toBe(false)
  })
})

describe('live runs', () => {
  it('lists live runs newest first and counts the running ones', () => {
    const base = {
      workload: 'w',
      variant: 'v',
      label: 'l',
      startedAt: 0,
      finishedAt: null,
      progress: null,
      summary: null,
      cancelling: false,
      error: null,
      failure: null,
    }
    const liveRuns = {
      r1: { ...base, runId: 'r1', status: 'running' as const },
      r2: { ...base, runId: 'r2', status: 'ok' as const },
      r3: { ...base, runId: 'r3', status: 'running' as const },
    }
    const state = { liveRuns, liveOrder: ['r3', 'r2', 'r1', 'gone'] }
    expect(selectLiveRuns(state).map((r) => r.runId)).toEqual(['r3', 'r2', 'r1'])
    expect(countActiveRuns(state)).toBe(2)
  })
})
