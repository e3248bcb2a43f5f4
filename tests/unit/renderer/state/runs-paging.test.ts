/** The runs slice's paging: first page, further pages, engine-side filters, and reloads that keep the selection. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RUNS_PAGE_SIZE } from '../../../../renderer/src/state/slices/runs.js'
import { createWorkbenchStore, type WorkbenchStore } from '../../../../renderer/src/state/store.js'
import { type FakeWorkbench, createFakeWorkbench } from '../../../../renderer/dev/fake-workbench.js'

let api: FakeWorkbench
let store: WorkbenchStore
const COUNT = RUNS_PAGE_SIZE * 2 + 17

beforeEach(() => {
  api = createFakeWorkbench({ runs: COUNT, tickMs: 50, samplesPerRun: 5 })
  store = createWorkbenchStore(api)
})
afterEach(() => api.dispose())

describe('runs paging', () => {
  it('loads the newest page first with the total, then further pages until all are loaded', async () => {
    await store.getState().loadRuns()
    let s = store.getState()
    expect(s.runs).toHaveLength(RUNS_PAGE_SIZE)
    expect(s.runsTotal).toBe(COUNT)
    const ids = s.runs.map((r) => r.id)
    expect(ids).toEqual([...ids].sort().reverse())
    await s.loadMoreRuns()
    await store.getState().loadMoreRuns()
    s = store.getState()
    expect(s.runs).toHaveLength(COUNT)
    expect(new Set(s.runs.map((r) => r.id)).size).toBe(COUNT)
    const before = api.calls.length
    await s.loadMoreRuns()
    expect(api.calls.length).toBe(before)
  })

  it('sends the search and filters to the engine and drops a page that a new filter overtook', async () => {
    await store.getState().loadRuns()
    const workload = store.getState().runs[0]!.workload.id
    const more = store.getState().loadMoreRuns()
    store.getState().setRunsQuery({ text: workload })
    await store.getState().syncRunsFilter()
    await more
    const s = store.getState()
    const call = api.calls.filter((c) => c.method === 'listRunPage').at(-1)!
    expect(call.args[0]).toEqual({ text: workload })
    expect(s.runs.length).toBeGreaterThan(0)
    expect(s.runs.every((r) => r.workload.id === workload)).toBe(true)
    expect(s.runsTotal).toBeLessThan(COUNT)
  })

  it('a reload keeps the loaded rows and the selection of runs still present', async () => {
    await store.getState().loadRuns()
    await store.getState().loadMoreRuns()
    const [a, b] = [store.getState().runs[5]!.id, store.getState().runs[RUNS_PAGE_SIZE + 3]!.id]
    store.getState().setSelection([a, b])
    await api.deleteRun(a)
    await store.getState().loadRuns()
    const s = store.getState()
    expect(s.runs).toHaveLength(RUNS_PAGE_SIZE * 2)
    expect(s.runsTotal).toBe(COUNT - 1)
    expect(s.selectedIds).toEqual([b])
  })
})
