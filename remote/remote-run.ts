/**
 * Runs a job on one target: probe, make sure the runner is in the target's cache (uploading only the
 * objects it lacks), run it with progress streamed back, then pull the bundle it leaves (resuming a pull
 * that broke off, never re-running) and hand the file to the caller to import like any bundle.
 */
import { randomBytes, createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { copyFile, chmod, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { create as createTar } from 'tar'
import type { RunRequest } from '../core/api/schemas.js'
import { type Target, describeTargetAddress } from '../core/model/target.js'
import { MIN_REMOTE_NODE, probeTarget, remoteCacheDir, type TargetProbe } from './probe.js'
import { type RunnerLine, runnerLineSchema, type RunnerJob } from './protocol.js'
import { type RunnerPackage, readRunnerFile } from './runner-package.js'
import { RemoteRunError } from './remote-run-error.js'
import { classifySshFailure, remotePath, runSsh, shq, SshError, type SshOptions, startSsh } from './ssh.js'

/** Why a target's job failed, as data; `message` is the sentence recorded in the failed run. */
export { type RemoteFailureKind, RemoteRunError } from './remote-run-error.js'

export interface RemoteProgress {
  target: string
  stage: 'probe' | 'upload' | 'run' | 'pull' | 'import' | 'done'
  message: string
  /** Fraction of the whole job, 0..1, when known. */
  overall?: number
  runId?: string
  opsPerSec?: number
  p99Ns?: number
}

/** A bundle left on a target that still has to be pulled. */
export interface PendingPull {
  target: string
  jobId: string
  bytes: number
  sha256: string
  runIds: string[]
}

export interface RemoteJobResult {
  target: string
  probe: TargetProbe
  runner: { id: string; cached: boolean; uploadedObjects: number; uploadedBytes: number }
  /** Every byte written to the target's stdin (runner upload, manifests, the job description). */
  bytesSent: number
  /** The pulled bundle, verified (size and sha256), ready to import. */
  bundleFile: string
  pending: PendingPull
  pullAttempts: number
  /** What each remote run ended as. */
  runs: { runId: string; status: string; error?: string }[]
}

export interface RemoteJobOptions {
  target: Target
  requests: RunRequest[]
  runner: RunnerPackage
  ssh: SshOptions
  /** Local folder for partial pulls (inside the store, so a pull can resume across invocations). */
  pullDir: string
  signal?: AbortSignal
  onProgress?: (p: RemoteProgress) => void
  /** Pull attempts before giving up (default 4); each one resumes where the last stopped. */
  pullAttempts?: number
}

const MB = 1024 ** 2

/** Everything up to a verified bundle on this machine; throws RemoteRunError saying what went wrong. */
export async function runRemoteJob(opts: RemoteJobOptions): Promise<RemoteJobResult> {
  const { target, runner, ssh } = opts
  const progress = (p: Omit<RemoteProgress, 'target'>): void => opts.onProgress?.({ target: target.name, ...p })
  const cache = remotePath(remoteCacheDir(target))
  let bytesSent = 0

  progress({ stage: 'probe', message: `connecting to ${describeTargetAddress(target)}`, overall: 0 })
  const probe = await guard(target, () => probeTarget(target, ssh, opts.signal))
  const shipNode = runner.node !== undefined
  if (shipNode) {
    if (probe.os.platform !== process.platform || probe.os.arch !== process.arch) {
      throw new RemoteRunError('no-node', `--ship-node: ${target.name} is ${probe.os.platform} ${probe.os.arch} and this machine ${process.platform} ${process.arch}; the Node binary cannot run there (install Node ${MIN_REMOTE_NODE.join('.')}+ on it, or give --node)`)
    }
  } else if (!probe.node || probe.nodeProblem) {
    throw new RemoteRunError('no-node', `${target.name}: ${probe.nodeProblem ?? 'no Node'}; install Node ${MIN_REMOTE_NODE.join('.')}+ there, point --node at one (hotpath target add … --node PATH), or pass --ship-node`)
  }

  // 1. The runner: one round trip when it is cached; else the missing objects and the manifest in one tar.
  const have = await guard(target, () => runSsh(target, `[ -f ${cache}/runners/${runner.id}/.complete ] && echo HAVE || echo NEED`, { ...ssh, timeoutMs: 60_000, ...(opts.signal ? { signal: opts.signal } : {}) }))
  let uploadedObjects = 0
  let uploadedBytes = 0
  const cached = have.stdout.trim() === 'HAVE'
  if (!cached) {
    const shas = [...new Set(runner.files.map((f) => f.sha256))]
    const list = shas.join('\n') + '\n'
    const missingOut = await guard(target, () =>
      runSsh(target, `mkdir -p ${cache}/objects || exit 3\nwhile read s; do [ -f ${cache}/objects/"$s" ] || echo "$s"; done`, { ...ssh, stdin: list, timeoutMs: 120_000, ...(opts.signal ? { signal: opts.signal } : {}) }),
    )
    bytesSent += missingOut.bytesSent
    const missing = new Set(missingOut.stdout.split('\n').filter((l) => /^[0-9a-f]{64}$/.test(l)))
    const missingBytes = runner.files.filter((f, i, all) => missing.has(f.sha256) && all.findIndex((g) => g.sha256 === f.sha256) === i).reduce((s, f) => s + f.bytes, 0)
    // Room for the objects, the hard-linked (or copied) runner tree and the runs' artifacts.
    if (probe.disk && probe.disk.freeBytes < missingBytes * 2 + 64 * MB) {
      throw new RemoteRunError('disk-full', `${target.name}: only ${Math.round(probe.disk.freeBytes / MB)} MB free in ${probe.disk.path}; the runner needs about ${Math.round((missingBytes * 2 + 64 * MB) / MB)} MB`)
    }
    progress({ stage: 'upload', message: `uploading the runner (${missing.size} of ${shas.length} files, ${Math.round(missingBytes / 1024)} KB before compression)`, overall: 0.02 })
    const sent = await uploadRunner(target, runner, missing, ssh, cache, opts.signal)
    bytesSent += sent
    uploadedObjects = missing.size
    uploadedBytes = sent
  } else {
    progress({ stage: 'upload', message: `runner ${runner.id.slice(0, 12)} is cached on ${target.name}: nothing to upload`, overall: 0.02 })
  }

  // 2. The job.
  const jobId = `${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomBytes(4).toString('hex')}`
  const job: RunnerJob = { version: 1, jobId, target: target.name, requests: opts.requests }
  const nodeCmd = shipNode ? `"$R"/${shq(runner.node ?? 'bin/node')}` : probe.node?.path ? shq(probe.node.path) : 'node'
  const script = `R=${cache}/runners/${runner.id}\nJ=${cache}/jobs/${jobId}\nmkdir -p "$J" || exit 3\ncd "$R" || exit 3\nexec ${nodeCmd} ${shq(runner.entry)} --job-dir "$J"`
  progress({ stage: 'run', message: `running ${opts.requests.length} run(s) on ${target.name}`, overall: 0.05 })
  const runs: RemoteJobResult['runs'] = []
  let bundle: Extract<RunnerLine, { t: 'bundle' }> | undefined
  let runnerError: string | undefined
  let count = opts.requests.length
  let index = 0
  let buffered = ''
  let started = false
  const call = startSsh(target, script, {
    ...ssh,
    onStdout: (chunk) => {
      buffered += chunk.toString('utf8')
      let nl: number
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const text = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        let parsed
        try {
          parsed = runnerLineSchema.safeParse(JSON.parse(text))
        } catch {
          continue
        }
        if (!parsed.success) continue
        const line = parsed.data
        started = true
        if (line.t === 'start') {
          index = line.index
          count = line.count
          progress({ stage: 'run', runId: line.runId, message: `run ${line.index + 1}/${line.count} started`, overall: 0.05 + 0.85 * (line.index / line.count) })
        } else if (line.t === 'progress') {
          progress({
            stage: 'run',
            runId: line.runId,
            message: `run ${index + 1}/${count} ${line.phase}${line.message ? ` ${line.message}` : ''}`,
            overall: 0.05 + 0.85 * ((index + line.overall) / count),
            ...(line.opsPerSec !== undefined ? { opsPerSec: line.opsPerSec } : {}),
            ...(line.p99Ns !== undefined ? { p99Ns: line.p99Ns } : {}),
          })
        } else if (line.t === 'run') {
          runs.push({ runId: line.runId, status: line.status, ...(line.error ? { error: line.error } : {}) })
        } else if (line.t === 'bundle') {
          bundle = line
        } else if (line.t === 'error') {
          runnerError = line.message
        }
      }
    },
  })
  await call.write(JSON.stringify(job) + '\n')
  const onAbort = (): void => {
    void call.write('cancel\n')
  }
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  const exit = await call.done
  opts.signal?.removeEventListener('abort', onAbort)
  bytesSent += call.bytesSent()

  if (!bundle) {
    const sshFailure = classifySshFailure(target, exit.code, exit.stderr)
    if (sshFailure) throw toRemoteError(target, sshFailure, started ? 'mid-run' : 'at start')
    const stderrTail = exit.stderr.trim().split('\n').slice(-3).join(' / ')
    if (/ENOSPC|No space left/i.test(`${runnerError ?? ''} ${exit.stderr}`)) throw new RemoteRunError('disk-full', `${target.name}: the disk filled up during the run (${runnerError ?? stderrTail})`)
    if (exit.code !== null && exit.code > 128) throw new RemoteRunError('killed', `${target.name}: the runner was killed by signal ${exit.code - 128}${stderrTail ? ` (${stderrTail})` : ''}`)
    if (opts.signal?.aborted) throw new RemoteRunError('cancelled', `${target.name}: cancelled by the user`)
    throw new RemoteRunError('runner', `${target.name}: the runner stopped without a bundle (exit ${exit.code ?? exit.signal})${runnerError ? `: ${runnerError}` : ''}${stderrTail && !runnerError ? `: ${stderrTail}` : ''}`)
  }

  // 3. The pull, resumable.
  const pending: PendingPull = { target: target.name, jobId, bytes: bundle.bytes, sha256: bundle.sha256, runIds: bundle.runIds }
  const pulled = await pullBundle(target, pending, ssh, opts.pullDir, opts.pullAttempts ?? 4, progress)
  return {
    target: target.name,
    probe,
    runner: { id: runner.id, cached, uploadedObjects, uploadedBytes },
    bytesSent,
    bundleFile: pulled.file,
    pending,
    pullAttempts: pulled.attempts,
    runs,
  }
}

/** Wraps an ssh step so its failure becomes a RemoteRunError with the target's name and what failed. */
async function guard<T>(target: Target, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (err) {
    if (err instanceof SshError) throw toRemoteError(target, err, 'at start')
    throw err
  }
}

function toRemoteError(target: Target, err: SshError, when: 'at start' | 'mid-run' | 'during the pull'): RemoteRunError {
  if (err.kind === 'host-key' || err.kind === 'auth' || err.kind === 'unreachable') return new RemoteRunError(err.kind, err.message)
  if (err.kind === 'no-ssh') return new RemoteRunError('unreachable', err.message)
  const last = err.stderr.trim().split('\n').filter((l) => l.trim()).slice(-1)[0]?.trim()
  const what = err.exitCode === null ? 'the ssh client was stopped' : `the connection to ${describeTargetAddress(target)} dropped`
  return new RemoteRunError(when === 'during the pull' ? 'pull' : 'dropped', `${target.name}: ${what}${when === 'at start' ? '' : ` ${when}`}${last ? ` (${last})` : ''}`)
}

/** Sends the objects the target lacks plus the manifest as one tar.gz; the target links the runner tree from its objects. */
async function uploadRunner(target: Target, runner: RunnerPackage, missing: Set<string>, ssh: SshOptions, cache: string, signal?: AbortSignal): Promise<number> {
  const staging = await mkdtemp(path.join(os.tmpdir(), 'hotpath-upload-'))
  try {
    await mkdir(path.join(staging, 'objects'))
    const names: string[] = []
    const seen = new Set<string>()
    for (const f of runner.files) {
      if (!missing.has(f.sha256) || seen.has(f.sha256)) continue
      seen.add(f.sha256)
      const dest = path.join(staging, 'objects', f.sha256)
      if ('file' in f.source) await copyFile(f.source.file, dest)
      else await writeFile(dest, await readRunnerFile(f))
      await chmod(dest, f.executable ? 0o755 : 0o644)
      names.push(`objects/${f.sha256}`)
    }
    await writeFile(path.join(staging, 'manifest'), runner.manifest)
    const dirs = [...new Set(runner.files.map((f) => path.posix.dirname(f.rel)).filter((d) => d !== '.'))].sort()
    await writeFile(path.join(staging, 'dirs'), dirs.join('\n') + '\n')
    names.push('manifest', 'dirs')
    const script = [
      'set -e',
      `C=${cache}`,
      `H=${shq(runner.id)}`,
      'I="$C/incoming.$$"',
      'rm -rf "$I"; mkdir -p "$I" "$C/objects" "$C/runners"',
      'trap \'rm -rf "$I"\' EXIT',
      'tar -xzf - -C "$I" --no-same-owner',
      'for f in "$I"/objects/*; do [ -e "$f" ] || continue; mv -f "$f" "$C/objects/"; done',
      'D="$C/runners/$H"; T="$D.tmp.$$"',
      'rm -rf "$T"; mkdir -p "$T"',
      '(cd "$T" && xargs mkdir -p < "$I/dirs")',
      'while read sha mode rel; do ln "$C/objects/$sha" "$T/$rel" 2>/dev/null || cp "$C/objects/$sha" "$T/$rel"; done < "$I/manifest"',
      'touch "$T/.complete"',
      // Another upload to the same cache may have finished first: keep its runner, never pull it from under a run.
      'if [ -f "$D/.complete" ]; then rm -rf "$T"; else rm -rf "$D"; mv "$T" "$D" || { [ -f "$D/.complete" ] && rm -rf "$T"; }; fi',
      'echo UPLOADED',
    ].join('\n')
    // No compression for an uploaded Node binary would save CPU, but one gzip level for all keeps it simple; level 6 costs ~1 s per 100 MB.
    const tarStream = createTar({ gzip: { level: 6 }, cwd: staging, portable: true }, names) as unknown as AsyncIterable<Uint8Array>
    const chunks: Buffer[] = []
    const call = startSsh(target, script, { ...ssh, onStdout: (c) => chunks.push(c) })
    const onAbort = (): void => call.kill()
    signal?.addEventListener('abort', onAbort, { once: true })
    for await (const chunk of tarStream) await call.write(chunk)
    call.end()
    const exit = await call.done
    signal?.removeEventListener('abort', onAbort)
    const sshFailure = classifySshFailure(target, exit.code, exit.stderr)
    if (sshFailure) throw toRemoteError(target, sshFailure, 'mid-run')
    if (exit.code !== 0 || !Buffer.concat(chunks).toString().includes('UPLOADED')) {
      const why = exit.stderr.trim().split('\n').slice(-2).join(' / ')
      if (/No space left|ENOSPC|Disk quota/i.test(why)) throw new RemoteRunError('disk-full', `${target.name}: the disk is full; the runner upload failed (${why})`)
      throw new RemoteRunError('runner', `${target.name}: the runner upload failed (exit ${exit.code}: ${why})`)
    }
    return call.bytesSent()
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

/**
 * Pulls job/bundle.tgz into `<pullDir>/<job>.tgz.part`, resuming from the bytes already there (tail -c
 * +N), until it has the size and sha256 the runner announced; then renames it to .tgz and returns it.
 */
export async function pullBundle(
  target: Target,
  pending: PendingPull,
  ssh: SshOptions,
  pullDir: string,
  attempts: number,
  progress: (p: Omit<RemoteProgress, 'target'>) => void = () => undefined,
): Promise<{ file: string; attempts: number }> {
  await mkdir(pullDir, { recursive: true })
  const part = path.join(pullDir, `${pending.jobId}.tgz.part`)
  const done = path.join(pullDir, `${pending.jobId}.tgz`)
  await writeFile(path.join(pullDir, `${pending.jobId}.json`), JSON.stringify(pending) + '\n')
  const cache = remotePath(remoteCacheDir(target))
  let lastError = ''
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const have = await sizeOf(part)
    if (have > pending.bytes) await rm(part, { force: true })
    if (have < pending.bytes) {
      progress({ stage: 'pull', message: `pulling ${Math.round(pending.bytes / 1024)} KB${have > 0 ? `, resuming at ${Math.round(have / 1024)} KB` : ''}`, overall: 0.92 })
      const from = have > pending.bytes ? 0 : have
      const out = createWriteStream(part, { flags: 'a' })
      const call = startSsh(target, `tail -c +${from + 1} ${cache}/jobs/${shq(pending.jobId)}/bundle.tgz`, { ...ssh, onStdout: (c) => out.write(c) })
      call.end()
      const exit = await call.done
      await new Promise<void>((resolve) => out.end(resolve))
      const failure = classifySshFailure(target, exit.code, exit.stderr)
      if (failure || exit.code !== 0) {
        lastError = failure?.message ?? exit.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${exit.code}`
        if (/No such file/i.test(exit.stderr)) throw new RemoteRunError('pull', `${target.name}: the bundle of job ${pending.jobId} is gone from the target (${lastError})`)
        await new Promise((r) => setTimeout(r, Math.min(4000, 250 * 2 ** attempt)))
        continue
      }
    }
    if ((await sizeOf(part)) === pending.bytes) {
      if ((await sha256Of(part)) !== pending.sha256) {
        await rm(part, { force: true })
        lastError = 'the pulled bundle does not match the sha256 the runner announced'
        continue
      }
      await rename(part, done)
      return { file: done, attempts: attempt }
    }
  }
  throw new RemoteRunError('pull', `${target.name}: the runs finished, but pulling their bundle failed ${attempts} times (${lastError}); hotpath target pull ${target.name} resumes it without re-running`)
}

/** Removes a pulled job from the target and its local partial files (best effort). */
export async function forgetJob(target: Target, jobId: string, ssh: SshOptions, pullDir: string): Promise<void> {
  const cache = remotePath(remoteCacheDir(target))
  await runSsh(target, `rm -rf ${cache}/jobs/${shq(jobId)}`, { ...ssh, timeoutMs: 30_000 }).catch(() => undefined)
  for (const f of [`${jobId}.tgz`, `${jobId}.tgz.part`, `${jobId}.json`]) await rm(path.join(pullDir, f), { force: true })
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size
  } catch {
    return 0
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

