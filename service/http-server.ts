/**
 * The `hotpath serve` transport: the built renderer, the WorkbenchApi as `POST /api/<method>`, and
 * events over a WebSocket at /api/events, on 127.0.0.1 only. Every request needs the per-start token;
 * Host and Origin are checked (DNS rebinding, cross-site requests) and no CORS header is ever sent.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, realpathSync } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { PassThrough } from 'node:stream'
import path from 'node:path'
import { WebSocket, WebSocketServer } from 'ws'
import { type ApiErrorBody, type ApiMethod, type WorkbenchEventName, type WorkbenchEvents, apiChannel } from '../core/api/contract.js'
import { eventSchemas } from '../core/api/schemas.js'
import { type WorkbenchErrorCode, type WorkbenchService, WorkbenchError, toWorkbenchError } from './workbench-service.js'
import { isInside } from '../store/paths.js'

export interface HttpServerOptions {
  service: WorkbenchService
  /** TCP port; 0 (the default) picks a free one. */
  port?: number
  /** Only loopback: the server refuses to bind anything else. */
  host?: '127.0.0.1'
  /** The built renderer (dist/renderer/). When it has no index.html, `/` explains how to build it. */
  staticDir: string
  /** speedscope's built app, served read-only at /speedscope/; default: found in node_modules; null: off. */
  speedscopeDir?: string | null
  /** The access token; default: 32 random bytes, new on every start. */
  token?: string
  /** Largest JSON request body, in bytes (default 1 MiB). */
  maxJsonBytes?: number
  /** Largest import upload, in bytes (default 2 GiB); streamed to a temp file, never held in memory. */
  maxImportBytes?: number
  /** Check every outgoing event against eventSchemas (default: unless NODE_ENV is "production"). */
  validateEvents?: boolean
  /** Where unexpected server-side failures are reported (default: stderr). */
  log?: (message: string) => void
}

/** A started server. `url` carries the token: it is what the user opens. */
export interface RunningHttpServer {
  /** `http://127.0.0.1:PORT/?token=…`: opening it sets the session cookie and strips the token from the address bar. */
  url: string
  /** `http://127.0.0.1:PORT`, without the token. */
  origin: string
  token: string
  port: number
  host: string
  /** Closes WebSockets and connections and stops listening; does not dispose the service. */
  close(): Promise<void>
}

export const DEFAULT_MAX_JSON_BYTES = 1024 ** 2
export const DEFAULT_MAX_IMPORT_BYTES = 2 * 1024 ** 3
/** Methods whose result is bytes: sent as application/octet-stream, not JSON. */
const BINARY_RESULTS: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['exportRuns', 'readArtifact'])
const EVENTS_PATH = '/api/events'
const ARTIFACTS_PREFIX = '/api/artifacts/'
const HEARTBEAT_MS = 30_000
/** Past this much unsent data a slow client stops getting progress and timeline events (they are superseded anyway). */
const SOFT_BUFFER_BYTES = 8 * 1024 ** 2
const HARD_BUFFER_BYTES = 64 * 1024 ** 2

const STATUS: Record<WorkbenchErrorCode, number> = {
  'bad-request': 400,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  internal: 500,
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
}

/** Finds speedscope's built app (node_modules/speedscope/dist/release/index.html), or undefined. */
export function findSpeedscopeDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url)
    const pkg = require.resolve('speedscope/package.json')
    const dir = path.join(path.dirname(pkg), 'dist', 'release')
    return existsSync(path.join(dir, 'index.html')) ? dir : undefined
  } catch {
    return undefined
  }
}

/** The renderer's Content-Security-Policy; connect-src names this server's WebSocket origins exactly. */
export function rendererCsp(port: number): string {
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets the profile import worker compile its WebAssembly loops
    // (core/import/cpuprofile-scan.ts); it allows no eval of JavaScript.
    "script-src 'self' 'wasm-unsafe-eval'",
    // uPlot and React style props set inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** speedscope needs WebAssembly for some importers and may be framed by our own renderer. */
function speedscopeCsp(): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ')
}

/** Artifacts come from imported bundles too: they are data, never pages that run with our origin's cookie. */
const ARTIFACT_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"

/**
 * 0x's flamegraph page is one HTML file whose code is inline. It is served on a path of its own with a
 * policy of its own: `sandbox allow-scripts` without `allow-same-origin` gives it an opaque origin, so its
 * scripts run but can read no cookie of ours and reach no API (requests from it carry Origin "null"), and
 * `default-src 'none'` keeps it from loading or sending anything. A blob: URL from the renderer would
 * inherit the renderer's CSP, which blocks inline scripts: that is why the page used to open blank.
 */
export const ZERO_X_VIEW_PREFIX = '/view/0x/'
const ZERO_X_FILE = '0x/flamegraph.html'
const ZERO_X_CSP =
  "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; frame-ancestors 'none'"

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1'
  if (host !== '127.0.0.1') throw new Error(`hotpath serve binds 127.0.0.1 only, not ${String(host)}`)
  const { service } = options
  const token = options.token ?? randomBytes(32).toString('base64url')
  const tokenDigest = digest(token)
  const maxJsonBytes = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES
  const maxImportBytes = options.maxImportBytes ?? DEFAULT_MAX_IMPORT_BYTES
  const validateEvents = options.validateEvents ?? process.env.NODE_ENV !== 'production'
  const log = options.log ?? ((message: string) => process.stderr.write(`hotpath serve: ${message}\n`))
  const staticRoot = realpathOr(path.resolve(options.staticDir))
  const speedscopeRoot = options.speedscopeDir === null ? undefined : realpathOr(options.speedscopeDir ?? findSpeedscopeDir())

  // Filled in once listening: Host, Origin, the cookie name and the CSP all name the port.
  let port = 0
  let allowedHosts = new Set<string>()
  let allowedOrigins = new Set<string>()
  // Cookies are per host, not per port: two servers on 127.0.0.1 must not overwrite each other's token.
  let cookieName = 'hotpath_token'

  const tokenMatches = (candidate: string | undefined): boolean =>
    candidate !== undefined && candidate.length > 0 && candidate.length < 1024 && timingSafeEqual(digest(candidate), tokenDigest)

  function presentedToken(req: IncomingMessage): string | undefined {
    const auth = req.headers.authorization
    if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim()
    return parseCookies(req.headers.cookie)[cookieName]
  }

  /** Host and Origin checks shared by HTTP and the WebSocket upgrade; returns a refusal or undefined. */
  function checkHostAndOrigin(req: IncomingMessage, requireOrigin: boolean): { status: number; message: string } | undefined {
    const hostHeader = (req.headers.host ?? '').toLowerCase()
    if (!allowedHosts.has(hostHeader)) {
      return { status: 403, message: `Host "${req.headers.host ?? ''}" is not this server; use http://127.0.0.1:${port}/` }
    }
    const origin = req.headers.origin
    if (origin === undefined) {
      return requireOrigin ? { status: 403, message: 'An Origin header is required' } : undefined
    }
    if (!allowedOrigins.has(origin.toLowerCase())) return { status: 403, message: `Requests from ${origin} are not allowed` }
    if (req.headers['sec-fetch-site'] === 'cross-site') return { status: 403, message: 'Cross-site requests are not allowed' }
    return undefined
  }

  const server: Server = createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      log(`request ${req.method} ${req.url} failed: ${(err as Error)?.stack ?? String(err)}`)
      if (!res.headersSent) sendError(res, new WorkbenchError('internal', 'The server failed to handle this request.'))
      else res.destroy()
    })
  })
  // Headers must arrive promptly; bodies (large imports) get the default request timeout.
  server.headersTimeout = 20_000

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res, rendererCsp(port))
    const refusal = checkHostAndOrigin(req, false)
    if (refusal) return sendText(res, refusal.status, refusal.message)

    const rawPath = (req.url ?? '/').split('?')[0] ?? '/'
    let url: URL
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    } catch {
      return sendText(res, 400, 'Malformed request URL')
    }
    const method = req.method ?? 'GET'

    // First page load: ?token= becomes an HttpOnly cookie and leaves the address bar (and the history).
    const queryToken = url.searchParams.get('token')
    if (queryToken !== null && (method === 'GET' || method === 'HEAD') && !url.pathname.startsWith('/api/')) {
      if (!tokenMatches(queryToken)) return sendUnauthorized(res, true)
      url.searchParams.delete('token')
      res.setHeader('Set-Cookie', `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`)
      // One leading slash only: "//host/…" would be a redirect to another site.
      res.setHeader('Location', `/${url.pathname.replace(/^\/+/, '')}${url.search || ''}`)
      res.writeHead(303).end()
      return
    }
    if (!tokenMatches(presentedToken(req))) return sendUnauthorized(res, !url.pathname.startsWith('/api/'))

    if (url.pathname.startsWith(ARTIFACTS_PREFIX)) return serveArtifact(req, res, rawPath)
    if (url.pathname.startsWith(ZERO_X_VIEW_PREFIX)) return serveZeroXPage(req, res, rawPath)
    if (url.pathname === EVENTS_PATH) return sendText(res, 426, 'Connect with a WebSocket')
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname.slice('/api/'.length))

    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return sendText(res, 405, `${method} is not allowed here`)
    }
    if (url.pathname === '/speedscope') {
      res.setHeader('Location', '/speedscope/')
      res.writeHead(301).end()
      return
    }
    if (url.pathname.startsWith('/speedscope/')) {
      if (!speedscopeRoot) return sendText(res, 404, 'speedscope is not installed (npm install speedscope)')
      setSecurityHeaders(res, speedscopeCsp(), 'SAMEORIGIN')
      return serveStatic(req, res, speedscopeRoot, rawPath.slice('/speedscope'.length))
    }
    if (!staticRoot || !existsSync(path.join(staticRoot, 'index.html'))) {
      if (url.pathname === '/' || url.pathname === '/index.html') return sendNotBuilt(res)
      return sendText(res, 404, 'Not found')
    }
    return serveStatic(req, res, staticRoot, rawPath)
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    res.setHeader('Cache-Control', 'no-store')
    if (!Object.hasOwn(apiChannel, name)) {
      return sendError(
        res,
        new WorkbenchError('not-found', `There is no API method "${name}". Methods: ${Object.keys(apiChannel).join(', ')}`),
      )
    }
    const apiMethod = name as ApiMethod
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST')
      return sendText(res, 405, `Use POST /api/${name}`)
    }
    try {
      if (apiMethod === 'importFile') return await handleImport(req, res)
      if (!isContentType(req, 'application/json')) {
        return sendError(
          res,
          new WorkbenchError('bad-request', 'Send the arguments as JSON: Content-Type: application/json, body {"args": [...]}'),
          415,
        )
      }
      const body = await readBody(req, maxJsonBytes)
      const args = parseArgsBody(body)
      const result = await (service[apiMethod] as (...a: unknown[]) => Promise<unknown>)(...args)
      if (BINARY_RESULTS.has(apiMethod)) {
        const bytes = result as Uint8Array
        res.writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(bytes.byteLength),
          'Content-Disposition': 'attachment',
        })
        res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
        return
      }
      sendJson(res, 200, { result })
    } catch (err) {
      const error = toWorkbenchError(err)
      if (error.code === 'internal') log(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
      sendError(res, error)
      // An oversized body was not read to its end: do not leave the client writing into a kept-alive socket.
      if (error.code === 'too-large') res.on('finish', () => req.destroy())
    }
  }

  async function handleImport(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isContentType(req, 'application/octet-stream')) {
      return sendError(
        res,
        new WorkbenchError('bad-request', 'Send the file itself as the body, with Content-Type: application/octet-stream'),
        415,
      )
    }
    const header = req.headers['x-hotpath-filename']
    if (typeof header !== 'string' || header.length === 0) {
      return sendError(
        res,
        new WorkbenchError('bad-request', 'Name the file in the X-Hotpath-Filename header (URI-encoded)', [
          '0: X-Hotpath-Filename is required',
        ]),
      )
    }
    let name: string
    try {
      name = decodeURIComponent(header)
    } catch {
      return sendError(res, new WorkbenchError('bad-request', 'X-Hotpath-Filename is not valid URI encoding', ['0: not URI-encoded']))
    }
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > maxImportBytes) {
      throw new WorkbenchError('too-large', `${name} is ${declared} bytes, more than the ${maxImportBytes}-byte import limit.`)
    }
    // A pass-through, not the request itself: a failed import must not destroy the socket before we answer.
    const body = new PassThrough()
    req.pipe(body)
    const result = await service.importFileStream(name, body, { maxBytes: maxImportBytes })
    sendJson(res, 200, { result })
  }

  async function serveArtifact(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    res.setHeader('Cache-Control', 'no-store')
    setSecurityHeaders(res, ARTIFACT_CSP)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return sendText(res, 405, 'Artifacts are read-only')
    }
    const rest = rawPath.slice(ARTIFACTS_PREFIX.length)
    const slash = rest.indexOf('/')
    let runId: string
    let file: string
    try {
      runId = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash))
      file = decodeURIComponent(slash < 0 ? '' : rest.slice(slash + 1))
    } catch {
      return sendText(res, 400, 'Malformed artifact path')
    }
    try {
      const found = await service.resolveArtifactFile(runId, file)
      const ext = path.extname(found.path).toLowerCase()
      // Only inert types are labelled as themselves; HTML and anything unknown is a download.
      const type =
        ext === '.json' || ext === '.cpuprofile' || ext === '.heapprofile' || ext === '.heapsnapshot'
          ? 'application/json'
          : ext === '.log' || ext === '.txt'
            ? 'text/plain; charset=utf-8'
            : 'application/octet-stream'
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': String(found.bytes),
        'Content-Disposition': type === 'application/octet-stream' ? 'attachment' : 'inline',
      })
      if (req.method === 'HEAD') return void res.end()
      createReadStream(found.path)
        .on('error', () => res.destroy())
        .pipe(res)
    } catch (err) {
      sendError(res, toWorkbenchError(err))
    }
  }

  async function serveZeroXPage(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    res.setHeader('Cache-Control', 'no-store')
    setSecurityHeaders(res, ZERO_X_CSP)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return sendText(res, 405, 'The 0x page is read-only')
    }
    let runId: string
    try {
      runId = decodeURIComponent(rawPath.slice(ZERO_X_VIEW_PREFIX.length).replace(/\/+$/, ''))
    } catch {
      return sendText(res, 400, 'Malformed run id')
    }
    try {
      const found = await service.resolveArtifactFile(runId, ZERO_X_FILE)
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(found.bytes) })
      if (req.method === 'HEAD') return void res.end()
      createReadStream(found.path)
        .on('error', () => res.destroy())
        .pipe(res)
    } catch (err) {
      sendError(res, toWorkbenchError(err))
    }
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, rawPath: string): Promise<void> {
    const file = await resolveStaticFile(root, rawPath)
    if (!file) return sendText(res, 404, 'Not found')
    const ext = path.extname(file.path).toLowerCase()
    res.writeHead(200, {
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      'Content-Length': String(file.bytes),
      // The token lives in a cookie: nothing here may be cached by a shared cache.
      'Cache-Control': ext === '.html' ? 'no-cache, private' : 'private, max-age=3600',
    })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file.path)
      .on('error', () => res.destroy())
      .pipe(res)
  }

  // WebSocket: the upgrade is refused (with a plain HTTP status) before any handshake when a check fails.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  const alive = new WeakMap<WebSocket, boolean>()
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const pathname = (req.url ?? '/').split('?')[0]
    if (pathname !== EVENTS_PATH) return refuseUpgrade(socket, 404, 'Not found')
    const refusal = checkHostAndOrigin(req, true)
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.message)
    if (!tokenMatches(presentedToken(req))) return refuseUpgrade(socket, 401, 'A valid token is required')
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true)
      ws.on('pong', () => alive.set(ws, true))
      ws.on('error', () => ws.terminate())
      // Clients only listen; anything they send is ignored.
      ws.on('message', () => undefined)
    })
  })

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate()
        continue
      }
      alive.set(ws, false)
      ws.ping()
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()

  const unsubscribe = service.onAny(<E extends WorkbenchEventName>(name: E, payload: WorkbenchEvents[E]) => {
    if (wss.clients.size === 0) return
    if (validateEvents) {
      const checked = eventSchemas[name].safeParse(payload)
      if (!checked.success) {
        log(`refusing to send an invalid ${name} event: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
        return
      }
    }
    const message = JSON.stringify({ event: name, payload })
    const droppable = name === 'runProgress' || name === 'timelineSample'
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue
      if (ws.bufferedAmount > HARD_BUFFER_BYTES) {
        ws.close(1013, 'too far behind; reconnect')
        continue
      }
      if (droppable && ws.bufferedAmount > SOFT_BUFFER_BYTES) continue
      ws.send(message)
    }
  })

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} on 127.0.0.1 is in use; pick another with --port, or --port 0 for any free port`)
          : err,
      )
    }
    server.once('error', onError)
    server.listen({ port: options.port ?? 0, host, exclusive: true }, () => {
      server.off('error', onError)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])
  cookieName = `hotpath_token_${port}`
  server.on('error', (err) => log(`server error: ${err.message}`))

  const origin = `http://127.0.0.1:${port}`
  let closing: Promise<void> | undefined
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    host,
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat)
        unsubscribe()
        // A moment for the close handshakes, then whatever is left is cut: upgraded sockets keep server.close waiting.
        const clients = [...wss.clients]
        for (const ws of clients) ws.close(1001, 'server stopping')
        await Promise.race([
          Promise.all(clients.map((ws) => (ws.readyState === WebSocket.CLOSED ? undefined : new Promise((r) => ws.once('close', r))))),
          new Promise((r) => setTimeout(r, 500).unref()),
        ])
        for (const ws of wss.clients) ws.terminate()
        wss.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
      })()
      return closing
    },
  }
}

/**
 * Maps a raw URL path onto a file inside `root`, or undefined. Dot segments (raw or %-encoded),
 * NUL bytes, backslashes and symlinks leading out of the root are all refused.
 */
export async function resolveStaticFile(root: string, rawPath: string): Promise<{ path: string; bytes: number } | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  const segments = decoded.split('/')
  if (segments.some((s) => s === '..' || s === '.')) return undefined
  const relative = segments.filter((s) => s.length > 0).join('/')
  let candidate = path.resolve(root, relative || 'index.html')
  if (!isInside(root, candidate)) return undefined
  try {
    let info = await stat(candidate)
    if (info.isDirectory()) {
      candidate = path.join(candidate, 'index.html')
      info = await stat(candidate)
    }
    if (!info.isFile()) return undefined
    const real = await realpath(candidate)
    if (!isInside(root, real)) return undefined
    return { path: real, bytes: info.size }
  } catch {
    return undefined
  }
}

function realpathOr(dir: string | undefined): string | undefined {
  if (!dir) return undefined
  try {
    return realpathSync(dir)
  } catch {
    return path.resolve(dir)
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (!header) return out
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  return out
}

function isContentType(req: IncomingMessage, expected: string): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === expected
}

/** Reads a whole body up to `limit` bytes; more fails with "too-large" (checked on Content-Length first). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    throw new WorkbenchError('too-large', `The request body is ${declared} bytes; JSON requests are limited to ${limit} bytes.`)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new WorkbenchError('too-large', `The request body is over the ${limit}-byte limit for JSON requests.`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/**
 * `{"args": [...]}` → the argument list. The body is exactly that object: unknown top-level fields are
 * refused by name (a typo such as "arg" would otherwise call the method with no arguments), and so is a
 * body without "args"; an empty body is accepted as no arguments (`curl -X POST` of a method that takes none).
 */
export function parseArgsBody(body: Buffer): unknown[] {
  if (body.length === 0) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw new WorkbenchError('bad-request', `The request body is not valid JSON: ${(err as Error).message}`, ['(body): not valid JSON'])
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WorkbenchError('bad-request', 'The request body must be an object: {"args": [...]}', ['(body): expected {"args": [...]}'])
  }
  const extra = Object.keys(parsed).filter((k) => k !== 'args')
  if (extra.length > 0)
    throw new WorkbenchError(
      'bad-request',
      `Unknown field${extra.length === 1 ? '' : 's'} in the request body: ${extra.map((k) => JSON.stringify(k)).join(', ')}; send {"args": [...]}`,
      extra.map((k) => `${k}: unknown field`),
    )
  if (!Object.hasOwn(parsed, 'args')) {
    throw new WorkbenchError('bad-request', 'The request body has no "args": send {"args": [...]} (an empty list for no arguments)', [
      'args: required',
    ])
  }
  const args = (parsed as { args?: unknown }).args
  if (!Array.isArray(args))
    throw new WorkbenchError('bad-request', '"args" must be an array of the method\'s arguments', ['args: expected an array'])
  return args
}

function setSecurityHeaders(res: ServerResponse, csp: string, frameOptions: 'DENY' | 'SAMEORIGIN' = 'DENY'): void {
  res.setHeader('Content-Security-Policy', csp)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('X-Frame-Options', frameOptions)
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) })
  res.end(text)
}

function sendError(res: ServerResponse, error: WorkbenchError, status = STATUS[error.code]): void {
  const body: ApiErrorBody = error.toBody()
  if (error.code === 'too-large') res.setHeader('Connection', 'close')
  sendJson(res, status, body)
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) })
  res.end(text)
}

function sendUnauthorized(res: ServerResponse, page: boolean): void {
  res.setHeader('Cache-Control', 'no-store')
  if (!page) {
    const body: ApiErrorBody = {
      error: { code: 'bad-request', message: 'Not authorized: this request needs the token printed by `hotpath serve`.' },
    }
    res.setHeader('WWW-Authenticate', 'Bearer')
    return sendJson(res, 401, body)
  }
  sendHtml(
    res,
    401,
    'Hotpath: token needed',
    '<p>This Hotpath server needs its access token.</p><p>Open the full address that <code>hotpath serve</code> (or <code>npm start</code>) printed, the one ending in <code>?token=…</code>. A new token is made every time the server starts.</p>',
  )
}

function sendNotBuilt(res: ServerResponse): void {
  sendHtml(
    res,
    503,
    'Hotpath: the UI is not built',
    '<p>The Hotpath user interface has not been built yet, so there is nothing to show here.</p><p>Run <code>npm run build:all</code> in the Hotpath folder, then start <code>hotpath serve</code> again.</p><p>The API at <code>/api/</code> works already.</p>',
  )
}

function sendHtml(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5"><h1>${title}</h1>${body}</body></html>`
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(html)) })
  res.end(html)
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const reason = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'
  // Destroy only once the refusal is flushed, or the client sees a reset instead of the status.
  socket.once('finish', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  )
}
