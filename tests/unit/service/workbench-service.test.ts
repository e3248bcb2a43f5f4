/**
 * WorkbenchService over a real run store in a temp folder, with a fake run executor (deterministic,
 * no child processes) and a fixed environment: argument validation on every method, error mapping,
 * events, active-run tracking, artifacts, bundles and streamed imports.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiValidationError, type WorkbenchEventName, apiMethods } from '../../../core/api/contract.js'
import { apiSchemas } from '../../../core/api/schemas.js'
import { REDACTED } from '../../../core/format/environment.js'
import type { RunId, RunRecord } from '../../../core/model/run.js'
import type { WorkloadDescriptor } from '../../../core/model/workload.js'
import type { RunExecution, RunExecutorDeps } from '../../../service/run-executor.js'
import { type WorkbenchService, WorkbenchError, createWorkbenchService } from '../../../service/workbench-service.js'
import { type RunStore, openRunStore } from '../../../store/run-store.js'
import { makeRun, testEnvironment } from '../../helpers/make-run.js'

const descriptor: WorkloadDescriptor = {
  id: 'fake',
  title: 'Fake',
  description: 'A workload that only exists in this test.',
  operation: 'nothing',
  variants: [
    { id: 'a', title: 'A', description: 'a', role: 'naive' },
    { id: 'b', title: 'B', description: 'b', role: 'optimized' },
  ],
  defaultVariant: 'a',
  params: {},
  figureToBeat: 'none',
}

/** A run executor that records its calls and finishes when the test says so (hyperfine's FakeExecutor idea). */
function createFakeExecutor(store: RunStore) {
  const started: {
    request: unknown
    deps: RunExecutorDeps
    cancelled: boolean
    finish: () => Promise<RunRecord>
    fail: (err: Error) => void
  }[] = []
  let n = 0
  const start = (request: unknown, deps: RunExecutorDeps): RunExecution => {
    const r = request as { workload?: string; iterations?: number }
    if (r.workload !== 'fake')
      throw new ApiValidationError(`Unknown workload "${r.workload}". Valid workloads: fake`, ['workload: unknown (valid: fake)'])
    const run = makeRun({
      workload: { id: 'fake', variant: 'a', params: {}, seed: 42 },
      at: new Date(Date.UTC(2026, 10, 23, 9, 0, 0, n++)),
    })
    let resolve!: (r: RunRecord) => void
    let reject!: (e: Error) => void
    const done = new Promise<RunRecord>((res, rej) => {
      resolve = res
      reject = rej
    })
    const entry = {
      request,
      deps,
      cancelled: false,
      finish: async () => {
        await store.save(run)
        deps.onEvent?.('runFinished', { runId: run.id, status: 'ok', summary: { ...(await store.list())[0]! } })
        resolve(run)
        return run
      },
      fail: (err: Error) => reject(err),
    }
    started.push(entry)
    deps.onEvent?.('runProgress', { runId: run.id, phase: 'spawning', fraction: 0, overall: 0 })
    return {
      runId: run.id,
      done,
      cancel: () => {
        entry.cancelled = true
        resolve({ ...run, status: 'cancelled' })
      },
    }
  }
  return { start, started }
}

let dir: string
let store: RunStore
let service: WorkbenchService
let executor: ReturnType<typeof createFakeExecutor>
let events: { name: WorkbenchEventName; payload: unknown }[]
let logged: string[]

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-service-'))
  store = openRunStore(dir)
  executor = createFakeExecutor(store)
  logged = []
  service = createWorkbenchService({
    store,
    defaultRuntime: { path: '/opt/electron', env: { ELECTRON_RUN_AS_NODE: '1' } },
    log: (m) => logged.push(m),
    deps: { startRunExecution: executor.start, listWorkloads: () => [descriptor], captureEnvironment: async () => testEnvironment },
  })
  events = []
  service.onAny((name, payload) => events.push({ name, payload }))
})

afterEach(async () => {
  await service.dispose()
  await rm(dir, { recursive: true, force: true })
})

async function rejection(promise: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError)
    return err as WorkbenchError
  }
  throw new Error('expected the call to fail')
}

const call = (s: WorkbenchService, method: string, args: unknown[]): Promise<unknown> =>
  (s as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args)

describe('argument validation', () => {
  it('rejects wrong arguments on every method with bad-request, before doing anything', async () => {
    for (const method of apiMethods) {
      // One argument too many of the wrong type fails every tuple schema.
      const err = await rejection(call(service, method, [{ bogus: true }, 42, 'x', null]))
      expect(err.code, method).toBe('bad-request')
      expect(err.message, method).toContain(`Invalid arguments for ${method}`)
    }
    expect(executor.started).toHaveLength(0)
    expect(events).toHaveLength(0)
  })

  it('names the offending field of a run request', async () => {
    const err = await rejection(service.startRun({ workload: 'fake', iterations: -1, bogus: 1 } as never))
    expect(err.issues).toEqual(expect.arrayContaining([expect.stringMatching(/^0\.iterations: /), expect.stringMatching(/bogus/)]))
    expect(err.message).toMatch(/iterations/)
  })

  it('passes the executor’s own validation failures through as bad-request with issues', async () => {
    const err = await rejection(service.startRun({ workload: 'nope' }))
    expect(err.code).toBe('bad-request')
    expect(err.message).toContain('Unknown workload "nope"')
    expect(err.issues).toEqual(['workload: unknown (valid: fake)'])
  })
})

describe('runs in the store', () => {
  let run: RunRecord
  beforeEach(async () => {
    run = makeRun()
    await store.save(run)
  })

  it('lists, filters and gets runs; results match the contract', async () => {
    const all = await service.listRuns()
    expect(all.map((r) => r.id)).toEqual([run.id])
    expect(apiSchemas.listRuns.result.safeParse(all).success).toBe(true)
    expect(await service.listRuns({ workload: 'other' })).toEqual([])
    const got = await service.getRun(run.id)
    expect(got.id).toBe(run.id)
    expect(apiSchemas.getRun.result.safeParse(got).success).toBe(true)
  })

  it('pages runs newest first with the total the filter matches, and refuses pages out of range', async () => {
    const older = makeRun({ at: new Date(Date.UTC(2025, 0, 1)), workload: { id: 'var', variant: 'pooled', params: {}, seed: 1 } })
    const newer = makeRun({ at: new Date(Date.UTC(2027, 0, 1)) })
    await store.save(older)
    await store.save(newer)
    const first = await service.listRunPage(undefined, { offset: 0, limit: 2 })
    expect(apiSchemas.listRunPage.result.safeParse(first).success).toBe(true)
    expect(first.total).toBe(3)
    expect(first.runs.map((r) => r.id)).toEqual([newer.id, run.id])
    expect((await service.listRunPage(undefined, { offset: 2, limit: 2 })).runs.map((r) => r.id)).toEqual([older.id])
    expect(await service.listRunPage({ workload: 'var' }, { offset: 0, limit: 10 })).toMatchObject({ total: 1, runs: [{ id: older.id }] })
    expect(await service.listRunPage({ text: 'POOLED' }, { offset: 0, limit: 10 })).toMatchObject({ total: 1, runs: [{ id: older.id }] })
    for (const page of [{ offset: -1, limit: 10 }, { offset: 0, limit: 1001 }, { offset: 0, limit: 0 }, { offset: 0.5, limit: 10 }]) {
      const err = await rejection(service.listRunPage(undefined, page))
      expect(err.code, JSON.stringify(page)).toBe('bad-request')
      expect(err.message).toMatch(/listRunPage.*(offset|limit)/)
    }
  })

  it('maps a missing run to not-found with a message naming it', async () => {
    const missing = '20261123T070000000Z-orderbook-naive-zzzz' as RunId
    const err = await rejection(service.getRun(missing))
    expect(err.code).toBe('not-found')
    expect(err.message).toContain(missing)
    expect((await rejection(service.updateRun(missing, { label: 'x' }))).code).toBe('not-found')
    expect((await rejection(service.exportRuns([missing]))).code).toBe('not-found')
    expect((await rejection(service.readArtifact(missing, 'cpu.cpuprofile'))).code).toBe('not-found')
  })

  it('updates a run and tells listeners the library changed', async () => {
    const seen: string[] = []
    const off = service.on('runsChanged', (p) => seen.push(p.reason))
    const updated = await service.updateRun(run.id, { label: 'renamed', tags: ['x', 'x', 'y'] })
    expect(updated.label).toBe('renamed')
    expect(updated.tags).toEqual(['x', 'y'])
    expect((await service.getRun(run.id)).label).toBe('renamed')
    expect(seen).toHaveLength(1)
    off()
    await service.updateRun(run.id, { notes: 'n' })
    expect(seen).toHaveLength(1)
  })

  it('deletes a run once', async () => {
    expect(await service.deleteRun(run.id)).toEqual({ deleted: true })
    expect(await service.deleteRun(run.id)).toEqual({ deleted: false })
    expect(events.filter((e) => e.name === 'runsChanged')).toHaveLength(1)
  })

  it('reads artifacts inside the run folder only', async () => {
    await writeFile(store.artifactPath(run.id, 'stderr.log'), 'hello')
    expect(new TextDecoder().decode(await service.readArtifact(run.id, 'stderr.log'))).toBe('hello')
    const escape = await rejection(service.readArtifact(run.id, '../../package.json'))
    expect(escape.code).toBe('bad-request')
    expect(escape.message).toMatch(/leaves its folder/)
    expect((await rejection(service.readArtifact(run.id, '/etc/passwd'))).code).toBe('bad-request')
    expect((await rejection(service.readArtifact(run.id, 'nothing-here.cpuprofile'))).code).toBe('not-found')
  })

  it('calls a malformed heap snapshot bad input, not an internal error', async () => {
    await writeFile(store.artifactPath(run.id, 'heap-end.heapsnapshot'), '{"snapshot":{"meta":{"node_fields":["type"')
    const err = await rejection(service.getHeapSummary(run.id, 'heap-end.heapsnapshot'))
    expect(err.code).toBe('bad-request')
    expect(err.message).toContain('heap-end.heapsnapshot')
  })

  it('refuses artifacts over the in-memory limit with too-large', async () => {
    const small = createWorkbenchService({ store, maxReadArtifactBytes: 4, deps: { listWorkloads: () => [] } })
    await writeFile(store.artifactPath(run.id, 'stderr.log'), 'hello')
    expect((await rejection(small.readArtifact(run.id, 'stderr.log'))).code).toBe('too-large')
  })

  it('exports a bundle that imports into another store, announcing the import', async () => {
    const bytes = await service.exportRuns([run.id])
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b])
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-service-b-'))
    try {
      const other = createWorkbenchService({ store: openRunStore(otherDir), deps: { listWorkloads: () => [] } })
      const changed: string[] = []
      other.on('runsChanged', (p) => changed.push(p.reason))
      const result = await other.importFile('runs.tgz', bytes)
      expect(result).toEqual({ imported: [run.id], skipped: [] })
      expect((await other.getRun(run.id)).label).toBe(run.label)
      expect(changed).toHaveLength(1)
      // Importing again skips the run already there instead of overwriting it.
      const again = await other.importFile('runs.tgz', bytes)
      expect(again.imported).toEqual([])
      expect(again.skipped.map((s) => s.id)).toEqual([run.id])
    } finally {
      await rm(otherDir, { recursive: true, force: true })
    }
  })

  it('keeps a file name that starts a message as it is spelled, and reports a local import checking a big file', async () => {
    const err = await rejection(service.importFile('trunc.cpuprofile', new TextEncoder().encode('{"nodes":[{"id":1,"callFrame":{')))
    expect(err.code).toBe('bad-request')
    expect(err.message).toMatch(/^trunc\.cpuprofile: CPU profile: the file ends at byte 31 while/)
    const missing = await rejection(service.getRun('20261123T070000000Z-orderbook-naive-zzzz' as RunId))
    expect(missing.message[0]).toBe(missing.message[0]?.toUpperCase())
    const file = path.join(dir, 'local.cpuprofile')
    await writeFile(
      file,
      JSON.stringify({
        nodes: [{ id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 1 }],
        startTime: 0,
        endTime: 10,
        samples: [1],
        timeDeltas: [10],
      }),
    )
    const seen: number[] = []
    const result = await service.importLocalFile(file, { onProgress: (done) => seen.push(done) })
    expect(result.imported).toHaveLength(1)
    expect(seen.at(-1)).toBeGreaterThan(0)
  })

  it('rejects a file that is not a bundle or profile with a clear message', async () => {
    const err = await rejection(service.importFile('notes.txt', new TextEncoder().encode('hello')))
    expect(err.code).toBe('bad-request')
    expect(err.message).toMatch(/not a Hotpath bundle/)
  })
})

describe('streamed imports', () => {
  const cpuProfile = JSON.stringify({
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 1, children: [] },
    ],
    startTime: 0,
    endTime: 1000,
    samples: [1],
    timeDeltas: [1000],
  })

  it('imports a profile from a stream as a run of kind "imported"', async () => {
    const chunks = [cpuProfile.slice(0, 20), cpuProfile.slice(20)].map((s) => Buffer.from(s))
    const result = await service.importFileStream('my trace.cpuprofile', Readable.from(chunks), { maxBytes: 1024 * 1024 })
    expect(result.imported).toHaveLength(1)
    const run = await service.getRun(result.imported[0]!)
    expect(run.kind).toBe('imported')
    expect(run.label).toBe('my_trace.cpuprofile')
    expect(events.some((e) => e.name === 'runsChanged')).toBe(true)
    expect((await readdir(dir)).filter((f) => f.startsWith('.upload-'))).toEqual([])
  })

  it('stops at the size limit with too-large and leaves no temp file', async () => {
    const err = await rejection(
      service.importFileStream('big.cpuprofile', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 }),
    )
    expect(err.code).toBe('too-large')
    expect(err.message).toContain('1000-byte')
    expect((await readdir(dir)).filter((f) => f.startsWith('.upload-'))).toEqual([])
  })

  it('validates the file name like importFile', async () => {
    expect((await rejection(service.importFileStream('', Readable.from([Buffer.from('x')]), { maxBytes: 10 }))).code).toBe('bad-request')
  })
})

describe('runs in progress', () => {
  it('starts a run with the default runtime, forwards its events and tracks it until saved', async () => {
    const progress: string[] = []
    service.on('runProgress', (p) => progress.push(p.phase))
    const { runId } = await service.startRun({ workload: 'fake', iterations: 10 })
    expect(executor.started[0]!.request).toEqual({ workload: 'fake', iterations: 10 })
    expect(executor.started[0]!.deps.defaultRuntime).toEqual({ path: '/opt/electron', env: { ELECTRON_RUN_AS_NODE: '1' } })
    expect(progress).toEqual(['spawning'])
    expect(service.activeRunIds()).toEqual([runId])

    const conflict = await rejection(service.deleteRun(runId))
    expect(conflict.code).toBe('conflict')

    await executor.started[0]!.finish()
    await Promise.resolve()
    await new Promise((r) => setImmediate(r))
    expect(service.activeRunIds()).toEqual([])
    expect(events.map((e) => e.name)).toEqual(['runProgress', 'runFinished', 'runsChanged'])
    expect(await service.cancelRun(runId)).toEqual({ cancelled: false })
  })

  it('cancels an active run', async () => {
    const { runId } = await service.startRun({ workload: 'fake' })
    expect(await service.cancelRun(runId)).toEqual({ cancelled: true })
    expect(executor.started[0]!.cancelled).toBe(true)
  })

  it('reports an executor that fails outright instead of leaving the run active', async () => {
    const { runId } = await service.startRun({ workload: 'fake' })
    executor.started[0]!.fail(new Error('disk full'))
    await new Promise((r) => setImmediate(r))
    expect(service.activeRunIds()).toEqual([])
    expect(logged.join('\n')).toContain('disk full')
    const changed = events.filter((e) => e.name === 'runsChanged').map((e) => (e.payload as { reason: string }).reason)
    expect(changed).toEqual([expect.stringContaining(runId)])
  })

  it('dispose cancels every active run and waits for them', async () => {
    await service.startRun({ workload: 'fake' })
    await service.startRun({ workload: 'fake' })
    await service.dispose()
    expect(executor.started.map((s) => s.cancelled)).toEqual([true, true])
  })

  it('keeps emitting to other listeners when one throws', async () => {
    service.on('runProgress', () => {
      throw new Error('window gone')
    })
    const got: string[] = []
    service.on('runProgress', (p) => got.push(p.runId))
    await service.startRun({ workload: 'fake' })
    expect(got).toHaveLength(1)
    expect(logged.join('\n')).toContain('window gone')
  })
})

describe('workloads and environment', () => {
  it('lists workloads from the registry', async () => {
    expect(await service.listWorkloads()).toEqual([descriptor])
  })

  it('redacts the environment unless asked not to, with a Markdown report', async () => {
    const redacted = await service.getEnvironment({ redact: true })
    expect(redacted.environment.os.hostname).toBe(REDACTED)
    expect(redacted.markdown).toContain('AMD EPYC 7B13')
    expect(redacted.markdown).not.toContain('build-host-7')
    const raw = await service.getEnvironment({ redact: false })
    expect(raw.environment.os.hostname).toBe('build-host-7')
    expect(apiSchemas.getEnvironment.result.safeParse(raw).success).toBe(true)
  })

  it('uses the real workload registry by default', async () => {
    const real = createWorkbenchService({ store })
    const list = await real.listWorkloads()
    expect(list.length).toBeGreaterThan(0)
    expect(apiSchemas.listWorkloads.result.safeParse(list).success).toBe(true)
  })
})
