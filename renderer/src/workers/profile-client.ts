/**
 * The main-thread side of the profile worker: one promise-returning method per ProfileWorkerApi method,
 * request ids paired with responses, and the profile bytes transferred rather than copied.
 */
import type {
  OpenProfileParams,
  ProfileMethod,
  ProfileParams,
  ProfileProgress,
  ProfileRequest,
  ProfileResponse,
  ProfileResult,
  ProfileWorkerError,
} from './profile-worker.js'

export type {
  DeriveParams,
  DerivedProfile,
  OpenedProfile,
  OpenProfileParams,
  OpenTimings,
  SandwichParams,
  SandwichResult,
  TimeRangeParams,
  TimeRangeResult,
  ViewResult,
} from './profile-worker.js'

/** The client: ProfileWorkerApi with every result in a promise. */
export type ProfileClientApi = { [M in ProfileMethod]: (params: ProfileParams<M>) => Promise<ProfileResult<M>> }

export interface ProfileClient extends ProfileClientApi {
  /** Stops the worker; pending requests reject. */
  terminate(): void
  /** Listens to the progress of open requests (bytes read of the file); returns the unsubscribe. */
  onProgress(listener: (done: number, total: number) => void): () => void
}

/** What the client needs of a Worker (a fake one in tests). */
export interface WorkerLike {
  postMessage(message: ProfileRequest, transfer: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent<ProfileResponse | ProfileProgress>) => void): void
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void
  terminate(): void
}

/** A failed worker request; `name` is the worker-side error's name (`ProfileFormatError` for bad files). */
export class ProfileWorkerRequestError extends Error {
  readonly method: ProfileMethod
  constructor(method: ProfileMethod, error: ProfileWorkerError) {
    super(error.message)
    this.name = error.name
    this.method = method
  }
}

/** The buffers a request hands over: the profile bytes, which the caller does not need afterwards. */
function requestTransfer(request: ProfileRequest): ArrayBuffer[] {
  switch (request.method) {
    case 'open': {
      const bytes = (request.params as OpenProfileParams).bytes
      return bytes ? [bytes] : []
    }
    default:
      return []
  }
}

/** Starts the Vite-bundled module worker. */
export function startProfileWorker(): WorkerLike {
  return new Worker(new URL('./profile-worker.ts', import.meta.url), { type: 'module', name: 'hotpath-profile' })
}

/**
 * A client over `worker` (a new profile worker by default). Profile bytes passed to `open`
 * are transferred: the caller's ArrayBuffers are detached afterwards (pass `bytes.slice(0)` to keep one).
 */
export function createProfileClient(worker: WorkerLike = startProfileWorker()): ProfileClient {
  let nextId = 1
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; method: ProfileMethod }>()
  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error)
    pending.clear()
  }
  const progressListeners = new Set<(done: number, total: number) => void>()
  worker.addEventListener('message', (event) => {
    const data = event.data
    if ('progress' in data) {
      if (pending.has(data.id)) for (const l of progressListeners) l(data.progress.done, data.progress.total)
      return
    }
    const response = data
    const p = pending.get(response.id)
    if (!p) return
    pending.delete(response.id)
    if (response.ok) p.resolve(response.result)
    else p.reject(new ProfileWorkerRequestError(response.method, response.error))
  })
  worker.addEventListener('error', (event) => {
    failAll(new Error(`profile worker failed: ${event.message || 'unknown error'}`))
  })

  const call = <M extends ProfileMethod>(method: M, params: ProfileParams<M>): Promise<ProfileResult<M>> =>
    new Promise((resolve, reject) => {
      const id = nextId++
      const request = { id, method, params } as ProfileRequest
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, method })
      try {
        worker.postMessage(request, requestTransfer(request))
      } catch (err) {
        pending.delete(id)
        reject(err instanceof Error ? err : new Error(String(err)))
      }
    })

  return {
    open: (params) => call('open', params),
    bottomUp: (params) => call('bottomUp', params),
    stackChart: (params) => call('stackChart', params),
    sandwich: (params) => call('sandwich', params),
    timeRange: (params) => call('timeRange', params),
    derive: (params) => call('derive', params),
    close: (params) => call('close', params),
    terminate() {
      worker.terminate()
      failAll(new Error('profile worker terminated'))
    },
    onProgress(listener) {
      progressListeners.add(listener)
      return () => progressListeners.delete(listener)
    },
  }
}
