/**
 * renderer/src/api-client.ts without a server: the bridge path (errors from the preload become Errors
 * with code and issues, replies are schema-checked) and the HTTP path's request shapes, error bodies,
 * event validation and reconnect states, with a fake fetch and a fake WebSocket under fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type WorkbenchApi, type WorkbenchEventSource, apiMethods } from '../../../core/api/contract.js'
import { ApiClientError, type WebSocketLike, createApiClient } from '../../../renderer/src/api-client.js'
import { makeRun } from '../../helpers/make-run.js'

const run = makeRun()

describe('over the Electron bridge', () => {
  function bridgeWith(overrides: Partial<Record<string, (...a: unknown[]) => Promise<unknown>>>) {
    const on = vi.fn(() => () => undefined)
    const bridge = {
      on,
      ...Object.fromEntries(apiMethods.map((m) => [m, vi.fn(async () => undefined)])),
      ...overrides,
    } as unknown as WorkbenchApi & WorkbenchEventSource
    return { bridge, on }
  }

  it('is chosen when present, always connected, and passes arguments through', async () => {
    const listRuns = vi.fn(async () => [])
    const { bridge } = bridgeWith({ listRuns })
    const client = createApiClient({ bridge })
    expect(client.connection.state).toBe('connected')
    expect(await client.listRuns({ workload: 'orderbook' })).toEqual([])
    expect(listRuns).toHaveBeenCalledWith({ workload: 'orderbook' })
  })

  it('turns the preload’s plain error objects into ApiClientErrors with code and issues', async () => {
    const { bridge } = bridgeWith({
      startRun: async () =>
        Promise.reject({
          name: 'WorkbenchError',
          code: 'bad-request',
          message: 'Invalid arguments for startRun: 0.iterations: Too small',
          issues: ['0.iterations: Too small'],
        }),
      getRun: async () =>
        Promise.reject(new Error("Error invoking remote method 'workbench:getRun': Error: Rejected getRun from https://evil")),
    })
    const client = createApiClient({ bridge })
    const err = (await client.startRun({ workload: 'x' }).catch((e: unknown) => e)) as ApiClientError
    expect(err).toBeInstanceOf(Error)
    expect(err).toBeInstanceOf(ApiClientError)
    expect(err.code).toBe('bad-request')
    expect(err.issues).toEqual(['0.iterations: Too small'])
    const wrapped = (await client.getRun(run.id).catch((e: unknown) => e)) as ApiClientError
    expect(wrapped.message).toBe('Rejected getRun from https://evil')
  })

  it('checks replies against the result schemas', async () => {
    const { bridge } = bridgeWith({ getRun: async () => ({ ...run, status: 'exploded' }), cancelRun: async () => ({ cancelled: true }) })
    const client = createApiClient({ bridge })
    await expect(client.getRun(run.id)).rejects.toThrow(/unexpected reply to getRun.*status/)
    await expect(client.cancelRun(run.id)).resolves.toEqual({ cancelled: true })
  })

  it('subscribes through the bridge', () => {
    const { bridge, on } = bridgeWith({})
    const client = createApiClient({ bridge })
    const listener = vi.fn()
    client.on('runsChanged', listener)
    expect(on).toHaveBeenCalledWith('runsChanged', listener)
  })
})

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = []
  readyState = 0
  onopen: ((e: unknown) => void) | null = null
  onclose: ((e: unknown) => void) | null = null
  onerror: ((e: unknown) => void) | null = null
  onmessage: ((e: { data: unknown }) => void) | null = null
  closedByClient = false
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  drop(): void {
    this.readyState = 3
    this.onerror?.({})
    this.onclose?.({})
  }
  close(): void {
    this.closedByClient = true
    this.readyState = 3
  }
}

describe('over HTTP and WebSocket', () => {
  beforeEach(() => {
    FakeSocket.all = []
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function httpClient(fetchImpl: typeof fetch) {
    return createApiClient({
      bridge: null,
      baseUrl: 'http://127.0.0.1:4000/',
      fetch: fetchImpl,
      createWebSocket: (url) => new FakeSocket(url),
      backoff: { initialMs: 100, maxMs: 1000, offlineAfterMs: 5000 },
    })
  }

  it('POSTs {args} as JSON, dropping trailing undefined, and unwraps {result}', async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ result: [] }), { status: 200 }))
    const client = httpClient(fetchImpl as unknown as typeof fetch)
    await client.listRuns(undefined)
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('http://127.0.0.1:4000/api/listRuns')
    expect(init.method).toBe('POST')
    expect(init.credentials).toBe('same-origin')
    expect(init.body).toBe('{"args":[]}')
    expect(FakeSocket.all[0]!.url).toBe('ws://127.0.0.1:4000/api/events')
    client.close()
  })

  it('sends imports as the raw body with an encoded file name, and reads bytes back for binary methods', async () => {
    const fetchImpl = vi.fn(async (url: string) =>
      url.endsWith('/importFile')
        ? new Response(JSON.stringify({ result: { imported: [], skipped: [] } }))
        : new Response(new Uint8Array([1, 2, 3])),
    )
    const client = httpClient(fetchImpl as unknown as typeof fetch)
    const bytes = new Uint8Array([9, 9])
    await client.importFile('my run ü.cpuprofile', bytes)
    const init = (fetchImpl.mock.calls[0] as unknown as [string, RequestInit])[1]
    expect(init.body).toBe(bytes)
    expect(init.headers).toEqual({ 'Content-Type': 'application/octet-stream', 'X-Hotpath-Filename': 'my%20run%20%C3%BC.cpuprofile' })
    expect(await client.readArtifact(run.id, 'cpu.cpuprofile')).toEqual(new Uint8Array([1, 2, 3]))
    client.close()
  })

  it('sends a Blob import as the body itself, so the page never reads the file into memory', async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ result: { imported: [run.id], skipped: [] } })))
    const client = httpClient(fetchImpl as unknown as typeof fetch)
    const blob = new Blob([new Uint8Array([7, 8, 9])])
    expect(await client.importBlob?.('big.cpuprofile', blob)).toEqual({ imported: [run.id], skipped: [] })
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toMatch(/\/api\/importFile$/)
    expect(init.body).toBe(blob)
    expect(init.headers).toEqual({ 'Content-Type': 'application/octet-stream', 'X-Hotpath-Filename': 'big.cpuprofile' })
    client.close()
  })

  it('throws the server’s message, code and issues; explains 401 and unreachable servers', async () => {
    const responses = [
      new Response(
        JSON.stringify({ error: { code: 'bad-request', message: 'Invalid arguments for startRun', issues: ['0.iterations: Too small'] } }),
        { status: 400 },
      ),
      new Response(JSON.stringify({ error: { code: 'bad-request', message: 'Not authorized' } }), { status: 401 }),
    ]
    let call = 0
    const fetchImpl = vi.fn(async () => {
      if (call === 2) throw new TypeError('fetch failed')
      return responses[call++]!
    })
    const client = httpClient(fetchImpl as unknown as typeof fetch)
    const bad = (await client.startRun({ workload: 'x' }).catch((e: unknown) => e)) as ApiClientError
    expect([bad.code, bad.status, bad.message, bad.issues]).toEqual([
      'bad-request',
      400,
      'Invalid arguments for startRun',
      ['0.iterations: Too small'],
    ])
    const unauthorized = (await client.listRuns().catch((e: unknown) => e)) as ApiClientError
    expect(unauthorized.code).toBe('unauthorized')
    expect(unauthorized.message).toMatch(/token/)
    const gone = (await client.listRuns().catch((e: unknown) => e)) as ApiClientError
    expect(gone.code).toBe('unreachable')
    expect(gone.message).toMatch(/Cannot reach the Hotpath server/)
    client.close()
  })

  it('delivers valid events only', () => {
    const client = httpClient(vi.fn() as unknown as typeof fetch)
    const got: string[] = []
    client.on('runsChanged', (p) => got.push(p.reason))
    const socket = FakeSocket.all[0]!
    socket.open()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    socket.onmessage!({ data: JSON.stringify({ event: 'runsChanged', payload: { reason: 'ok' } }) })
    socket.onmessage!({ data: JSON.stringify({ event: 'runsChanged', payload: { reason: 7 } }) })
    socket.onmessage!({ data: JSON.stringify({ event: 'toString', payload: {} }) })
    socket.onmessage!({ data: 'not json' })
    expect(got).toEqual(['ok'])
    expect(warn).toHaveBeenCalledTimes(1)
    warn.mockRestore()
    expect(() => client.on('bogus' as never, () => undefined)).toThrow(/Unknown event/)
    client.close()
  })

  it('reports reconnecting, then offline, and connected again, retrying with growing waits', () => {
    const client = httpClient(vi.fn() as unknown as typeof fetch)
    const states: string[] = []
    client.connection.onChange((s) => states.push(s))
    expect(client.connection.state).toBe('connected')
    FakeSocket.all[0]!.open()
    FakeSocket.all[0]!.drop()
    expect(client.connection.state).toBe('reconnecting')
    // Backoff with jitter: the first retry comes within 100 ms, later ones wait longer (capped at 1 s).
    vi.advanceTimersByTime(100)
    expect(FakeSocket.all).toHaveLength(2)
    FakeSocket.all[1]!.drop()
    vi.advanceTimersByTime(99)
    const before = FakeSocket.all.length
    vi.advanceTimersByTime(101)
    expect(FakeSocket.all.length).toBe(before + 1)
    // Keep failing past offlineAfterMs (5 s): the state becomes offline, but retries continue.
    for (let i = 0; i < 12; i++) {
      FakeSocket.all.at(-1)!.drop()
      vi.advanceTimersByTime(1000)
    }
    expect(client.connection.state).toBe('offline')
    FakeSocket.all.at(-1)!.open()
    expect(client.connection.state).toBe('connected')
    expect(states).toEqual(['reconnecting', 'offline', 'connected'])
    client.close()
    expect(FakeSocket.all.at(-1)!.closedByClient).toBe(true)
    const count = FakeSocket.all.length
    vi.advanceTimersByTime(10_000)
    expect(FakeSocket.all.length).toBe(count)
  })
})
