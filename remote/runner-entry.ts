/**
 * The runner's entry on a target: reads one job (a list of run requests) as the first line of stdin,
 * runs the requests one after another through the WorkbenchService on a store inside the job folder,
 * streams progress as JSON lines on stdout, and leaves the runs as a bundle (job/bundle.tgz) for the
 * client to pull. The rest of stdin is the client's liveness: "cancel" cancels, its end (the SSH
 * connection dropped) cancels and exits without a bundle.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { runnerJobSchema, type RunnerLine } from './protocol.js'
import { createWorkbenchService } from '../service/workbench-service.js'
import { exportBundleToFile } from '../store/bundle.js'
import { openRunStore } from '../store/run-store.js'
import type { RunId, RunStatus } from '../core/model/run.js'

function send(line: RunnerLine): void {
  try {
    process.stdout.write(JSON.stringify(line) + '\n')
  } catch {
    // stdout is gone with the connection; stdin's end handles that.
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function main(): Promise<number> {
  const jobDirArg = process.argv[process.argv.indexOf('--job-dir') + 1]
  if (!jobDirArg || !path.isAbsolute(jobDirArg)) {
    send({ t: 'error', message: 'the runner needs --job-dir ABSOLUTE_PATH' })
    return 2
  }
  const jobDir = jobDirArg
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  const iterator = lines[Symbol.asyncIterator]()
  const first = await iterator.next()
  if (first.done) return 2
  let job
  try {
    job = runnerJobSchema.parse(JSON.parse(first.value))
  } catch (err) {
    send({ t: 'error', message: `the job is not valid: ${(err as Error).message}` })
    return 2
  }
  await mkdir(jobDir, { recursive: true })
  const store = openRunStore(path.join(jobDir, 'store'))
  const service = createWorkbenchService({ store, log: (m) => process.stderr.write(`hotpath-runner: ${m}\n`) })
  send({ t: 'hello', node: process.versions.node, v8: process.versions.v8, arch: process.arch, platform: process.platform, pid: process.pid })

  let cancelled = false
  let clientGone = false
  let current: RunId | undefined
  const cancelCurrent = (): void => {
    cancelled = true
    if (current) void service.cancelRun(current).catch(() => undefined)
  }
  void (async () => {
    for (;;) {
      const next = await iterator.next().catch(() => ({ done: true as const, value: undefined }))
      if (next.done) {
        clientGone = true
        cancelCurrent()
        return
      }
      if (next.value.trim() === 'cancel') cancelCurrent()
    }
  })()

  const finished = new Map<RunId, { status: RunStatus; error?: string }>()
  const waiters = new Map<RunId, () => void>()
  service.on('runProgress', (p) => {
    if (p.runId === current) send({ t: 'progress', runId: p.runId, phase: p.phase, overall: p.overall, ...(p.opsPerSec !== undefined ? { opsPerSec: p.opsPerSec } : {}), ...(p.p99Ns !== undefined ? { p99Ns: p.p99Ns } : {}), ...(p.message ? { message: p.message } : {}) })
  })
  service.on('runFinished', (f) => {
    finished.set(f.runId, { status: f.status })
    waiters.get(f.runId)?.()
  })
  // A run whose record could not be saved (disk full) never sends runFinished; the store change says so.
  service.on('runsChanged', (c) => {
    for (const [id, wake] of waiters) if (!service.activeRunIds().includes(id) && c.reason.includes(id)) {
      if (!finished.has(id)) finished.set(id, { status: 'failed', error: c.reason })
      wake()
    }
  })

  const runIds: RunId[] = []
  for (const [index, request] of job.requests.entries()) {
    if (cancelled) break
    const { runId } = await service.startRun(request)
    current = runId
    send({ t: 'start', runId, index, count: job.requests.length })
    if (!finished.has(runId)) await new Promise<void>((resolve) => waiters.set(runId, resolve))
    waiters.delete(runId)
    const outcome = finished.get(runId)
    let error = outcome?.error
    if (!error && outcome?.status !== 'ok') error = (await service.getRun(runId).catch(() => undefined))?.error
    if (await store.has(runId)) runIds.push(runId)
    send({ t: 'run', runId, status: outcome?.status ?? 'failed', ...(error ? { error } : {}) })
    current = undefined
  }
  await service.dispose()
  if (clientGone) return 1
  if (runIds.length === 0) {
    send({ t: 'error', message: 'no run could be saved on the target (is its disk full?)' })
    return 1
  }
  const bundle = path.join(jobDir, 'bundle.tgz')
  try {
    await exportBundleToFile(store, runIds, bundle)
  } catch (err) {
    send({ t: 'error', message: `the runs could not be bundled on the target: ${(err as Error).message}` })
    return 1
  }
  const { size } = await stat(bundle)
  send({ t: 'bundle', file: 'bundle.tgz', bytes: size, sha256: await sha256File(bundle), runIds })
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
    // Progress listeners and the stdin reader hold the loop open; the job is over.
    setImmediate(() => process.exit(code))
  },
  (err: unknown) => {
    const message = (err as Error)?.message ?? String(err)
    send({ t: 'error', message: /ENOSPC/.test(message) ? `disk full on the target: ${message}` : message })
    process.exit(1)
  },
)
