/**
 * Sweeps through WorkbenchService with a fake executor: startSweep checks every run against the
 * descriptor (ranges and rules) before the first starts, runs them one after another under one group
 * with labels per value, stops after a cancelled run; runSweep runs the same plan through a caller's
 * runOne (the CLI); checkRuntime answers with the engine's runtime check.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunRequest } from '../../../core/api/schemas.js'
import type { RunRecord } from '../../../core/model/run.js'
import type { WorkloadDescriptor } from '../../../core/model/workload.js'
import { RuntimeCheckError } from '../../../profilers/runtime-check.js'
import type { RunExecution } from '../../../service/run-executor.js'
import { type WorkbenchService, WorkbenchError, createWorkbenchService } from '../../../service/workbench-service.js'
import { type RunStore, openRunStore } from '../../../store/run-store.js'
import { makeRun } from '../../helpers/make-run.js'

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
  params: {
    workers: { type: 'int', description: 'threads', default: 1, min: 1, max: 16 },
    entryZ: { type: 'number', description: 'open', default: 2, min: 0.1, max: 10 },
    exitZ: { type: 'number', description: 'close', default: 0.5, min: 0, max: 10 },
  },
  rules: [{ left: ['exitZ'], op: '<', right: ['entryZ'] }],
  figureToBeat: 'none',
}

let dir: string
let store: RunStore
let service: WorkbenchService
let started: { request: RunRequest; finish(status?: RunRecord['status']): Promise<void> }[]

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-sweep-'))
  store = openRunStore(dir)
  started = []
  let n = 0
  const start = (input: unknown): RunExecution => {
    const request = input as RunRequest
    const run = makeRun({
      workload: { id: 'fake', variant: 'a', params: request.params ?? {}, seed: 42 },
      label: request.label ?? '',
      ...(request.group ? { group: request.group } : {}),
      at: new Date(Date.UTC(2026, 10, 23, 9, 0, 0, n++)),
    })
    let resolve!: (r: RunRecord) => void
    const done = new Promise<RunRecord>((res) => (resolve = res))
    started.push({
      request,
      finish: async (status = 'ok') => {
        await store.save({ ...run, status })
        resolve({ ...run, status })
        // Let the service's loop start the next run.
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
      },
    })
    return { runId: run.id, done, cancel: () => resolve({ ...run, status: 'cancelled' }) }
  }
  service = createWorkbenchService({
    store,
    log: () => undefined,
    deps: {
      startRunExecution: start,
      listWorkloads: () => [descriptor],
      checkRuntime: async (runtime) => {
        if (runtime === '/usr/bin/node22') return '22.11.0'
        throw new RuntimeCheckError(`the runtime ${runtime} is not Node: --version printed "hello", not v<major>.<minor>.<patch>`)
      },
    },
  })
})

afterEach(async () => {
  await service.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('startSweep', () => {
  it('starts one run per value, one after another, grouped and labelled', async () => {
    const answer = await service.startSweep({ run: { workload: 'fake', label: 'scale', iterations: 5 }, axes: [{ param: 'workers', values: [1, 2, 4] }] })
    expect(answer.runs).toBe(3)
    expect(answer.group).toMatch(/^sweep-\d{8}T\d{6}-[0-9a-f]{4}$/)
    expect(started).toHaveLength(1)
    await started[0]!.finish()
    expect(started).toHaveLength(2)
    await started[1]!.finish()
    await started[2]!.finish()
    expect(started.map((s) => s.request.params)).toEqual([{ workers: 1 }, { workers: 2 }, { workers: 4 }])
    expect(started.map((s) => s.request.label)).toEqual(['scale workers=1', 'scale workers=2', 'scale workers=4'])
    expect(new Set(started.map((s) => s.request.group))).toEqual(new Set([answer.group]))
    expect(started.every((s) => s.request.iterations === 5)).toBe(true)
    expect((await store.list({ group: answer.group })).length).toBe(3)
  })

  it('stops after a cancelled run', async () => {
    await service.startSweep({ run: { workload: 'fake' }, axes: [{ param: 'workers', values: [1, 2, 4] }] })
    await started[0]!.finish('cancelled')
    expect(started).toHaveLength(1)
  })

  it("refuses a sweep whose runs break the descriptor's rules before starting any, naming the run", async () => {
    let err: unknown
    try {
      await service.startSweep({ run: { workload: 'fake', params: { entryZ: 1 } }, axes: [{ param: 'exitZ', values: [0.5, 1.5] }] })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(WorkbenchError)
    expect((err as WorkbenchError).code).toBe('bad-request')
    expect((err as WorkbenchError).issues).toEqual(['params.exitZ: exitZ (1.5) must be below entryZ (1) (valid: exitZ below entryZ) in the run with exitZ=1.5'])
    expect(started).toHaveLength(0)
  })

  it('refuses a sweep without several values, or too many runs', async () => {
    await expect(service.startSweep({ run: { workload: 'fake' }, axes: [{ param: 'workers', values: [2] }] })).rejects.toThrow(/several values/)
    const many = Array.from({ length: 15 }, (_, i) => i + 1)
    await expect(
      service.startSweep({ run: { workload: 'fake' }, axes: [{ param: 'workers', values: many }, { param: 'exitZ', values: many.map((v) => v / 100) }] }),
    ).rejects.toThrow(/225 runs; at most 200/)
    expect(started).toHaveLength(0)
  })
})

describe('runSweep (the CLI door)', () => {
  it('runs the same plan through the caller’s runOne, with values typed as text parsed by the descriptor', async () => {
    const seen: string[] = []
    const { plan, runs } = await service.runSweep(
      { run: { workload: 'fake' }, axes: [{ param: 'workers', values: ['1', '2'] }, { param: 'exitZ', values: ['0.25'] }] },
      {
        runOne: async (request, i, p) => {
          seen.push(`${i + 1}/${p.requests.length} ${request.label}`)
          const { runId } = await service.startRun(request)
          await started[i]!.finish()
          return store.get(runId)
        },
      },
    )
    expect(plan.swept).toEqual(['workers'])
    expect(plan.requests.map((r) => r.params)).toEqual([
      { workers: 1, exitZ: 0.25 },
      { workers: 2, exitZ: 0.25 },
    ])
    expect(seen).toEqual(['1/2 fake sweep workers=1 exitZ=0.25', '2/2 fake sweep workers=2 exitZ=0.25'])
    expect(runs.map((r) => r.group)).toEqual([plan.group, plan.group])
  })
})

describe('checkRuntime', () => {
  it("answers with the runtime's Node version or the engine's reason", async () => {
    expect(await service.checkRuntime('/usr/bin/node22')).toEqual({ ok: true, node: '22.11.0' })
    expect(await service.checkRuntime('/bin/echo')).toEqual({ ok: false, message: expect.stringMatching(/^The runtime \/bin\/echo is not Node/) })
  })
})
