/**
 * The `hotpath serve` transport against a real server on an ephemeral port with a temp store: token,
 * Host and Origin checks, WebSocket refusals and events, validation errors, body limits, static files
 * (no traversal), binary methods, the renderer's api client over HTTP, and one real workload run.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'

// The harness self-test workload (fast, deterministic) is registered only with this set, before imports.
vi.hoisted(() => {
  process.env.HOTPATH_SELFTEST = '1'
})

import type { AnyEventListener } from '../../../service/event-hub.js'
import { type RunningHttpServer, startHttpServer } from '../../../service/http-server.js'
import { type WorkbenchService, createWorkbenchService } from '../../../service/workbench-service.js'
import { type RunStore, openRunStore } from '../../../store/run-store.js'
import { ApiClientError, createApiClient } from '../../../renderer/src/api-client.js'
import { makeRun } from '../../helpers/make-run.js'
import { runCli } from '../../../cli/index.js'
import type { CliContext } from '../../../cli/context.js'

interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** node:http, not fetch: fetch normalizes paths ("/../x") and will not send a forged Host header. */
function raw(
  port: number,
  opts: { path: string; method?: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

let dir: string
let staticDir: string
let store: RunStore
let service: WorkbenchService
let server: RunningHttpServer
let logged: string[]
const runs = [makeRun(), makeRun()]

const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.token}` })
const json = (args: unknown[]): string => JSON.stringify({ args })
const post = (method: string, args: unknown[], headers: Record<string, string> = {}): Promise<RawResponse> =>
  raw(server.port, {
    path: `/api/${method}`,
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json', ...headers },
    body: json(args),
  })

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-http-'))
  staticDir = path.join(dir, 'www')
  await mkdir(path.join(staticDir, 'assets'), { recursive: true })
  await writeFile(
    path.join(staticDir, 'index.html'),
    '<!doctype html><title>Hotpath test page</title><script type="module" src="./assets/app.js"></script>',
  )
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log("app")')
  await writeFile(path.join(dir, 'secret.txt'), 'TOP-SECRET')
  store = openRunStore(path.join(dir, 'store'))
  for (const run of runs) await store.save(run)
  logged = []
  service = createWorkbenchService({ store, log: (m) => logged.push(m) })
  server = await startHttpServer({
    service,
    port: 0,
    host: '127.0.0.1',
    staticDir,
    maxJsonBytes: 64 * 1024,
    maxImportBytes: 64 * 1024,
    log: (m) => logged.push(m),
  })
})

afterAll(async () => {
  await server?.close()
  await service?.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('where it listens', () => {
  it('binds 127.0.0.1 only and prints a tokened URL', async () => {
    expect(server.host).toBe('127.0.0.1')
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    // 32 random bytes, base64url.
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await expect(startHttpServer({ service, staticDir, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1 only/)
  })

  it('is not reachable on other interfaces', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)
    if (!external) {
      console.log('no non-loopback IPv4 interface on this machine: only the bind address was checked')
      return
    }
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: external.address, port: server.port })
      socket.once('connect', () => {
        socket.destroy()
        resolve('connected')
      })
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'))
    })
    expect(outcome).toBe('ECONNREFUSED')
  })
})

describe('the token', () => {
  it('is required: no token gives 401 for pages and API', async () => {
    const page = await raw(server.port, { path: '/', headers: { host: `127.0.0.1:${server.port}` } })
    expect(page.status).toBe(401)
    expect(page.body.toString()).toContain('?token=')
    const api = await raw(server.port, {
      path: '/api/listRuns',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json([]),
    })
    expect(api.status).toBe(401)
    expect(JSON.parse(api.body.toString()).error.message).toMatch(/token/)
  })

  it('must be the right one, however it is presented', async () => {
    const wrong = 'x'.repeat(43)
    expect((await raw(server.port, { path: `/?token=${wrong}` })).status).toBe(401)
    expect((await post('listRuns', [], { authorization: `Bearer ${wrong}` })).status).toBe(401)
    expect((await post('listRuns', [], { authorization: '', cookie: `hotpath_token_${server.port}=${wrong}` })).status).toBe(401)
    // A cookie from another Hotpath server on another port does not count.
    expect((await post('listRuns', [], { authorization: '', cookie: `hotpath_token_1=${server.token}` })).status).toBe(401)
  })

  it('moves from the URL into an HttpOnly SameSite=Strict cookie on first load', async () => {
    const first = await raw(server.port, { path: `/?token=${server.token}&tab=runs` })
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/?tab=runs')
    const cookie = String(first.headers['set-cookie'])
    expect(cookie).toContain(`hotpath_token_${server.port}=${server.token}`)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const page = await raw(server.port, { path: '/', headers: { cookie: cookie.split(';')[0]! } })
    expect(page.status).toBe(200)
    expect(page.body.toString()).toContain('Hotpath test page')
    const api = await post('listRuns', [], { authorization: '', cookie: cookie.split(';')[0]! })
    expect(api.status).toBe(200)
    // The redirect never leaves the server, whatever the path looks like.
    const sneaky = await raw(server.port, { path: `/.//evil.example/?token=${server.token}` })
    expect(sneaky.headers.location).toBe('/evil.example/')
  })
})

describe('Host and Origin', () => {
  it('refuses a foreign Host (DNS rebinding) with 403, token or not', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `0.0.0.0:${server.port}`]) {
      const res = await raw(server.port, { path: '/', headers: { ...auth(), host } })
      expect(res.status, host).toBe(403)
    }
    expect((await raw(server.port, { path: '/', headers: { ...auth(), host: `localhost:${server.port}` } })).status).toBe(200)
  })

  it('refuses a POST from a foreign Origin with 403', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, 'null']) {
      expect((await post('listRuns', [], { origin })).status, origin).toBe(403)
    }
    expect((await post('listRuns', [], { origin: `http://localhost:${server.port}` })).status).toBe(200)
    expect((await post('listRuns', [], { origin: server.origin, 'sec-fetch-site': 'cross-site' })).status).toBe(403)
  })

  it('never sends CORS headers, not even to a preflight', async () => {
    const preflight = await raw(server.port, {
      path: '/api/listRuns',
      method: 'OPTIONS',
      headers: { ...auth(), origin: server.origin, 'access-control-request-method': 'POST' },
    })
    const ok = await post('listRuns', [], { origin: server.origin })
    for (const res of [preflight, ok]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
    }
    expect(preflight.status).toBe(405)
  })
})

describe('the WebSocket', () => {
  const wsUrl = (): string => `ws://127.0.0.1:${server.port}/api/events`

  function refusal(opts: { origin?: string; headers?: Record<string, string> }): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl(), { ...(opts.origin ? { origin: opts.origin } : {}), headers: opts.headers ?? {} })
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0)
        ws.terminate()
      })
      ws.on('open', () => {
        ws.close()
        reject(new Error('the upgrade was accepted'))
      })
      ws.on('error', () => undefined)
    })
  }

  it('refuses a foreign Origin, a missing Origin and a missing token before upgrading', async () => {
    expect(await refusal({ origin: 'http://evil.example', headers: auth() })).toBe(403)
    expect(await refusal({ headers: auth() })).toBe(403)
    expect(await refusal({ origin: server.origin })).toBe(401)
    expect(await refusal({ origin: server.origin, headers: { authorization: 'Bearer nope' } })).toBe(401)
    expect(await refusal({ origin: server.origin, headers: { ...auth(), host: 'evil.example' } })).toBe(403)
  })

  it('pushes {event, payload} to a client with the token (cookie) after an update', async () => {
    const ws = new WebSocket(wsUrl(), { origin: server.origin, headers: { cookie: `hotpath_token_${server.port}=${server.token}` } })
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    const received = new Promise<{ event: string; payload: { reason: string } }>((resolve) =>
      ws.once('message', (data) => resolve(JSON.parse(String(data)))),
    )
    expect((await post('updateRun', [runs[0]!.id, { label: 'seen over ws' }])).status).toBe(200)
    const message = await received
    expect(message.event).toBe('runsChanged')
    expect(message.payload.reason).toContain(runs[0]!.id)
    ws.close()
  })

  it('does not send events that fail their schema (dev and test builds)', async () => {
    let emit: AnyEventListener | undefined
    const fake = { onAny: (l: AnyEventListener) => ((emit = l), () => undefined) } as unknown as WorkbenchService
    const messages: string[] = []
    const local = await startHttpServer({ service: fake, staticDir, validateEvents: true, log: (m) => messages.push(m) })
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${local.port}/api/events`, {
        origin: local.origin,
        headers: { authorization: `Bearer ${local.token}` },
      })
      await new Promise((resolve) => ws.once('open', resolve))
      const got: string[] = []
      ws.on('message', (d) => got.push(String(d)))
      emit!('runsChanged', { reason: 42 } as never)
      emit!('runsChanged', { reason: 'fine' })
      await vi.waitFor(() => expect(got).toHaveLength(1))
      expect(JSON.parse(got[0]!)).toEqual({ event: 'runsChanged', payload: { reason: 'fine' } })
      expect(messages.join('\n')).toMatch(/invalid runsChanged event: reason/)
      ws.close()
    } finally {
      await local.close()
    }
  })
})

describe('requests', () => {
  it('answers {result} validated by the same schemas', async () => {
    const res = await post('listRuns', [{ workload: 'orderbook' }])
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    const body = JSON.parse(res.body.toString()) as { result: { id: string }[] }
    expect(body.result.map((r) => r.id).sort()).toEqual(runs.map((r) => r.id).sort())
  })

  it('pages runs with listRunPage and refuses a negative offset or a limit over 1000 with 400', async () => {
    const res = await post('listRunPage', [{ workload: 'orderbook' }, { offset: 1, limit: 1 }])
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body.toString()) as { result: { runs: { id: string }[]; total: number } }
    expect(body.result.total).toBe(runs.length)
    expect(body.result.runs.map((r) => r.id)).toEqual([runs.map((r) => r.id).sort().reverse()[1]])
    const negative = await post('listRunPage', [{}, { offset: -1, limit: 10 }])
    expect(negative.status).toBe(400)
    expect(JSON.parse(negative.body.toString()).error.issues).toEqual([expect.stringMatching(/^1\.offset: offset must be 0 or more/)])
    const tooMany = await post('listRunPage', [{}, { offset: 0, limit: 1001 }])
    expect(tooMany.status).toBe(400)
    expect(JSON.parse(tooMany.body.toString()).error.issues).toEqual([expect.stringMatching(/^1\.limit: limit must be at most 1000/)])
    expect((await post('listRunPage', [{}]).then((r) => r.status))).toBe(400)
  })

  it('rejects an invalid message with 400 naming the field', async () => {
    const res = await post('startRun', [{ workload: 'selftest', iterations: -1, turbo: true }])
    expect(res.status).toBe(400)
    const { error } = JSON.parse(res.body.toString()) as { error: { code: string; message: string; issues: string[] } }
    expect(error.code).toBe('bad-request')
    expect(error.message).toContain('iterations')
    expect(error.issues).toEqual(expect.arrayContaining([expect.stringMatching(/^0\.iterations/), expect.stringContaining('turbo')]))
  })

  it('refuses unknown top-level fields by name, and a body without "args"', async () => {
    const send = (body: string) =>
      raw(server.port, { path: '/api/listRuns', method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body })
    const foo = await send('{"foo":1}')
    expect(foo.status).toBe(400)
    const fooError = JSON.parse(foo.body.toString()).error as { message: string; issues: string[] }
    expect(fooError.message).toMatch(/Unknown field in the request body: "foo"/)
    expect(fooError.issues).toEqual(['foo: unknown field'])
    const none = await send('{}')
    expect(none.status).toBe(400)
    expect(JSON.parse(none.body.toString()).error.message).toMatch(/no "args"/)
    expect((await send('{"args":[]}')).status).toBe(200)
  })

  it.each([
    ['/etc/passwd', /not executable/],
    ['/tmp', /is not a file/],
    ['/bin/echo', /is not Node/],
    ['/nonexistent/node', /does not exist/],
    ['node', /absolute path/],
  ])('refuses the runtime %s with 400 before any run folder exists', async (runtime, message) => {
    const before = await readdir(store.runsDir)
    const res = await post('startRun', [{ workload: 'selftest', iterations: 5, runtime }])
    expect(res.status).toBe(400)
    const error = JSON.parse(res.body.toString()).error as { message: string; issues: string[] }
    expect(error.message).toMatch(message)
    expect(error.issues).toEqual([expect.stringMatching(/^runtime: /)])
    expect(service.activeRunIds()).toEqual([])
    expect(await readdir(store.runsDir)).toEqual(before)
  })

  it('rejects a run request whose parameters the workload does not accept', async () => {
    const res = await post('startRun', [{ workload: 'selftest', params: { n: 0 } }])
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body.toString()).error.message).toMatch(/params\.n/)
  })

  it('maps malformed bodies, wrong types, unknown methods and verbs to clear statuses', async () => {
    const bad = await raw(server.port, {
      path: '/api/listRuns',
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{"args": [',
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body.toString()).error.message).toMatch(/not valid JSON/)
    const extra = await raw(server.port, {
      path: '/api/listRuns',
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{"args": [], "x": 1}',
    })
    expect(extra.status).toBe(400)
    const form = await raw(server.port, {
      path: '/api/listRuns',
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'args=',
    })
    expect(form.status).toBe(415)
    expect((await post('dropDatabase', [])).status).toBe(404)
    expect((await raw(server.port, { path: '/api/listRuns', headers: auth() })).status).toBe(405)
    expect((await post('getRun', ['20261123T070000000Z-orderbook-naive-zzzz'])).status).toBe(404)
  })

  it('limits JSON bodies (413)', async () => {
    const res = await post('updateRun', [runs[1]!.id, { notes: 'x'.repeat(70 * 1024) }])
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body.toString()).error.code).toBe('too-large')
  })
})

describe('binary methods', () => {
  const profile = JSON.stringify({
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 1, children: [] },
    ],
    startTime: 0,
    endTime: 1000,
    samples: [1],
    timeDeltas: [1000],
  })

  it('imports a raw body named by X-Hotpath-Filename, and serves its artifact back', async () => {
    const res = await raw(server.port, {
      path: '/api/importFile',
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/octet-stream', 'x-hotpath-filename': encodeURIComponent('trace – 1.cpuprofile') },
      body: profile,
    })
    expect(res.status).toBe(200)
    const { result } = JSON.parse(res.body.toString()) as { result: { imported: string[] } }
    expect(result.imported).toHaveLength(1)
    const id = result.imported[0]!

    const bytes = await post('readArtifact', [id, 'cpu.cpuprofile'])
    expect(bytes.status).toBe(200)
    expect(bytes.headers['content-type']).toBe('application/octet-stream')
    expect(bytes.body.toString()).toBe(profile)

    const streamed = await raw(server.port, { path: `/api/artifacts/${id}/cpu.cpuprofile`, headers: auth() })
    expect(streamed.status).toBe(200)
    expect(streamed.body.toString()).toBe(profile)
    expect(streamed.headers['content-security-policy']).toContain('sandbox')
    expect((await raw(server.port, { path: `/api/artifacts/${id}/..%2f..%2f..%2fsecret.txt`, headers: auth() })).status).toBe(400)
    expect((await raw(server.port, { path: `/api/artifacts/${id}/cpu.cpuprofile` })).status).toBe(401)
  })

  it('exports runs as application/octet-stream gzip', async () => {
    const res = await post('exportRuns', [[runs[0]!.id]])
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/octet-stream')
    expect([res.body[0], res.body[1]]).toEqual([0x1f, 0x8b])
  })

  it('refuses imports over the limit (413), declared or streamed, leaving nothing behind', async () => {
    const big = Buffer.alloc(80 * 1024, 0x20)
    const declared = await raw(server.port, {
      path: '/api/importFile',
      method: 'POST',
      headers: {
        ...auth(),
        'content-type': 'application/octet-stream',
        'x-hotpath-filename': 'big.cpuprofile',
        'content-length': String(big.length),
      },
      body: big,
    })
    expect(declared.status).toBe(413)
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/importFile',
          method: 'POST',
          agent: false,
          headers: {
            ...auth(),
            'content-type': 'application/octet-stream',
            'x-hotpath-filename': 'big.cpuprofile',
            'transfer-encoding': 'chunked',
          },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.write(big.subarray(0, 40 * 1024))
      req.write(big.subarray(40 * 1024))
      req.end()
    })
    expect(chunked).toBe(413)
    const { readdir } = await import('node:fs/promises')
    await vi.waitFor(async () => expect((await readdir(store.root)).filter((f) => f.startsWith('.upload-'))).toEqual([]))
  })

  it('needs the file name header', async () => {
    const res = await raw(server.port, {
      path: '/api/importFile',
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/octet-stream' },
      body: profile,
    })
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body.toString()).error.message).toContain('X-Hotpath-Filename')
  })
})

describe('static files', () => {
  it('serves the renderer with the strict CSP and security headers', async () => {
    const page = await raw(server.port, { path: '/', headers: auth() })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    // Scripts from this server only; 'wasm-unsafe-eval' compiles WebAssembly (the profile import worker's
    // loops) and allows no eval of JavaScript.
    expect(csp.split('; ').find((d) => d.startsWith('script-src'))).toBe("script-src 'self' 'wasm-unsafe-eval'")
    expect(csp).toContain("style-src 'self' 'unsafe-inline'")
    expect(csp).toContain("img-src 'self' data: blob:")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port}`)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    const js = await raw(server.port, { path: '/assets/app.js', headers: auth() })
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
  })

  it('refuses path traversal, plain or encoded', async () => {
    for (const p of [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/%00index.html',
      '/assets',
    ]) {
      const res = await raw(server.port, { path: p, headers: auth() })
      expect([400, 403, 404], p).toContain(res.status)
      expect(res.body.toString(), p).not.toContain('TOP-SECRET')
    }
  })

  it('serves speedscope read-only under /speedscope/ when it is installed', async () => {
    const res = await raw(server.port, { path: '/speedscope/', headers: auth() })
    expect(res.status).toBe(200)
    expect(res.body.toString()).toContain('speedscope')
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'self'")
    expect((await raw(server.port, { path: '/speedscope/index.html', method: 'PUT', headers: auth() })).status).toBe(405)
    expect((await raw(server.port, { path: '/speedscope/%2e%2e/package.json', headers: auth() })).status).toBe(404)
  })

  it('explains how to build the UI when dist/renderer is missing', async () => {
    const bare = await startHttpServer({ service, staticDir: path.join(dir, 'no-such-dir') })
    try {
      const res = await raw(bare.port, { path: '/', headers: { authorization: `Bearer ${bare.token}` } })
      expect(res.status).toBe(503)
      expect(res.body.toString()).toContain('npm run build:all')
    } finally {
      await bare.close()
    }
  })
})

describe('the renderer api client over HTTP', () => {
  it('calls methods, surfaces server errors with issues, receives events and reconnects', async () => {
    const local = await startHttpServer({ service, staticDir })
    const token = local.token
    const client = createApiClient({
      bridge: null,
      baseUrl: local.origin,
      // In the browser the cookie does this; Node's fetch and ws need the header.
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` } }),
      createWebSocket: (url) => new WebSocket(url, { origin: local.origin, headers: { authorization: `Bearer ${token}` } }) as never,
      backoff: { initialMs: 50, maxMs: 200, offlineAfterMs: 60_000 },
    })
    const states: string[] = []
    client.connection.onChange((s) => states.push(s))
    try {
      const list = await client.listRuns()
      expect(list.length).toBeGreaterThanOrEqual(2)
      const err = await client.startRun({ workload: 'selftest', iterations: -5 }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ApiClientError)
      expect((err as ApiClientError).code).toBe('bad-request')
      expect((err as ApiClientError).issues.join()).toContain('0.iterations')
      const bytes = await client.exportRuns([runs[1]!.id])
      expect(bytes).toBeInstanceOf(Uint8Array)

      const reasons: string[] = []
      client.on('runsChanged', (p) => reasons.push(p.reason))
      await vi.waitFor(async () => {
        await client.updateRun(runs[1]!.id, { notes: `ping ${Date.now()}` })
        expect(reasons.length).toBeGreaterThan(0)
      })

      // The server goes away: the client says so and retries; the same server comes back on the same port.
      const port = local.port
      await local.close()
      await vi.waitFor(() => expect(client.connection.state).toBe('reconnecting'))
      const again = await startHttpServer({ service, staticDir, port, token })
      try {
        await vi.waitFor(() => expect(client.connection.state).toBe('connected'), { timeout: 5000 })
        expect(states).toEqual(['reconnecting', 'connected'])
      } finally {
        client.close()
        await again.close()
      }
    } finally {
      client.close()
      await local.close()
    }
  })
})

describe('a real run over HTTP', () => {
  it('starts the self-test workload, streams progress over the WebSocket, and saves the run', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { origin: server.origin, headers: auth() })
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    const seen: { event: string; payload: { runId?: string; status?: string } }[] = []
    ws.on('message', (d) => seen.push(JSON.parse(String(d))))
    const res = await post('startRun', [{ workload: 'selftest', params: { n: 1000 }, iterations: 50, warmupIterations: 5 }])
    expect(res.status, res.body.toString()).toBe(200)
    const { runId } = (JSON.parse(res.body.toString()) as { result: { runId: string } }).result
    await vi.waitFor(() => expect(seen.some((m) => m.event === 'runFinished' && m.payload.runId === runId)).toBe(true), {
      timeout: 60_000,
      interval: 100,
    })
    ws.close()
    expect(seen.some((m) => m.event === 'runProgress' && m.payload.runId === runId)).toBe(true)
    const finished = seen.find((m) => m.event === 'runFinished')!
    expect(finished.payload.status).toBe('ok')
    const got = JSON.parse((await post('getRun', [runId])).body.toString()) as {
      result: { status: string; metrics?: { iterations: number } }
    }
    expect(got.result.status).toBe('ok')
    expect(got.result.metrics?.iterations).toBe(50)
  }, 90_000)
})

describe('hotpath serve', () => {
  function context(signal: AbortSignal, env: NodeJS.ProcessEnv = {}) {
    let stdout = ''
    let stderr = ''
    const ctx: CliContext = {
      stdout: { write: (c: string) => ((stdout += c), true) } as never,
      stderr: { write: (c: string) => ((stderr += c), true) } as never,
      stderrIsTTY: false,
      env,
      cwd: dir,
      signal,
    }
    return { ctx, out: () => stdout, err: () => stderr }
  }

  it('prints the store and a tokened 127.0.0.1 URL, serves until interrupted, then exits 0', async () => {
    const controller = new AbortController()
    const io = context(controller.signal, { HOTPATH_HOME: path.join(dir, 'serve-store') })
    const exit = runCli(['serve', '--port', '0', '--no-open'], io.ctx)
    await vi.waitFor(() => expect(io.out()).toMatch(/Hotpath is serving/), { timeout: 10_000 })
    const m = /^Hotpath is serving (.+) at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43}))\n$/.exec(io.out())
    expect(m, io.out()).not.toBeNull()
    expect(m![1]).toBe(path.join(dir, 'serve-store'))
    const port = Number(m![3])
    expect(
      (
        await raw(port, {
          path: '/api/listRuns',
          method: 'POST',
          headers: { authorization: `Bearer ${m![4]}`, 'content-type': 'application/json' },
          body: '{"args":[]}',
        })
      ).status,
    ).toBe(200)
    controller.abort()
    expect(await exit).toBe(0)
    await expect(raw(port, { path: '/' })).rejects.toThrow(/ECONNREFUSED/)
  })

  it('rejects a bad --port with exit code 2 and a message saying what to do', async () => {
    const io = context(new AbortController().signal)
    expect(await runCli(['serve', '--port', 'http', '--no-open'], io.ctx)).toBe(2)
    expect(io.err()).toMatch(/--port "http" must be a whole number from 0 to 65535/)
  })

  it('says when the port is taken', async () => {
    const io = context(new AbortController().signal, { HOTPATH_HOME: path.join(dir, 'serve-store') })
    expect(await runCli(['serve', '--port', String(server.port), '--no-open'], io.ctx)).toBe(2)
    expect(io.err()).toMatch(/is in use; pick another with --port/)
  })
})
