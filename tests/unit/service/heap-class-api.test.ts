/**
 * WorkbenchApi.compareHeapClasses over a real store: two runs, each with a real heap-end snapshot (the
 * leak fixture's start and end, gzipped as recorded), compared by class in the heap worker.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RUN_FILES } from '../../../core/model/run-layout.js'
import type { RunRecord } from '../../../core/model/run.js'
import { createWorkbenchService, type WorkbenchService } from '../../../service/workbench-service.js'
import { openRunStore } from '../../../store/run-store.js'
import { makeRun } from '../../helpers/make-run.js'
import { fixtureDir } from '../core/import/heap-snapshot-fixtures.js'

let dir: string
let service: WorkbenchService
const runs: RunRecord[] = []

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-heap-class-'))
  const store = openRunStore(dir)
  for (const which of ['leak-start', 'leak-end']) {
    const base = makeRun()
    const runDir = await store.createRunDir(base.id)
    await copyFile(path.join(fixtureDir, `${which}.heapsnapshot.gz`), path.join(runDir, RUN_FILES.heapEnd))
    const run = { ...base, artifacts: [await store.describeArtifact(base.id, 'heapsnapshot', RUN_FILES.heapEnd)] }
    await store.save(run)
    runs.push(run)
  }
  service = createWorkbenchService({ store, log: () => {} })
}, 60_000)

afterAll(async () => {
  await service?.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('compareHeapClasses', () => {
  it('compares two runs by class, not by object id', async () => {
    const [a, b] = runs as [RunRecord, RunRecord]
    const cmp = await service.compareHeapClasses({ runId: a.id, file: RUN_FILES.heapEnd }, { runId: b.id, file: RUN_FILES.heapEnd })
    const leaky = cmp.classes.find((c) => c.name === 'LeakyThing')!
    expect(leaky).toMatchObject({ baseCount: 100, targetCount: 2100, deltaCount: 2000 })
    expect(cmp.classes.slice(0, 3).map((c) => c.name)).toContain('LeakyThing')
    expect(JSON.parse(JSON.stringify(cmp))).toEqual(cmp)
  }, 60_000)

  it('refuses a file the run does not have', async () => {
    await expect(
      service.compareHeapClasses({ runId: runs[0]!.id, file: 'heap-start.heapsnapshot' }, { runId: runs[1]!.id, file: RUN_FILES.heapEnd }),
    ).rejects.toMatchObject({
      code: 'not-found',
    })
  })
})
