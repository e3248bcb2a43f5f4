/**
 * The service's one profile diff (service/profile-diff.ts, WorkbenchApi.diffProfiles) over a real store in a
 * temp folder holding the naive and optimized order book's real CPU profiles: per-operation normalisation
 * from each run's profiled pass, the JSON round trip the HTTP transport makes, and clear refusals.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { diffProfiles } from '../../../core/compare/call-tree-diff.js'
import { RUN_FILES } from '../../../core/model/run-layout.js'
import type { RunRecord } from '../../../core/model/run.js'
import { diffRunProfiles, profiledOperations } from '../../../service/profile-diff.js'
import { createWorkbenchService, type WorkbenchService } from '../../../service/workbench-service.js'
import { openRunStore, type RunStore } from '../../../store/run-store.js'
import { makeRun } from '../../helpers/make-run.js'
import { PROFILE_FIXTURES, readProfileFixture } from '../../helpers/profile-from-text.js'

let dir: string
let store: RunStore
let service: WorkbenchService
const runs: Record<'naive' | 'optimized' | 'bare', RunRecord> = {} as never
const ops = JSON.parse(readProfileFixture('orderbook.operations.json')) as Record<string, { profiledOperations: number }>

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-profile-diff-'))
  store = openRunStore(dir)
  for (const variant of ['naive', 'optimized'] as const) {
    const base = makeRun({ workload: { id: 'orderbook', variant, params: {}, seed: 42 } })
    const runDir = await store.createRunDir(base.id)
    const file = path.join(runDir, RUN_FILES.cpuProfile)
    await copyFile(path.join(PROFILE_FIXTURES, `orderbook-${variant}.cpuprofile`), file)
    const run: RunRecord = {
      ...base,
      capture: { ...base.capture, profile: ['cpu'], timingPass: true },
      profilerOverhead: { timingOpsPerSec: 1, profiledOpsPerSec: 1, overheadPct: 0, profiledOperations: ops[variant]!.profiledOperations },
      artifacts: [await store.describeArtifact(base.id, 'cpuprofile', RUN_FILES.cpuProfile)],
    }
    await store.save(run)
    runs[variant] = run
  }
  runs.bare = makeRun()
  await store.createRunDir(runs.bare.id)
  await store.save(runs.bare)
  service = createWorkbenchService({ store, log: () => {} })
})

afterAll(async () => {
  await service?.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('diffRunProfiles', () => {
  it('normalises each run per operation of its profiled pass', async () => {
    expect(profiledOperations(runs.naive)).toBe(ops.naive!.profiledOperations)
    const diff = await diffRunProfiles(store, [runs.naive.id], [runs.optimized.id])
    expect(diff.method.perOp).toBe(true)
    expect(diff.functions[0]!.name).toBe('rebuildHeap')
    expect(diff.alignment.harnessHidden).toBe(true)
    // The same numbers as core's diff on the same inputs: one diff, wherever it is asked for.
    const direct = diffProfiles(
      [{ profile: JSON.parse(readProfileFixture('orderbook-naive.cpuprofile')), operations: ops.naive!.profiledOperations }],
      [{ profile: JSON.parse(readProfileFixture('orderbook-optimized.cpuprofile')), operations: ops.optimized!.profiledOperations }],
    )
    expect(diff).toEqual(direct)
  })

  it('gives the same diff from a worker thread (large profiles)', async () => {
    const inThread = await diffRunProfiles(store, [runs.naive.id], [runs.optimized.id])
    const inWorker = await diffRunProfiles(store, [runs.naive.id], [runs.optimized.id], {}, { workerAboveBytes: 0 })
    expect(inWorker).toEqual(inThread)
  })

  it('falls back to shares for runs without an operation count', () => {
    expect(profiledOperations({ ...runs.naive, profilerOverhead: undefined } as RunRecord)).toBeUndefined()
    expect(profiledOperations({ ...runs.naive, capture: { ...runs.naive.capture, timingPass: false } })).toBe(
      runs.naive.metrics!.operations,
    )
  })
})

describe('WorkbenchApi.diffProfiles', () => {
  it('serves a diff that survives JSON (the HTTP transport)', async () => {
    const diff = await service.diffProfiles([runs.naive.id], [runs.optimized.id], {})
    const wire = JSON.parse(JSON.stringify(diff)) as typeof diff
    expect(wire).toEqual(diff)
    expect(wire.tree.baselineTotalMsPerOp?.length).toBe(wire.tree.length)
  })

  it('keeps harness frames when asked', async () => {
    const diff = await service.diffProfiles([runs.naive.id], [runs.optimized.id], { hideHarness: false })
    expect(diff.alignment.harnessHidden).toBe(false)
    expect(diff.functions.some((f) => f.name === 'measure')).toBe(true)
  })

  it('refuses a run without a CPU profile, naming it', async () => {
    await expect(service.diffProfiles([runs.bare.id], [runs.optimized.id])).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining(`${runs.bare.id} has no CPU profile`),
    })
  })

  it('applies the transform stack to both sides before diffing', async () => {
    const plain = await service.diffProfiles([runs.naive.id], [runs.optimized.id], {})
    // The naive variant's setLevel (the optimized one has its own, in another file).
    const setLevelKey = plain.functions.find((f) => f.name === 'setLevel' && f.url.endsWith('naive.js'))!.key
    const merged = await service.diffProfiles([runs.naive.id], [runs.optimized.id], {
      transforms: [
        { type: 'merge-function', fn: setLevelKey },
        { type: 'hide-frame', frame: '(garbage collector)' },
      ],
    })
    expect(merged.functions.some((f) => f.key === setLevelKey)).toBe(false)
    expect(merged.functions.some((f) => f.name === '(garbage collector)')).toBe(false)
    expect(plain.functions.some((f) => f.name === '(garbage collector)')).toBe(true)
    // The same as core's diff with the same transforms: one diff, both sides transformed alike.
    const direct = diffProfiles(
      [{ profile: JSON.parse(readProfileFixture('orderbook-naive.cpuprofile')), operations: ops.naive!.profiledOperations }],
      [{ profile: JSON.parse(readProfileFixture('orderbook-optimized.cpuprofile')), operations: ops.optimized!.profiledOperations }],
      {
        transforms: [
          { type: 'merge-function', fn: setLevelKey },
          { type: 'hide-frame', frame: '(garbage collector)' },
        ],
      },
    )
    expect(merged).toEqual(direct)
  })

  it('refuses a malformed transform stack', async () => {
    for (const transforms of [[{ type: 'focus-function' }], [{ type: 'explode', fn: 'x' }], [{ type: 'hide-frame', frame: 'main' }]]) {
      await expect(service.diffProfiles([runs.naive.id], [runs.optimized.id], { transforms } as never)).rejects.toMatchObject({
        code: 'bad-request',
      })
    }
  })

  it('refuses unknown runs and options', async () => {
    await expect(service.diffProfiles(['20260101T000000000Z-nope-1'], [runs.optimized.id])).rejects.toMatchObject({ code: 'not-found' })
    await expect(service.diffProfiles([runs.naive.id], [runs.optimized.id], { bogus: 1 } as never)).rejects.toMatchObject({
      code: 'bad-request',
    })
  })
})
