/**
 * A small fixed pool of worker_threads for workloads that split one operation across threads. Workers
 * are started once, each imports one task module, and tasks run FIFO per worker, so a workload that
 * splits by index range gets the same answer whatever the thread timing.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type TransferListItem, Worker } from 'node:worker_threads'

/** What a task function learns about the worker it runs in. */
export interface WorkerTaskContext {
  /** This worker's index in the pool, 0-based. */
  index: number
  /** Number of workers in the pool. */
  size: number
}

/**
 * One task: takes a structured-clone payload and returns a value (or a promise of one). Typed with a
 * `never` payload so any one-argument function is assignable; the pool recovers the real types.
 */
export type WorkerTask = (payload: never, ctx: WorkerTaskContext) => unknown

/** The shape a task module exports as `tasks`: task name to task function. */
export type WorkerTasks = Record<string, WorkerTask>

const TRANSFER: unique symbol = Symbol.for('hotpath.worker-pool.transfer')

/** A task result whose buffers are moved to the caller instead of copied (see `withTransfer`). */
export interface Transferred<V> {
  readonly [TRANSFER]: true
  readonly value: V
  readonly transfer: TransferListItem[]
}

/** Wraps a task's result so the listed ArrayBuffers are transferred back, not cloned. */
export function withTransfer<V>(value: V, transfer: TransferListItem[]): Transferred<V> {
  return { [TRANSFER]: true, value, transfer }
}

export function isTransferred(x: unknown): x is Transferred<unknown> {
  return typeof x === 'object' && x !== null && (x as Partial<Transferred<unknown>>)[TRANSFER] === true
}

type Unwrapped<R> = R extends Transferred<infer V> ? V : R
/** The value a task's promise resolves to in the calling thread. */
export type TaskResult<F extends WorkerTask> = Unwrapped<Awaited<ReturnType<F>>>
/** The payload a task takes. */
export type TaskPayload<F extends WorkerTask> = Parameters<F>[0]

/** A running pool whose workers all loaded the task module `T`. */
export interface WorkerPool<T extends WorkerTasks> {
  readonly size: number
  /** Runs `task` on worker `index`; tasks sent to one worker run one after another, in order. */
  run<K extends keyof T & string>(
    index: number,
    task: K,
    payload: TaskPayload<T[K]>,
    transfer?: TransferListItem[],
  ): Promise<TaskResult<T[K]>>
  /** Runs `task` on every worker with its own payload; results come back in worker order. */
  runOnEach<K extends keyof T & string>(task: K, payloadFor: (index: number) => TaskPayload<T[K]>): Promise<TaskResult<T[K]>[]>
  /** Terminates every worker; pending tasks are rejected. Idempotent. */
  close(): Promise<void>
}

/** How to start a pool. */
export interface WorkerPoolOptions {
  /** Worker threads to start, at least 1. */
  size: number
  /** The module each worker imports; it must export `tasks: WorkerTasks`. A .ts URL loads through tsx. */
  tasksUrl: URL
  /** Shown in error messages and thread names, e.g. the workload id. */
  name: string
}

/** workerData of the worker entry. */
export interface WorkerBootData {
  tasksUrl: string
  index: number
  size: number
}

/** Messages from the parent to a worker. */
export interface TaskRequest {
  id: number
  task: string
  payload: unknown
}

/** Messages from a worker to the parent. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'load-error'; message: string; stack?: string }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string; stack?: string }

const STARTUP_TIMEOUT_MS = 60_000

/**
 * The URL of a module next to `importMetaUrl` with the same extension, so `siblingModuleUrl(import.meta.url,
 * 'worker-tasks')` names worker-tasks.ts under vitest and worker-tasks.js under dist/.
 */
export function siblingModuleUrl(importMetaUrl: string, baseName: string): URL {
  const ext = path.extname(fileURLToPath(importMetaUrl)) || '.js'
  return new URL(`./${baseName}${ext}`, importMetaUrl)
}

/** Splits [0, n) into `parts` contiguous ranges whose lengths differ by at most one (earlier ones longer). */
export function splitRange(n: number, parts: number): Array<[from: number, to: number]> {
  const ranges: Array<[number, number]> = []
  const base = Math.floor(n / parts)
  const extra = n % parts
  let from = 0
  for (let p = 0; p < parts; p++) {
    const to = from + base + (p < extra ? 1 : 0)
    ranges.push([from, to])
    from = to
  }
  return ranges
}

/**
 * What each Worker is started with. Compiled JS: the .js entry file. TypeScript (vitest, tsx): an eval'd
 * bootstrap that registers tsx's ESM hooks inside the worker and then imports the .ts entry. On Node 20,
 * `execArgv: ['--import', 'tsx']` does not work for a worker's entry (the hooks are not applied to it;
 * checked on 20.20: "Unknown file extension .ts"), and an explicit execArgv would also drop or conflict
 * with the parent's flags, which workers inherit by default.
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  return workerEntryFor(import.meta.url, './worker-pool-worker')
}

/**
 * The Worker entry for a module next to `from` (`relative` without extension): the compiled .js file,
 * or, when `from` is TypeScript source (vitest), an eval'd bootstrap that registers tsx in the worker.
 * Shared by every worker Hotpath starts (workload pools, the heap analysis worker, the quote server).
 */
export function workerEntryFor(from: string, relative: string): { entry: URL | string; eval: boolean } {
  if (!from.endsWith('.ts')) return { entry: new URL(`${relative}.js`, from), eval: false }
  const target = new URL(`${relative}.ts`, from).href
  const tsxApi = resolveTsxEsmApi(from)
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}) })`
  return { entry: bootstrap, eval: true }
}

/**
 * The file URL of tsx's ESM API, resolved from this file. Read from tsx's package.json exports because
 * require.resolve('tsx/esm/api') would pick the CommonJS build, which does not register ESM hooks.
 */
export function resolveTsxEsmApi(from: string): string {
  const require = createRequire(from)
  const packageJsonPath = require.resolve('tsx/package.json')
  const exportsField = (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { exports?: Record<string, unknown> }).exports
  const api = exportsField?.['./esm/api'] as { import?: string | { default?: string } } | undefined
  const relative = typeof api?.import === 'string' ? api.import : api?.import?.default
  if (!relative) throw new Error(`cannot find tsx's ESM API in ${packageJsonPath}; TypeScript worker modules need tsx`)
  return pathToFileURL(path.join(path.dirname(packageJsonPath), relative)).href
}

interface Pending {
  resolve(value: unknown): void
  reject(err: Error): void
}

/** One worker thread and the tasks it still owes. */
interface Slot {
  worker: Worker
  pending: Map<number, Pending>
}

function remoteError(prefix: string, message: string, stack: string | undefined): Error {
  const err = new Error(`${prefix}: ${message}`)
  if (stack) err.stack = `${err.message}\n    --- in the worker ---\n${stack}`
  return err
}

/**
 * Starts `size` workers, each importing `tasksUrl`, and resolves once all of them have loaded it. A load
 * failure in any worker terminates the others and rejects with that worker's error.
 */
export async function createWorkerPool<T extends WorkerTasks>(options: WorkerPoolOptions): Promise<WorkerPool<T>> {
  const { size, tasksUrl, name } = options
  if (!Number.isInteger(size) || size < 1) throw new Error(`worker pool ${name}: size must be an integer >= 1, got ${size}`)
  const { entry, eval: isEval } = workerEntry()
  let nextId = 1
  let closed = false
  /** Set when a worker died: every later task fails with it rather than waiting forever. */
  let broken: Error | undefined
  const slots: Slot[] = []

  function failSlot(slot: Slot, err: Error): void {
    for (const p of slot.pending.values()) p.reject(err)
    slot.pending.clear()
  }

  const startups: Promise<void>[] = []
  for (let index = 0; index < size; index++) {
    const bootData: WorkerBootData = { tasksUrl: tasksUrl.href, index, size }
    const worker = new Worker(entry, { eval: isEval, workerData: bootData, name: `${name}-worker-${index}` })
    const slot: Slot = { worker, pending: new Map() }
    slots.push(slot)
    startups.push(
      new Promise<void>((resolve, reject) => {
        let started = false
        const timer = setTimeout(() => {
          reject(new Error(`worker pool ${name}: worker ${index} did not load ${tasksUrl.href} within ${STARTUP_TIMEOUT_MS} ms`))
        }, STARTUP_TIMEOUT_MS)
        worker.on('message', (reply: WorkerReply) => {
          switch (reply.type) {
            case 'ready':
              started = true
              clearTimeout(timer)
              resolve()
              return
            case 'load-error':
              clearTimeout(timer)
              reject(remoteError(`worker pool ${name}: worker ${index} could not load ${tasksUrl.href}`, reply.message, reply.stack))
              return
            case 'result': {
              const p = slot.pending.get(reply.id)
              slot.pending.delete(reply.id)
              p?.resolve(reply.value)
              return
            }
            case 'error': {
              const p = slot.pending.get(reply.id)
              slot.pending.delete(reply.id)
              p?.reject(remoteError(`worker pool ${name}: task failed in worker ${index}`, reply.message, reply.stack))
              return
            }
          }
        })
        worker.on('error', (err: Error) => {
          const wrapped = new Error(`worker pool ${name}: worker ${index} crashed: ${err.message}`, { cause: err })
          broken ??= wrapped
          clearTimeout(timer)
          if (!started) reject(wrapped)
          failSlot(slot, wrapped)
        })
        worker.on('exit', (code) => {
          clearTimeout(timer)
          if (closed) return
          const err = new Error(`worker pool ${name}: worker ${index} exited with code ${code}`)
          broken ??= err
          if (!started) reject(err)
          failSlot(slot, err)
        })
      }),
    )
  }

  async function close(): Promise<void> {
    if (closed) return
    closed = true
    const err = new Error(`worker pool ${name} was closed`)
    for (const slot of slots) failSlot(slot, err)
    await Promise.all(slots.map((s) => s.worker.terminate()))
  }

  try {
    await Promise.all(startups)
  } catch (err) {
    await close()
    throw err
  }

  function run(index: number, task: string, payload: unknown, transfer?: TransferListItem[]): Promise<unknown> {
    if (closed) return Promise.reject(new Error(`worker pool ${name} is closed`))
    if (broken) return Promise.reject(broken)
    const slot = slots[index]
    if (!slot) return Promise.reject(new Error(`worker pool ${name}: no worker ${index} (size ${size})`))
    const id = nextId++
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject })
      const request: TaskRequest = { id, task, payload }
      try {
        slot.worker.postMessage(request, transfer)
      } catch (err) {
        slot.pending.delete(id)
        reject(err as Error)
      }
    })
  }

  const pool: WorkerPool<WorkerTasks> = {
    size,
    run: run as WorkerPool<WorkerTasks>['run'],
    runOnEach: (task, payloadFor) => Promise.all(slots.map((_, i) => run(i, task, payloadFor(i)))),
    close,
  }
  return pool as unknown as WorkerPool<T>
}
