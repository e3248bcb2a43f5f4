/** `hotpath serve`: the workbench UI in a browser, served on 127.0.0.1 with a per-start token. */
import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { type RunningHttpServer, defaultRendererDir, openWorkbenchService, startHttpServer, storeDirFor } from '../../service/index.js'
import { type CliCommand, type CliContext, EXIT, UsageError } from '../context.js'
import { parseFlags } from '../shared.js'

export const command: CliCommand = {
  name: 'serve',
  summary: 'the UI in a browser, on 127.0.0.1, with a token in the printed URL',
  usage: `Usage: hotpath serve [--port N] [--store DIR] [--workloads DIR] [--no-open]

Serves the Hotpath UI and its API on http://127.0.0.1:PORT (never on other interfaces) until Ctrl-C.
Open the printed address: it carries a random token, new on every start, that the server requires
on every request (it moves into a cookie on the first page load).

  --port N     the TCP port (default 0: any free port)
  --store DIR  the run store (default: HOTPATH_HOME, else the app-data folder)
  --workloads DIR  a folder of workload files (*.bench.ts/js/mjs): Launch lists them and runs them;
               the UI and the API run no file outside it
  --no-open    do not open a browser

Scripts can use the same API as the UI: POST /api/<method> with the header
"Authorization: Bearer <token>" and a JSON body {"args": [...]} (importFile takes the raw file with
X-Hotpath-Filename); GET /api/artifacts/<runId>/<file> streams an artifact; /speedscope/ is
speedscope, e.g. /speedscope/#profileURL=/api/artifacts/<runId>/cpu.cpuprofile.`,
  async run(args, ctx) {
    const { values } = parseFlags(
      'serve',
      args,
      { port: { type: 'string' }, store: { type: 'string' }, workloads: { type: 'string' }, 'no-open': { type: 'boolean' } },
      false,
    )
    const port = values.port === undefined ? 0 : parsePort(values.port)
    let workloadsDir: string | undefined
    if (values.workloads !== undefined) {
      workloadsDir = path.resolve(ctx.cwd, values.workloads)
      if (!existsSync(workloadsDir) || !statSync(workloadsDir).isDirectory()) throw new UsageError(`--workloads ${values.workloads}: no such folder (from ${ctx.cwd})`)
    }
    return serveUntilAborted({
      ...(workloadsDir ? { workloadsDir } : {}),
      ctx,
      storeRoot: storeDirFor({ flag: values.store, env: ctx.env, cwd: ctx.cwd }),
      port,
      open: !values['no-open'],
    })
  },
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > 65535)
    throw new UsageError(`--port "${text}" must be a whole number from 0 to 65535 (0 picks a free port)`)
  return Number(text)
}

/**
 * Starts the service and server, prints the address, waits for Ctrl-C (ctx.signal), then stops runs and
 * the server. Also what `npm start` runs when there is no Electron binary.
 */
export async function serveUntilAborted(opts: { ctx: CliContext; storeRoot: string; port: number; open: boolean; workloadsDir?: string }): Promise<number> {
  const { ctx } = opts
  const service = openWorkbenchService(
    { dir: opts.storeRoot },
    { log: (m) => ctx.stderr.write(`hotpath serve: ${m}\n`), ...(opts.workloadsDir ? { workloadFiles: { root: opts.workloadsDir, allowOutside: false } } : {}) },
  )
  let server: RunningHttpServer
  try {
    server = await startHttpServer({
      service,
      port: opts.port,
      host: '127.0.0.1',
      staticDir: defaultRendererDir(),
      log: (m) => ctx.stderr.write(`hotpath serve: ${m}\n`),
    })
  } catch (err) {
    await service.dispose()
    throw new UsageError((err as Error).message)
  }
  ctx.stdout.write(`Hotpath is serving ${opts.storeRoot} at ${server.url}\n`)
  ctx.stderr.write('Press Ctrl-C to stop.\n')
  if (opts.open) {
    const problem = openBrowser(server.url, ctx.env)
    if (problem) ctx.stderr.write(`Open the address above in a browser (${problem}).\n`)
  }
  if (!ctx.signal.aborted) await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }))
  ctx.stderr.write('Stopping: cancelling active runs and closing connections…\n')
  await server.close()
  await service.dispose()
  return EXIT.ok
}

/** Asks the OS to open `url`; returns why it was not tried, or undefined. Failures of the opener are ignored. */
function openBrowser(url: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.CI) return 'not opening a browser on CI'
  const platform = process.platform
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no display to open a browser on'
  const [cmd, args] =
    platform === 'darwin'
      ? ['open', [url]]
      : platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]]
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true })
    child.on('error', () => undefined)
    child.unref()
    return undefined
  } catch (err) {
    return `could not start ${cmd}: ${(err as Error).message}`
  }
}
