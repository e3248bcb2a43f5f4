/**
 * The renderer's WorkbenchApi: the Electron bridge (window.workbench) when present, else HTTP
 * (`POST /api/<method>`, cookie auth, same origin) and a WebSocket for events that reconnects with
 * backoff. Either way replies are checked against the contract's result schemas, and failures are
 * Errors carrying the engine's message, code and per-field issues. The rest of the UI never knows which.
 */
import {
  type ApiErrorBody,
  type ApiMethod,
  type WorkbenchApi,
  type WorkbenchEventName,
  type WorkbenchEventSource,
  type WorkbenchEvents,
} from '../../core/api/contract.js'
import type { z } from 'zod'
// The window.workbench declaration, also for programs that include this file alone (the tests).
import type {} from './global.js'
import { isBridgeError } from '../../core/api/ipc-result.js'
import { apiSchemas, eventSchemas } from '../../core/api/schemas.js'
import type { ConnectionSource, ConnectionState } from './state/client.js'
import type { RunId } from '../../core/model/run.js'

/** A failed request. `issues` lists each invalid field ("0.iterations: Too small…") for forms. */
export class ApiClientError extends Error {
  constructor(
    readonly code: ApiErrorBody['error']['code'] | 'unauthorized' | 'unreachable',
    message: string,
    readonly issues: string[] = [],
    /** The HTTP status, in browser mode. */
    readonly status?: number,
  ) {
    super(message)
    this.name = 'ApiClientError'
  }
}

/** What the client needs of a WebSocket: the browser's, or the `ws` package's in Node tests. */
export interface WebSocketLike {
  readonly readyState: number
  onopen: ((event: unknown) => void) | null
  onclose: ((event: unknown) => void) | null
  onerror: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  close(code?: number, reason?: string): void
}

export interface ApiClientOptions {
  /** The Electron bridge; default `window.workbench`. Pass null to force HTTP. */
  bridge?: (WorkbenchApi & WorkbenchEventSource) | null
  /** The server's origin, e.g. http://127.0.0.1:4821 (default: the page's own origin). */
  baseUrl?: string
  fetch?: typeof fetch
  createWebSocket?: (url: string) => WebSocketLike
  /** Reconnect timing: first retry, longest wait, and how long without a connection counts as offline. */
  backoff?: { initialMs?: number; maxMs?: number; offlineAfterMs?: number }
}

/** The API plus the connection state the UI shows ("lost connection, retrying…"). */
export type ApiClient = WorkbenchApi &
  WorkbenchEventSource & {
    readonly connection: ConnectionSource & {
      readonly state: ConnectionState
      onChange(listener: (state: ConnectionState) => void): () => void
    }
    /** Stops reconnecting and closes the event socket (tests, page teardown). */
    close(): void
    /** Browser mode only: an artifact as a Blob (see WorkbenchClient.readArtifactBlob). */
    readArtifactBlob?(runId: RunId, file: string): Promise<Blob>
    /** Browser mode only: importFile with the file as a Blob (see WorkbenchClient.importBlob). */
    importBlob?(name: string, blob: Blob): ReturnType<WorkbenchApi['importFile']>
  }

type ResultOf<K extends ApiMethod> = z.infer<(typeof apiSchemas)[K]['result']>
type Caller = <K extends ApiMethod>(method: K, args: unknown[]) => Promise<ResultOf<K>>

/** Methods whose reply is bytes rather than JSON, in browser mode. */
const BINARY_RESULTS: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['exportRuns', 'readArtifact'])

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const bridge =
    options.bridge === undefined ? (typeof window !== 'undefined' ? window.workbench : undefined) : (options.bridge ?? undefined)
  return bridge ? createBridgeClient(bridge) : createHttpClient(options)
}

/** Builds the WorkbenchApi from one generic caller: one method per contract entry, listed so none is missed. */
function apiFromCaller(call: Caller): WorkbenchApi {
  const api: { [K in ApiMethod]: WorkbenchApi[K] } = {
    listWorkloads: (...args) => call('listWorkloads', args),
    getWorkloadFolder: (...args) => call('getWorkloadFolder', args),
    chooseWorkloadFolder: (...args) => call('chooseWorkloadFolder', args),
    startRun: (...args) => call('startRun', args),
    startSweep: (...args) => call('startSweep', args),
    checkRuntime: (...args) => call('checkRuntime', args),
    cancelRun: (...args) => call('cancelRun', args),
    listRuns: (...args) => call('listRuns', args),
    listRunPage: (...args) => call('listRunPage', args),
    getRun: (...args) => call('getRun', args),
    updateRun: (...args) => call('updateRun', args),
    deleteRun: (...args) => call('deleteRun', args),
    importFile: (...args) => call('importFile', args),
    exportRuns: (...args) => call('exportRuns', args),
    readArtifact: (...args) => call('readArtifact', args),
    readSource: (...args) => call('readSource', args),
    getEnvironment: (...args) => call('getEnvironment', args),
    compareRuns: (...args) => call('compareRuns', args),
    exportReport: (...args) => call('exportReport', args),
    getHeapSummary: (...args) => call('getHeapSummary', args),
    diffHeapSnapshots: (...args) => call('diffHeapSnapshots', args),
    diffProfiles: (...args) => call('diffProfiles', args),
    compareHeapClasses: (...args) => call('compareHeapClasses', args),
    getTrend: (...args) => call('getTrend', args),
    listBaselines: (...args) => call('listBaselines', args),
    getBaseline: (...args) => call('getBaseline', args),
    deleteBaseline: (...args) => call('deleteBaseline', args),
    listTargets: (...args) => call('listTargets', args),
    compareByTarget: (...args) => call('compareByTarget', args),
  }
  return api
}

/** Checks a reply against the method's result schema; a mismatch means client and engine disagree on the contract. */
function checkResult<K extends ApiMethod>(method: K, value: unknown): ResultOf<K> {
  const parsed = apiSchemas[method].result.safeParse(value)
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(result)'}: ${i.message}`)
    throw new ApiClientError(
      'internal',
      `Hotpath sent an unexpected reply to ${method} (is the app up to date?): ${issues.join('; ')}`,
      issues,
    )
  }
  return parsed.data as ResultOf<K>
}

// ---------------------------------------------------------------------------------------------------------
// Electron: the preload's bridge

function createBridgeClient(bridge: WorkbenchApi & WorkbenchEventSource): ApiClient {
  const call: Caller = async (method, args) => {
    let value: unknown
    try {
      value = await (bridge[method] as (...a: unknown[]) => Promise<unknown>)(...args)
    } catch (err) {
      throw fromBridgeError(err)
    }
    return checkResult(method, value)
  }
  return {
    ...apiFromCaller(call),
    on: (event, listener) => bridge.on(event, listener),
    // IPC to our own main process does not drop; the bridge is always connected.
    connection: { state: 'connected', onChange: () => () => undefined },
    close: () => undefined,
  }
}

/** The preload rejects with a plain {code, message, issues}; anything else is an Electron-wrapped Error. */
function fromBridgeError(err: unknown): ApiClientError {
  if (isBridgeError(err)) return new ApiClientError(err.code, err.message, err.issues ?? [])
  const message = err instanceof Error ? err.message : String(err)
  // ipcRenderer.invoke prefixes thrown errors: "Error invoking remote method 'workbench:getRun': Error: …".
  return new ApiClientError('internal', message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, ''))
}

// ---------------------------------------------------------------------------------------------------------
// Browser mode: HTTP for requests, a WebSocket for events

function createHttpClient(options: ApiClientOptions): ApiClient {
  const base = (options.baseUrl ?? (typeof location !== 'undefined' ? location.origin : '')).replace(/\/+$/, '')
  const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
  const call: Caller = async (method, args) => checkResult(method, await request(method, args))

  async function request(method: ApiMethod, args: unknown[]): Promise<unknown> {
    const init: RequestInit = { method: 'POST', credentials: 'same-origin' }
    if (method === 'importFile') {
      // The bytes, or (importBlob) a Blob, which fetch sends from where the browser keeps it.
      const [name, body] = args as [string, Uint8Array | Blob]
      init.headers = { 'Content-Type': 'application/octet-stream', 'X-Hotpath-Filename': encodeURIComponent(String(name)) }
      init.body = body as unknown as BodyInit
    } else {
      init.headers = { 'Content-Type': 'application/json' }
      // JSON turns a trailing `undefined` into null, which optional arguments reject: drop them instead.
      const trimmed = [...args]
      while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed.pop()
      init.body = JSON.stringify({ args: trimmed })
    }
    let res: Response
    try {
      res = await fetchImpl(`${base}/api/${method}`, init)
    } catch (err) {
      throw new ApiClientError(
        'unreachable',
        `Cannot reach the Hotpath server (${err instanceof Error ? err.message : String(err)}). Is \`hotpath serve\` still running?`,
      )
    }
    if (!res.ok) throw await errorFromResponse(res, method)
    if (BINARY_RESULTS.has(method)) return new Uint8Array(await res.arrayBuffer())
    const body = (await res.json()) as { result?: unknown }
    return body.result
  }

  const events = createEventSocket(base, options)
  return {
    ...apiFromCaller(call),
    on: events.on,
    connection: events.connection,
    close: events.close,
    importBlob: (name, blob) => call('importFile', [name, blob]),
    // The server's artifact route (the one speedscope reads), checked by the server like readArtifact.
    async readArtifactBlob(runId, file) {
      const url = `${base}/api/artifacts/${encodeURIComponent(runId)}/${file.split('/').map(encodeURIComponent).join('/')}`
      let res: Response
      try {
        res = await fetchImpl(url, { credentials: 'same-origin' })
      } catch (err) {
        throw new ApiClientError(
          'unreachable',
          `Cannot reach the Hotpath server (${err instanceof Error ? err.message : String(err)}). Is \`hotpath serve\` still running?`,
        )
      }
      if (!res.ok) {
        const text = (await res.text().catch(() => '')).trim()
        const code = res.status === 401 ? 'unauthorized' : res.status === 404 ? 'not-found' : 'internal'
        throw new ApiClientError(code, text || `reading ${file} of ${runId} failed with HTTP ${res.status}`, [], res.status)
      }
      return res.blob()
    },
  }
}

async function errorFromResponse(res: Response, method: ApiMethod): Promise<ApiClientError> {
  let body: Partial<ApiErrorBody> | undefined
  try {
    body = (await res.json()) as Partial<ApiErrorBody>
  } catch {
    body = undefined
  }
  if (res.status === 401) {
    return new ApiClientError(
      'unauthorized',
      'Not authorized: open the address printed by `hotpath serve` (the one with ?token=…) again; the token changes on every start.',
      [],
      401,
    )
  }
  const error = body?.error
  if (error && typeof error.message === 'string') {
    const code = error.code ?? 'internal'
    return new ApiClientError(code, error.message, Array.isArray(error.issues) ? error.issues : [], res.status)
  }
  return new ApiClientError('internal', `${method} failed with HTTP ${res.status} ${res.statusText}`.trim(), [], res.status)
}

/** Listeners per event, and the WebSocket that feeds them, reconnecting with capped exponential backoff and jitter. */
function createEventSocket(base: string, options: ApiClientOptions): Pick<ApiClient, 'on' | 'connection' | 'close'> {
  const initialMs = options.backoff?.initialMs ?? 500
  const maxMs = options.backoff?.maxMs ?? 10_000
  const offlineAfterMs = options.backoff?.offlineAfterMs ?? 30_000
  const wsUrl = `${base.replace(/^http/, 'ws')}/api/events`
  const open =
    options.createWebSocket ??
    ((url: string): WebSocketLike => {
      if (typeof WebSocket === 'undefined') throw new Error('this environment has no WebSocket')
      return new WebSocket(url) as unknown as WebSocketLike
    })

  const listeners = new Map<WorkbenchEventName, Set<(payload: never) => void>>()
  const stateListeners = new Set<(state: ConnectionState) => void>()
  // Optimistic until the first attempt fails: a "lost connection" banner on every page load would be wrong.
  let state: ConnectionState = 'connected'
  let socket: WebSocketLike | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  let lostSince: number | undefined
  let closed = false

  const setState = (next: ConnectionState): void => {
    if (next === state) return
    state = next
    for (const listener of [...stateListeners]) listener(next)
  }

  const dispatch = (data: unknown): void => {
    let message: { event?: unknown; payload?: unknown }
    try {
      message = JSON.parse(typeof data === 'string' ? data : String(data)) as typeof message
    } catch {
      return
    }
    const name = message.event
    if (typeof name !== 'string' || !Object.hasOwn(eventSchemas, name)) return
    const parsed = eventSchemas[name as WorkbenchEventName].safeParse(message.payload)
    if (!parsed.success) {
      console.warn(`hotpath: ignored a malformed ${name} event`, parsed.error.issues)
      return
    }
    for (const listener of [...(listeners.get(name as WorkbenchEventName) ?? [])]) listener(parsed.data as never)
  }

  const scheduleRetry = (): void => {
    if (closed || retryTimer !== undefined) return
    lostSince ??= Date.now()
    const offline = (typeof navigator !== 'undefined' && navigator.onLine === false) || Date.now() - lostSince >= offlineAfterMs
    setState(offline ? 'offline' : 'reconnecting')
    attempt++
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 20)) * (0.5 + Math.random() * 0.5)
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      connect()
    }, delay)
  }

  const connect = (): void => {
    if (closed) return
    let ws: WebSocketLike
    try {
      ws = open(wsUrl)
    } catch {
      scheduleRetry()
      return
    }
    socket = ws
    ws.onopen = () => {
      attempt = 0
      lostSince = undefined
      setState('connected')
    }
    ws.onmessage = (event) => dispatch(event.data)
    // An error is always followed by close; retrying happens there, once.
    ws.onerror = () => undefined
    ws.onclose = () => {
      if (socket === ws) socket = undefined
      scheduleRetry()
    }
  }

  const retryNow = (): void => {
    if (closed || socket) return
    if (retryTimer !== undefined) clearTimeout(retryTimer)
    retryTimer = undefined
    connect()
  }
  const wentOffline = (): void => setState('offline')
  if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
    window.addEventListener('online', retryNow)
    window.addEventListener('offline', wentOffline)
  }

  connect()

  return {
    on(event, listener) {
      if (!Object.hasOwn(eventSchemas, event)) throw new Error(`Unknown event "${String(event)}"`)
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const entry = (payload: never): void => listener(payload as WorkbenchEvents[typeof event])
      set.add(entry)
      return () => {
        set.delete(entry)
      }
    },
    connection: {
      get state() {
        return state
      },
      onChange(listener) {
        stateListeners.add(listener)
        return () => {
          stateListeners.delete(listener)
        }
      },
    },
    close() {
      closed = true
      if (retryTimer !== undefined) clearTimeout(retryTimer)
      retryTimer = undefined
      if (typeof window !== 'undefined' && typeof window.removeEventListener === 'function') {
        window.removeEventListener('online', retryNow)
        window.removeEventListener('offline', wentOffline)
      }
      socket?.close(1000, 'client closed')
      socket = undefined
    },
  }
}
