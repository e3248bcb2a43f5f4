/**
 * Starts and stops the local quote server (quote-server-worker.ts) in a worker thread. Works from the
 * compiled JS under dist/ and from the TS sources under vitest, where the worker is loaded through tsx.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

/** The only address the quote server binds and the clients connect to. */
export const QUOTE_SERVER_HOST = '127.0.0.1'

/** What the server worker is started with (its workerData). */
export interface QuoteServerOptions {
  /** Seed of the symbol universe and of the quote function. */
  seed: number
  /** Size of the symbol universe; quotes for other symbols get 404. */
  symbolCount: number
  /** Delay before each quote is answered, in ms; 0 answers at once. */
  latencyMs: number
}

/** Messages from the server worker to the thread that started it. */
export type WorkerToParent = { type: 'listening'; address: string; family: string; port: number } | { type: 'error'; message: string }

/** A running quote server. */
export interface QuoteServer {
  /** The address the server reported it bound to (always 127.0.0.1). */
  readonly host: string
  readonly port: number
  /** Stops the worker thread, and with it the listening socket and every connection. Idempotent. */
  close(): Promise<void>
}

const STARTUP_TIMEOUT_MS = 30_000

/**
 * What to start the worker with. Compiled JS: the .js worker file. TS (under vitest or tsx): a small
 * eval'd bootstrap that registers tsx's ESM hooks inside the worker, then imports the .ts worker.
 * Passing `--import tsx` in the worker's execArgv is not enough on Node 20 (nodejs/node#47747:
 * loader hooks from a worker's execArgv are not applied to its entry), and an explicit execArgv
 * would also have to drop the parent's V8 flags, which workers refuse.
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  const here = import.meta.url
  if (!here.endsWith('.ts')) return { entry: new URL('./quote-server-worker.js', here), eval: false }
  const target = new URL('./quote-server-worker.ts', here).href
  const tsxApi = resolveTsxEsmApi(here)
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}) })`
  return { entry: bootstrap, eval: true }
}

/**
 * The file URL of tsx's ESM API, resolved from this file (not from the working directory). Read from
 * tsx's package.json because require.resolve would pick the CommonJS build, which does not load in a worker thread (tsx 4.23).
 */
function resolveTsxEsmApi(from: string): string {
  const require = createRequire(from)
  const packageJsonPath = require.resolve('tsx/package.json')
  const exportsField = (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { exports?: Record<string, unknown> }).exports
  const api = exportsField?.['./esm/api'] as { import?: string | { default?: string } } | undefined
  const relative = typeof api?.import === 'string' ? api.import : api?.import?.default
  if (!relative) throw new Error(`cannot find tsx's ESM API in ${packageJsonPath}; the TS quote server needs tsx`)
  return pathToFileURL(path.join(path.dirname(packageJsonPath), relative)).href
}

export function startQuoteServer(options: QuoteServerOptions): Promise<QuoteServer> {
  const { entry, eval: isEval } = workerEntry()
  const worker = new Worker(entry, { eval: isEval, workerData: options })
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => (closing ??= worker.terminate().then(() => undefined))

  return new Promise<QuoteServer>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`quote server did not start within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS)
    function fail(err: Error): void {
      clearTimeout(timer)
      worker.off('message', onMessage)
      void close()
      reject(err)
    }
    function onMessage(message: WorkerToParent): void {
      if (message.type === 'error') return fail(new Error(`quote server failed: ${message.message}`))
      clearTimeout(timer)
      worker.off('message', onMessage)
      worker.off('exit', onEarlyExit)
      resolve({ host: message.address, port: message.port, close })
    }
    function onEarlyExit(code: number): void {
      fail(new Error(`quote server worker exited with code ${code} before listening`))
    }
    worker.on('message', onMessage)
    worker.once('exit', onEarlyExit)
    // A crash after start-up must not take the workload process down: requests then fail with
    // ECONNREFUSED/ECONNRESET, which name the problem, and the cause goes to stderr (kept in the run).
    worker.on('error', (err) => {
      process.stderr.write(`symbol-collection: quote server worker failed: ${err.stack ?? err.message}\n`)
      fail(err)
    })
  })
}
