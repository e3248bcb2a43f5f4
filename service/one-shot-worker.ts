/**
 * A worker thread started for one request: it posts progress messages, then one answer, and is
 * terminated once it has answered (or failed, exited early, or been cancelled). The one home of that
 * life cycle for the service's workers (heap analysis, profile diffs, profile checks).
 */
import { Worker } from 'node:worker_threads'
import { ProfileFormatError } from '../core/import/validate.js'
import { workerEntryFor } from '../workloads/harness/worker-pool.js'

/** What a worker posts for an error it caught: the fields an Error keeps across threads. */
export interface WorkerErrorFields {
  name: string
  message: string
  code?: string
}

/**
 * The error a worker posted, rebuilt in this thread: a ProfileFormatError stays one (the service maps it
 * to bad input), anything else an Error with the worker's name and code.
 */
export function errorFromWorker(fields: WorkerErrorFields): Error {
  if (fields.name === 'ProfileFormatError') return new ProfileFormatError(fields.message)
  const err = new Error(fields.message) as NodeJS.ErrnoException
  err.name = fields.name
  if (fields.code !== undefined) err.code = fields.code
  return err
}

export interface OneShotWorkerOptions<M> {
  /** import.meta.url of the module starting the worker, and the worker module relative to it, without extension. */
  from: string
  module: string
  workerData: unknown
  /** Names the worker in the error when it exits before answering ("heap worker"). */
  name: string
  /** Cancels: rejects with the signal's reason and terminates the worker, even inside a long synchronous loop. */
  signal?: AbortSignal
  abortReason?: (signal: AbortSignal) => Error
  /** Reads a message: undefined for progress, else the answer or the error to reject with. */
  onMessage(message: M): { value: unknown } | { error: Error } | undefined
}

export function runOneShotWorker<T, M>(opts: OneShotWorkerOptions<M>): Promise<T> {
  const { signal } = opts
  const reasonOf = opts.abortReason ?? ((s: AbortSignal) => (s.reason instanceof Error ? s.reason : new Error('cancelled')))
  if (signal?.aborted) return Promise.reject(reasonOf(signal))
  const spec = workerEntryFor(opts.from, opts.module)
  const worker = new Worker(spec.entry, { eval: spec.eval, workerData: opts.workerData })
  return new Promise<T>((resolve, reject) => {
    let settled = false
    const settle = (fn: () => void): void => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      fn()
      void worker.terminate()
    }
    const onAbort = (): void => settle(() => reject(reasonOf(signal as AbortSignal)))
    signal?.addEventListener('abort', onAbort, { once: true })
    worker.on('message', (message: M) => {
      if (settled) return
      const answer = opts.onMessage(message)
      if (!answer) return
      if ('error' in answer) settle(() => reject(answer.error))
      else settle(() => resolve(answer.value as T))
    })
    worker.on('error', (err) => settle(() => reject(err)))
    worker.on('exit', (code) => settle(() => reject(new Error(`${opts.name} exited with code ${code} before answering`))))
  })
}
