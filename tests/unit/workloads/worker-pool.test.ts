import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { digestAnswer } from '../../../workloads/data/digest.js'
import {
  type WorkerPool,
  type WorkerTasks,
  createWorkerPool,
  siblingModuleUrl,
  splitRange,
} from '../../../workloads/harness/worker-pool.js'
import { workload as backtest } from '../../../workloads/backtest/index.js'
import { workload as eventStream } from '../../../workloads/event-stream/index.js'
import { workload as marketData } from '../../../workloads/market-data/index.js'
import { workload as valueAtRisk } from '../../../workloads/var/index.js'
import type { WorkloadModule } from '../../../workloads/types.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const poolTsUrl = pathToFileURL(path.join(repoRoot, 'workloads/harness/worker-pool.ts')).href
const prngTsUrl = pathToFileURL(path.join(repoRoot, 'workloads/data/prng.js')).href
const distDir = path.join(repoRoot, 'dist')

/** The task modules of these tests, written to a temp folder: plain JS importing the pool whose helpers they use. */
function tasksSource(poolUrl: string): string {
  return `
import { withTransfer } from ${JSON.stringify(poolUrl)}
let total = 0
export const tasks = {
  whoami(_payload, ctx) { return { index: ctx.index, size: ctx.size } },
  add(n) { total += n; return total },
  addLater(n) { return new Promise((resolve) => setTimeout(() => { total += n; resolve(total) }, n)) },
  fill({ shared, from, to, value }) { for (let i = from; i < to; i++) shared[i] = value; return to - from },
  makeBuffer(n) { const a = new Float64Array(n).fill(7); return withTransfer(a, [a.buffer]) },
  byteLength(buffer) { return buffer.byteLength },
  fail(message) { throw new Error(message) },
  crash() { setTimeout(() => { throw new Error('boom in a timer') }); return new Promise(() => {}) },
}
`
}

/** A TypeScript task module: types and a .js-suffixed import of a .ts source, as the workloads have. */
const TS_TASKS = `
import { createRng } from ${JSON.stringify(prngTsUrl)}
interface Draw { seed: number; count: number }
export const tasks = {
  draw(payload: Draw): number[] {
    const rng = createRng(payload.seed)
    return Array.from({ length: payload.count }, (): number => rng.nextU32())
  },
}
`

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hotpath-pool-'))
  writeFileSync(path.join(dir, 'tasks.mjs'), tasksSource(poolTsUrl))
  // As in the repo: .ts files are ES modules because the nearest package.json says so.
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(path.join(dir, 'tasks.ts'), TS_TASKS)
  writeFileSync(path.join(dir, 'broken.mjs'), `throw new Error('cannot load this')\n`)
  writeFileSync(path.join(dir, 'no-tasks.mjs'), `export const something = 1\n`)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function withPool<T>(size: number, file: string, fn: (pool: WorkerPool<WorkerTasks>) => Promise<T>): Promise<T> {
  const pool = await createWorkerPool<WorkerTasks>({ size, tasksUrl: pathToFileURL(path.join(dir, file)), name: 'test' })
  try {
    return await fn(pool)
  } finally {
    await pool.close()
  }
}

describe('splitRange and siblingModuleUrl', () => {
  it('splits [0, n) into contiguous ranges differing by at most one', () => {
    expect(splitRange(10, 3)).toEqual([
      [0, 4],
      [4, 7],
      [7, 10],
    ])
    expect(splitRange(2, 4)).toEqual([
      [0, 1],
      [1, 2],
      [2, 2],
      [2, 2],
    ])
    for (const [n, parts] of [
      [0, 1],
      [1000, 7],
      [5, 5],
    ] as const) {
      const ranges = splitRange(n, parts)
      expect(ranges).toHaveLength(parts)
      expect(ranges[0]![0]).toBe(0)
      expect(ranges[parts - 1]![1]).toBe(n)
      const lengths = ranges.map(([a, b]) => b - a)
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1)
      for (let i = 1; i < parts; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1])
    }
  })

  it('names a sibling module with the caller’s extension', () => {
    expect(siblingModuleUrl('file:///a/b/index.ts', 'worker-tasks').href).toBe('file:///a/b/worker-tasks.ts')
    expect(siblingModuleUrl('file:///a/b/index.js', 'worker-tasks').href).toBe('file:///a/b/worker-tasks.js')
  })
})

describe('worker pool from the TypeScript sources (tsx inside the workers)', () => {
  it('starts workers that know their index and load a TypeScript task module', async () => {
    await withPool(2, 'tasks.mjs', async (pool) => {
      expect(pool.size).toBe(2)
      expect(await pool.runOnEach('whoami', () => undefined as never)).toEqual([
        { index: 0, size: 2 },
        { index: 1, size: 2 },
      ])
    })
    const pool = await createWorkerPool<WorkerTasks>({ size: 1, tasksUrl: pathToFileURL(path.join(dir, 'tasks.ts')), name: 'ts' })
    try {
      const rng = (await import('../../../workloads/data/prng.js')).createRng(99)
      expect(await pool.run(0, 'draw', { seed: 99, count: 3 } as never)).toEqual([rng.nextU32(), rng.nextU32(), rng.nextU32()])
    } finally {
      await pool.close()
    }
  })

  it('runs one worker’s tasks in order, one at a time, keeping its state', async () => {
    await withPool(2, 'tasks.mjs', async (pool) => {
      // The first task takes longest; FIFO per worker means the running totals still come out in order.
      const results = await Promise.all([30, 1, 5].map((n) => pool.run(0, 'addLater', n as never)))
      expect(results).toEqual([30, 31, 36])
      expect(await pool.run(1, 'add', 2 as never)).toBe(2)
      expect(await pool.run(0, 'add', 0 as never)).toBe(36)
    })
  })

  it('shares a SharedArrayBuffer and transfers buffers both ways', async () => {
    await withPool(2, 'tasks.mjs', async (pool) => {
      const shared = new Float64Array(new SharedArrayBuffer(10 * 8))
      const ranges = splitRange(10, 2)
      await pool.runOnEach('fill', (i) => ({ shared, from: ranges[i]![0], to: ranges[i]![1], value: i + 1 }) as never)
      expect(Array.from(shared)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2])

      expect(Array.from((await pool.run(0, 'makeBuffer', 4 as never)) as Float64Array)).toEqual([7, 7, 7, 7])

      const outgoing = new ArrayBuffer(64)
      expect(await pool.run(1, 'byteLength', outgoing as never, [outgoing])).toBe(64)
      expect(outgoing.byteLength).toBe(0)
    })
  })

  it('rejects a failing or unknown task with the worker’s message and keeps working', async () => {
    await withPool(1, 'tasks.mjs', async (pool) => {
      await expect(pool.run(0, 'fail', 'bad input 42' as never)).rejects.toThrow(/task failed in worker 0: bad input 42/)
      await expect(pool.run(0, 'nope', undefined as never)).rejects.toThrow(/unknown task nope/)
      expect(await pool.run(0, 'add', 1 as never)).toBe(1)
    })
  })

  it('fails pending and later tasks when a worker crashes, instead of hanging', async () => {
    await withPool(2, 'tasks.mjs', async (pool) => {
      await expect(pool.run(1, 'crash', undefined as never)).rejects.toThrow(/worker 1 crashed: boom in a timer/)
      await expect(pool.run(0, 'add', 1 as never)).rejects.toThrow(/crashed/)
    })
  })

  it('rejects at start-up when the task module cannot be loaded or exports no tasks', async () => {
    await expect(createWorkerPool({ size: 2, tasksUrl: pathToFileURL(path.join(dir, 'broken.mjs')), name: 'broken' })).rejects.toThrow(
      /could not load .*broken\.mjs: cannot load this/,
    )
    await expect(createWorkerPool({ size: 1, tasksUrl: pathToFileURL(path.join(dir, 'no-tasks.mjs')), name: 'empty' })).rejects.toThrow(
      /does not export a tasks object/,
    )
    await expect(createWorkerPool({ size: 0, tasksUrl: pathToFileURL(path.join(dir, 'tasks.mjs')), name: 'zero' })).rejects.toThrow(
      /size must be/,
    )
  })

  it('closes idempotently and refuses tasks afterwards', async () => {
    const pool = await createWorkerPool<WorkerTasks>({ size: 1, tasksUrl: pathToFileURL(path.join(dir, 'tasks.mjs')), name: 'closing' })
    const pending = expect(pool.run(0, 'addLater', 200 as never)).rejects.toThrow(/was closed/)
    await pool.close()
    await pool.close()
    await pending
    await expect(pool.run(0, 'add', 1 as never)).rejects.toThrow(/is closed/)
  })
})

describe('worker pool from the compiled JS under dist/ (plain node, no tsx)', () => {
  const PARALLEL = ['market-data', 'backtest', 'var', 'event-stream'] as const
  const MODULES: Record<(typeof PARALLEL)[number], WorkloadModule> = {
    'market-data': marketData,
    backtest,
    var: valueAtRisk,
    'event-stream': eventStream,
  }
  const SMALL: Record<(typeof PARALLEL)[number], Record<string, number>> = {
    'market-data': { symbols: 4 },
    backtest: { pairs: 3, days: 20, barsPerDay: 13, formationDays: 5, window: 20 },
    var: { paths: 3000, assets: 3, horizonDays: 2 },
    'event-stream': { events: 5000, batchEvents: 1000, symbols: 5, gaps: 3 },
  }

  function defaultsOf(id: string): Record<string, unknown> {
    const d = MODULES[id as (typeof PARALLEL)[number]].descriptor
    return Object.fromEntries(Object.entries(d.params).map(([k, spec]) => [k, spec.default]))
  }

  it('loads the pool and every parallel workload’s workers from dist/, with the in-thread answers', async () => {
    const poolJs = path.join(distDir, 'workloads/harness/worker-pool.js')
    expect(existsSync(poolJs), `${poolJs} is missing: run \`npm run build\` (tsc -b) before the tests`).toBe(true)
    for (const id of PARALLEL) {
      expect(
        existsSync(path.join(distDir, `workloads/${id}/worker-tasks.js`)),
        `dist/workloads/${id}/worker-tasks.js is missing: run npm run build`,
      ).toBe(true)
    }
    writeFileSync(path.join(dir, 'tasks-dist.mjs'), tasksSource(pathToFileURL(poolJs).href))
    const configs = PARALLEL.map((id) => ({ id, params: { ...defaultsOf(id), ...SMALL[id], workers: 2 } }))
    const script = `
import { createWorkerPool } from ${JSON.stringify(pathToFileURL(poolJs).href)}
import { digestAnswer } from ${JSON.stringify(pathToFileURL(path.join(distDir, 'workloads/data/digest.js')).href)}
const pool = await createWorkerPool({ size: 2, tasksUrl: new URL(${JSON.stringify(pathToFileURL(path.join(dir, 'tasks-dist.mjs')).href)}), name: 'dist' })
const who = await pool.runOnEach('whoami', () => undefined)
const buffer = Array.from(await pool.run(1, 'makeBuffer', 3))
await pool.close()
const digests = {}
for (const { id, params } of ${JSON.stringify(configs)}) {
  const { workload } = await import(${JSON.stringify(pathToFileURL(distDir).href)} + '/workloads/' + id + '/index.js')
  const inst = await workload.create({ variant: 'optimized', params, seed: 4 })
  await inst.iterate()
  digests[id] = digestAnswer(await inst.answer())
  await inst.close()
}
process.stdout.write(JSON.stringify({ who, buffer, digests }))
`
    const scriptPath = path.join(dir, 'dist-check.mjs')
    writeFileSync(scriptPath, script)
    const env = { ...process.env }
    delete env.NODE_OPTIONS
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [scriptPath], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      child.stdout.on('data', (c: Buffer) => (out += c.toString()))
      child.stderr.on('data', (c: Buffer) => (err += c.toString()))
      child.on('error', reject)
      child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }))
    })
    expect(code, stderr).toBe(0)
    const result = JSON.parse(stdout) as { who: unknown; buffer: number[]; digests: Record<string, string> }
    expect(result.who).toEqual([
      { index: 0, size: 2 },
      { index: 1, size: 2 },
    ])
    expect(result.buffer).toEqual([7, 7, 7])
    for (const { id, params } of configs) {
      const inst = await MODULES[id].create({
        variant: 'optimized',
        params: { ...(params as Record<string, number>), workers: 1 },
        seed: 4,
      })
      expect(result.digests[id], id).toBe(digestAnswer(await inst.answer()))
      await inst.close?.()
    }
  })
})
