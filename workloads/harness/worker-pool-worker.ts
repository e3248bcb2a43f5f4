/**
 * Entry of every worker-pool thread: imports the workload's task module, then runs the tasks the parent
 * posts, strictly one after another so a task always sees the state its predecessors left.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { type TaskRequest, type WorkerBootData, type WorkerReply, type WorkerTasks, isTransferred } from './worker-pool.js'

const boot = workerData as WorkerBootData
const port = parentPort
if (!port) throw new Error('worker-pool-worker must run in a worker thread')

function post(reply: WorkerReply, transfer?: Parameters<NonNullable<typeof parentPort>['postMessage']>[1]): void {
  port?.postMessage(reply, transfer)
}

function describe(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, ...(err.stack ? { stack: err.stack } : {}) }
  return { message: String(err) }
}

async function loadTasks(): Promise<WorkerTasks> {
  const mod = (await import(boot.tasksUrl)) as { tasks?: unknown }
  if (typeof mod.tasks !== 'object' || mod.tasks === null) throw new Error(`${boot.tasksUrl} does not export a tasks object`)
  return mod.tasks as WorkerTasks
}

async function runTask(tasks: WorkerTasks, request: TaskRequest): Promise<void> {
  const fn = Object.hasOwn(tasks, request.task) ? tasks[request.task] : undefined
  if (typeof fn !== 'function') {
    post({ type: 'error', id: request.id, message: `unknown task ${request.task} (known: ${Object.keys(tasks).join(', ')})` })
    return
  }
  try {
    const result = await (fn as (payload: unknown, ctx: { index: number; size: number }) => unknown)(request.payload, {
      index: boot.index,
      size: boot.size,
    })
    if (isTransferred(result)) post({ type: 'result', id: request.id, value: result.value }, result.transfer)
    else post({ type: 'result', id: request.id, value: result })
  } catch (err) {
    post({ type: 'error', id: request.id, ...describe(err) })
  }
}

try {
  const tasks = await loadTasks()
  let queue: Promise<void> = Promise.resolve()
  port.on('message', (request: TaskRequest) => {
    queue = queue.then(() => runTask(tasks, request))
  })
  post({ type: 'ready' })
} catch (err) {
  post({ type: 'load-error', ...describe(err) })
}
