import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RunId } from '../../../../core/model/run.js'
import { describeRunId } from '../../../../renderer/src/state/slices/live-run.js'
import { createWorkbenchStore, type WorkbenchStore } from '../../../../renderer/src/state/store.js'
import { type FakeWorkbench, createFakeWorkbench, fakeWorkloads } from '../../../../renderer/dev/fake-workbench.js'

let api: FakeWorkbench
let store: WorkbenchStore

beforeEach(() => {
  api = createFakeWorkbench({ runs: 6, tickMs: 50, samplesPerRun: 50 })
  store = createWorkbenchStore(api)
})
afterEach(() => api.dispose())

describe('workloads slice', () => {
  it('loads the catalogue and opens a draft for the first workload', async () => {
    await store.getState().loadWorkloads()
    const s = store.getState()
    expect(s.workloadsStatus).toBe('ready')
    expect(s.workloads.map((w) => w.id)).toEqual(fakeWorkloads.map((w) => w.id))
    expect(s.launchWorkloadId).toBe('orderbook')
    expect(s.drafts.orderbook?.params.levels).toBe('500')
  })

  it('keeps each workload draft when switching back and forth', async () => {
    await store.getState().loadWorkloads()
    store.getState().editParam('levels', '900')
    store.getState().chooseWorkload('serialization')
    store.getState().chooseWorkload('orderbook')
    expect(store.getState().drafts.orderbook?.params.levels).toBe('900')
    store.getState().resetDraft()
    expect(store.getState().drafts.orderbook?.params.levels).toBe('500')
  })

  it('records a load error for the view to show', async () => {
    api.failNext('listWorkloads', 'engine not ready')
    await store.getState().loadWorkloads()
    expect(store.getState()).toMatchObject({ workloadsStatus: 'error', workloadsError: 'engine not ready' })
  })

  it('refuses to launch an invalid draft without calling the API', async () => {
    await store.getState().loadWorkloads()
    store.getState().editParam('levels', '3')
    const before = api.calls.length
    expect(await store.getState().launch()).toBeNull()
    expect(api.calls.length).toBe(before)
    expect(store.getState().launchError?.fields['param.levels']).toMatch(/out of range/)
  })

  it('launches a valid draft and tracks the run as live', async () => {
    await store.getState().loadWorkloads()
    store.getState().editDraft({ durationS: '0.2', label: 'quick' })
    const runId = await store.getState().launch()
    expect(runId).not.toBeNull()
    const startCall = api.calls.find((c) => c.method === 'startRun')
    expect(startCall?.args[0]).toMatchObject({ workload: 'orderbook', variant: 'heap', durationMs: 200, label: 'quick' })
    const live = store.getState().liveRuns[runId as RunId]
    expect(live).toMatchObject({
      status: 'running',
      label: 'quick',
      workload: 'orderbook',
      phases: ['warmup', 'timing', 'checksum', 'profiling', 'saving'],
    })
    expect(store.getState().liveOrder[0]).toBe(runId)
  })

  it("shows the engine's refusal next to the form", async () => {
    await store.getState().loadWorkloads()
    api.failNext('startRun', 'The runtime /nope does not exist')
    expect(await store.getState().launch()).toBeNull()
    expect(store.getState().launchError?.message).toBe('The runtime /nope does not exist')
    expect(store.getState().launching).toBe(false)
    // Editing clears the stale error.
    store.getState().editDraft({ label: 'x' })
    expect(store.getState().launchError).toBeNull()
  })
})

describe('runs slice', () => {
  it('loads summaries and full records', async () => {
    await store.getState().loadRuns()
    const { runs } = store.getState()
    expect(runs).toHaveLength(6)
    const id = runs[0]?.id as RunId
    await store.getState().loadRun(id)
    expect(store.getState().runDetails[id]).toMatchObject({ status: 'ready', record: { id } })
  })

  it('keeps a failed record load as an error entry', async () => {
    await store.getState().loadRun('20261123T070000000Z-nope-abcd')
    expect(store.getState().runDetails['20261123T070000000Z-nope-abcd']).toMatchObject({ status: 'error' })
  })

  it('updates label, tags and notes in the list and the detail', async () => {
    await store.getState().loadRuns()
    const id = store.getState().runs[0]?.id as RunId
    await store.getState().updateRun(id, { label: 'renamed', tags: ['t1'], notes: 'why' })
    expect(store.getState().runs.find((r) => r.id === id)).toMatchObject({ label: 'renamed', tags: ['t1'] })
    expect(store.getState().runDetails[id]).toMatchObject({ status: 'ready', record: { notes: 'why' } })
  })

  it('passes an update refusal to the caller', async () => {
    await store.getState().loadRuns()
    api.failNext('updateRun', 'label too long')
    await expect(store.getState().updateRun(store.getState().runs[0]?.id as RunId, { label: 'x' })).rejects.toThrow('label too long')
  })

  it('deletes runs and drops them from list, details and selection', async () => {
    await store.getState().loadRuns()
    const [a, b, c] = store.getState().runs.map((r) => r.id) as [RunId, RunId, RunId]
    store.getState().setSelection([a, b, c])
    store.getState().focusRun(a)
    await store.getState().loadRun(a)
    const outcome = await store.getState().deleteRuns([a, b])
    expect(outcome).toEqual({ deleted: [a, b], failed: [] })
    const s = store.getState()
    expect(s.runs.map((r) => r.id)).not.toContain(a)
    expect(s.runs).toHaveLength(4)
    expect(s.runDetails[a]).toBeUndefined()
    expect(s.selectedIds).toEqual([c])
    expect(s.focusedId).toBeNull()
  })

  it('reports the runs it could not delete', async () => {
    await store.getState().loadRuns()
    const [a, b] = store.getState().runs.map((r) => r.id) as [RunId, RunId]
    api.failNext('deleteRun', 'permission denied')
    const outcome = await store.getState().deleteRuns([a, b])
    expect(outcome.deleted).toEqual([b])
    expect(outcome.failed).toEqual([{ id: a, message: 'permission denied' }])
    expect(store.getState().runs.map((r) => r.id)).toContain(a)
  })

  it('imports an exported bundle back, skipping runs already present', async () => {
    await store.getState().loadRuns()
    const ids = store
      .getState()
      .runs.slice(0, 2)
      .map((r) => r.id)
    const bytes = await store.getState().exportRuns(ids)
    const again = await store.getState().importFiles([{ name: 'two.tgz', bytes }])
    expect(again.imported).toEqual([])
    expect(again.skipped.map((s) => s.id)).toEqual(ids)
    await store.getState().deleteRuns(ids)
    const back = await store.getState().importFiles([
      { name: 'two.tgz', bytes },
      { name: 'notes.txt', bytes: new Uint8Array([1]) },
    ])
    expect(back.imported.sort()).toEqual([...ids].sort())
    expect(back.failed).toEqual([{ name: 'notes.txt', message: expect.stringContaining('Cannot import notes.txt') }])
    expect(store.getState().runs.map((r) => r.id)).toEqual(expect.arrayContaining(ids))
    expect(store.getState().importing).toBe(false)
  })

  it('imports a Blob through importBlob where the client has it, else reads its bytes just before sending', async () => {
    await store.getState().loadRuns()
    const ids = store
      .getState()
      .runs.slice(0, 1)
      .map((r) => r.id)
    const bytes = new Uint8Array(await store.getState().exportRuns(ids))
    await store.getState().deleteRuns(ids)
    // The fake has no importBlob (as the Electron bridge): the Blob's bytes go to importFile.
    const read = await store.getState().importFiles([{ name: 'one.tgz', blob: new Blob([bytes]) }])
    expect(read.imported).toEqual(ids)
    const sent = api.calls.filter((c) => c.method === 'importFile').at(-1)
    expect(sent?.args[1]).toBe(bytes.byteLength) // the fake records the length it was given
    // With importBlob (browser mode), the Blob itself is handed over.
    const blob = new Blob([bytes])
    const importBlob = vi.fn(async () => ({ imported: ids, skipped: [] }))
    const withBlob = createWorkbenchStore(Object.assign(Object.create(api) as FakeWorkbench, { importBlob }))
    const outcome = await withBlob.getState().importFiles([{ name: 'one.tgz', blob }])
    expect(importBlob).toHaveBeenCalledWith('one.tgz', blob)
    expect(outcome.imported).toEqual(ids)
  })

  it('drops selected ids of runs deleted elsewhere when the list reloads', async () => {
    await store.getState().loadRuns()
    const [a, b] = store.getState().runs.map((r) => r.id) as [RunId, RunId]
    store.getState().setSelection([a, b])
    await api.deleteRun(a)
    await store.getState().loadRuns()
    expect(store.getState().selectedIds).toEqual([b])
  })
})

describe('selection slice', () => {
  const ids = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']

  it('toggles single runs in selection order', () => {
    const s = store.getState()
    s.toggleSelected('r3')
    s.toggleSelected('r1')
    expect(store.getState().selectedIds).toEqual(['r3', 'r1'])
    store.getState().toggleSelected('r3')
    expect(store.getState().selectedIds).toEqual(['r1'])
  })

  it('selects the range from the anchor to a shift-clicked run, either direction', () => {
    store.getState().toggleSelected('r1')
    store.getState().selectRange(ids, 'r4')
    expect(store.getState().selectedIds).toEqual(['r1', 'r2', 'r3', 'r4'])
    store.getState().clearSelection()
    store.getState().toggleSelected('r4')
    store.getState().selectRange(ids, 'r2')
    expect([...store.getState().selectedIds].sort()).toEqual(['r2', 'r3', 'r4'])
  })

  it('adds a range to what was already selected', () => {
    store.getState().toggleSelected('r0')
    store.getState().toggleSelected('r3')
    store.getState().selectRange(ids, 'r5')
    expect(store.getState().selectedIds).toEqual(['r0', 'r3', 'r4', 'r5'])
  })

  it('toggles the clicked run when there is no anchor in the list', () => {
    store.getState().selectRange(ids, 'r2')
    expect(store.getState().selectedIds).toEqual(['r2'])
  })
})

describe('view slice', () => {
  it('navigates, edits the query and resets filters but not the sort', () => {
    store.getState().navigate({ view: 'run', runId: '20261123T070000000Z-x-1' })
    expect(store.getState().route).toEqual({ view: 'run', runId: '20261123T070000000Z-x-1' })
    store.getState().setRunsQuery({ text: 'abc', tag: 'ci', sort: { key: 'p99', dir: 'asc' } })
    store.getState().resetRunsFilters()
    expect(store.getState().runsQuery).toMatchObject({ text: '', tag: null, sort: { key: 'p99', dir: 'asc' } })
  })

  it('keeps the same route object when navigating to where it already is', () => {
    const before = store.getState().route
    store.getState().navigate({ ...before })
    expect(store.getState().route).toBe(before)
  })
})

describe('opened-file slice', () => {
  it('shows a file as importing, then its run; a late result for an earlier file is ignored', () => {
    const first = store.getState().openFile('a.cpuprofile', new Blob(['{}']))
    expect(store.getState().openedFile).toMatchObject({ seq: first, name: 'a.cpuprofile', import: { status: 'importing' } })
    const second = store.getState().openFile('b.cpuprofile', new Blob(['{}']))
    expect(second).not.toBe(first)
    store.getState().setOpenedFileImport(first, { status: 'saved', runId: '20261123T070000000Z-x-1' })
    expect(store.getState().openedFile).toMatchObject({ name: 'b.cpuprofile', import: { status: 'importing' } })
    store.getState().setOpenedFileImport(second, { status: 'failed', message: 'not a profile' })
    expect(store.getState().openedFile?.import).toEqual({ status: 'failed', message: 'not a profile' })
  })
})

describe('live-run slice', () => {
  const progress = (runId: string, overall: number) => ({ runId, phase: 'timing' as const, fraction: overall, overall })

  it('applies progress, finishes, and ignores progress that arrives after the end', () => {
    const id = '20261123T070000000Z-orderbook-heap-aaaa'
    store.getState().trackRun(id, { workload: 'orderbook', variant: 'heap', label: 'x' })
    store.getState().applyProgress([progress(id, 0.4)])
    expect(store.getState().liveRuns[id]?.progress?.overall).toBe(0.4)
    const summary = {
      id,
      kind: 'workload' as const,
      createdAt: '2026-11-23T07:00:00.000Z',
      label: 'x',
      tags: [],
      workload: { id: 'orderbook', variant: 'heap', params: {}, seed: 1 },
      status: 'ok' as const,
      machine: 'm',
      node: '20',
      artifactKinds: [],
    }
    store.getState().finishLiveRun({ runId: id, status: 'ok', summary })
    expect(store.getState().liveRuns[id]).toMatchObject({ status: 'ok', progress: { phase: 'done', overall: 1 } })
    store.getState().applyProgress([progress(id, 0.5)])
    expect(store.getState().liveRuns[id]?.progress?.phase).toBe('done')
  })

  it('adopts runs started elsewhere from their progress events', async () => {
    await store.getState().loadWorkloads()
    const id = '20261123T070000000Z-symbol-collection-leaky-abcd'
    store.getState().applyProgress([progress(id, 0.1)])
    expect(store.getState().liveRuns[id]).toMatchObject({ workload: 'symbol-collection', variant: 'leaky', status: 'running' })
  })

  it('names the workload and variant of a run id by the longest known match', () => {
    expect(describeRunId('20261123T070000000Z-symbol-collection-parallel-1a2b', fakeWorkloads)).toEqual({
      workload: 'symbol-collection',
      variant: 'parallel',
    })
    expect(describeRunId('20261123T070000000Z-unknown-thing-1a2b', fakeWorkloads)).toEqual({ workload: '', variant: '' })
  })

  it('cancels a running run and reports a failed cancel on the card', async () => {
    await store.getState().loadWorkloads()
    const runId = (await store.getState().launch()) as RunId
    api.failNext('cancelRun', 'engine busy')
    await store.getState().cancelRun(runId)
    expect(store.getState().liveRuns[runId]).toMatchObject({ cancelling: false, error: 'Could not cancel: engine busy' })
    await store.getState().cancelRun(runId)
    expect(store.getState().liveRuns[runId]).toMatchObject({ cancelling: true, error: null })
  })

  it('dismisses finished runs and forgets their timelines', () => {
    const id = '20261123T070000000Z-orderbook-heap-bbbb'
    store.getState().trackRun(id, { workload: 'orderbook', variant: 'heap', label: 'x' })
    store.getState().liveTimelines.push(id, { tMs: 0, cpuUserPct: 1 })
    store.getState().dismissLiveRun(id)
    expect(store.getState().liveRuns[id]).toBeUndefined()
    expect(store.getState().liveOrder).not.toContain(id)
    expect(store.getState().liveTimelines.get(id)).toBeUndefined()
  })
})

describe('a run end to end through the fake engine', () => {
  it('progresses through its phases and lands in the library as ok', async () => {
    vi.useFakeTimers()
    try {
      const { connectStoreToEvents } = await import('../../../../renderer/src/state/events.js')
      const off = connectStoreToEvents(store, api)
      await store.getState().loadWorkloads()
      store.getState().editDraft({ durationS: '0.5', warmup: '0.1', profile: [] })
      const runId = (await store.getState().launch()) as RunId
      const phases = new Set<string>()
      const unsub = store.subscribe((s) => {
        const p = s.liveRuns[runId]?.progress?.phase
        if (p) phases.add(p)
      })
      await vi.advanceTimersByTimeAsync(3000)
      unsub()
      off()
      expect([...phases]).toEqual(expect.arrayContaining(['warmup', 'timing', 'saving', 'done']))
      expect(store.getState().liveRuns[runId]?.status).toBe('ok')
      expect(store.getState().runs.find((r) => r.id === runId)?.status).toBe('ok')
      expect(store.getState().liveTimelines.get(runId)?.length).toBeGreaterThan(5)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('last known rates', () => {
  it('keeps the last measured throughput, p99 and count through phases that measure nothing', async () => {
    const { withLastKnownRates } = await import('../../../../renderer/src/state/slices/live-run.js')
    const timing = {
      runId: 'r',
      phase: 'timing' as const,
      fraction: 1,
      overall: 0.8,
      opsPerSec: 5e5,
      p99Ns: 2000,
      opsDone: 9000,
      message: 'x',
      etaMs: 100,
    }
    const saving = { runId: 'r', phase: 'saving' as const, fraction: 0, overall: 0.98 }
    expect(withLastKnownRates(timing, saving)).toEqual({ ...saving, opsPerSec: 5e5, p99Ns: 2000, opsDone: 9000 })
    const profiling = { runId: 'r', phase: 'profiling' as const, fraction: 0.1, overall: 0.85, opsPerSec: 4e5 }
    expect(withLastKnownRates(timing, profiling).opsPerSec).toBe(4e5)
    expect(withLastKnownRates(null, saving)).toBe(saving)
  })

  it('starts a new pass with no figures of the last one: the profiled pass counts from zero', async () => {
    const { withLastKnownRates } = await import('../../../../renderer/src/state/slices/live-run.js')
    const pass = (name: 'timing' | 'profiling', index: number) => ({ name, index, count: 2 })
    const timing = { runId: 'r', phase: 'timing' as const, fraction: 1, overall: 0.5, opsPerSec: 5e5, opsDone: 9000, pass: pass('timing', 0) }
    const starting = { runId: 'r', phase: 'profiling' as const, fraction: 0, overall: 0.55, pass: pass('profiling', 1) }
    expect(withLastKnownRates(timing, starting)).toEqual(starting)
    // Within one pass the last figures carry on.
    const later = { ...starting, fraction: 0.1, opsDone: 100, opsPerSec: 4e5 }
    expect(withLastKnownRates(later, { ...starting, fraction: 0.2 })).toMatchObject({ opsDone: 100, opsPerSec: 4e5 })
  })
})

describe('finishing states', () => {
  const id = '20261123T070000000Z-orderbook-heap-cccc'
  const summary = (status: 'ok' | 'cancelled') => ({
    id,
    kind: 'workload' as const,
    createdAt: '2026-11-23T07:00:00.000Z',
    label: 'x',
    tags: [],
    workload: { id: 'orderbook', variant: 'heap', params: {}, seed: 1 },
    status,
    machine: 'm',
    node: '20',
    artifactKinds: [],
  })

  it('keeps where a cancelled run stopped, even when the engine reports a final "done" phase', () => {
    store.getState().trackRun(id, { workload: 'orderbook', variant: 'heap', label: 'x' })
    store.getState().applyProgress([{ runId: id, phase: 'timing', fraction: 0.4, overall: 0.42 }])
    store.getState().applyProgress([{ runId: id, phase: 'done', fraction: 1, overall: 1 }])
    store.getState().finishLiveRun({ runId: id, status: 'cancelled', summary: summary('cancelled') })
    expect(store.getState().liveRuns[id]?.progress).toMatchObject({ phase: 'timing', overall: 0.42 })
    // The elapsed clock stops when the run ends.
    expect(store.getState().liveRuns[id]?.finishedAt).toEqual(expect.any(Number))
  })

  it('adopts a run it did not start (after a reload) with its label and start time from the events', () => {
    const startedAt = Date.now() - 42_000
    store.getState().applyProgress([{ runId: id, phase: 'timing', fraction: 0.5, overall: 0.3, label: 'book before', startedAt }])
    expect(store.getState().liveRuns[id]).toMatchObject({ label: 'book before', startedAt })
  })

  it('does not adopt a run from a lone "done" event', () => {
    store.getState().applyProgress([{ runId: id, phase: 'done', fraction: 1, overall: 1 }])
    expect(store.getState().liveRuns[id]).toBeUndefined()
  })

  it('clears a success notice on navigation but keeps an error', () => {
    store.getState().showNotice({ kind: 'success', text: 'Deleted 1 run.' })
    store.getState().navigate({ view: 'environment' })
    expect(store.getState().notice).toBeNull()
    store.getState().showNotice({ kind: 'error', text: 'Import failed' })
    store.getState().navigate({ view: 'runs' })
    expect(store.getState().notice?.text).toBe('Import failed')
  })
})
