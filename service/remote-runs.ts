/**
 * Hardware targets behind the service: the targets registry (app config), `check`, runs on targets
 * (remote/ does the SSH work; this module validates requests, runs targets in parallel, imports each
 * pulled bundle like any import, records a failed run per failed target), resuming pulls, and the
 * comparison by target.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { RunRequest } from '../core/api/schemas.js'
import { compareByTarget, TargetComparisonError, type TargetComparison } from '../core/compare/by-target.js'
import { formatTargetComparisonHtml, formatTargetComparisonMarkdown } from '../core/export/target-table.js'
import { makeRunId, RUN_SCHEMA_VERSION, type RunId, type RunRecord } from '../core/model/run.js'
import { getRunTarget, TARGET_TAG_PREFIX, type Target, targetTag } from '../core/model/target.js'
import { type TargetProbe, probeTarget, remoteCacheDir } from '../remote/probe.js'
import { type PendingPull, type RemoteProgress, RemoteRunError, forgetJob, pullBundle, runRemoteJob } from '../remote/remote-run.js'
import { buildRunnerPackage, type RunnerPackage } from '../remote/runner-package.js'
import { closeSharedConnection, SshError, type SshOptions } from '../remote/ssh.js'
import { type AddTargetInput, defaultConfigDir, openTargetRegistry, TargetError } from '../remote/targets.js'
import { importPath, unknownEnvironment } from '../store/bundle.js'
import type { RunStore } from '../store/run-store.js'
import { validateRunRequest } from './run-executor.js'
import { sshOptionsFromEnv } from './remote-options.js'

export { remoteOptionsFromEnv, sshOptionsFromEnv } from './remote-options.js'

export interface TargetCheck {
  target: Target
  reachable: boolean
  /** Why it is not reachable (host key, authentication, network). */
  error?: string
  latencyMs?: number
  os?: TargetProbe['os']
  node?: TargetProbe['node']
  nodeProblem?: string
  disk?: TargetProbe['disk']
  cacheDir: string
}

export interface RunOnTargetsInput {
  targets: string[]
  /** Run one after another on each target, in this order (a --repeat, a sweep's values, an A/B's rounds). */
  requests: RunRequest[]
  /** Targets worked on at once (default: all of them). */
  parallel?: number
  /** Upload this machine's Node binary and run with it (the target's OS and architecture must match). */
  shipNode?: boolean
}

export interface TargetRunReport {
  target: string
  ok: boolean
  /** Runs imported into the local store from this target (failed workload runs included). */
  runIds: RunId[]
  /** The failed run recorded locally when the target's job failed. */
  failedRunId?: RunId
  failure?: { kind: string; message: string }
  bytesSent: number
  runner?: { id: string; cached: boolean; uploadedObjects: number; uploadedBytes: number }
  pullAttempts?: number
}

export interface RunOnTargetsResult {
  group: string
  targets: TargetRunReport[]
}

export interface TargetCompareSelection {
  runIds?: RunId[]
  group?: string
  workload?: string
  reference?: string
}

export interface RemoteRuns {
  readonly configDir: string
  listTargets(): Promise<Target[]>
  addTarget(input: AddTargetInput): Promise<Target>
  removeTarget(name: string): Promise<{ removed: boolean }>
  checkTarget(name: string, signal?: AbortSignal): Promise<TargetCheck>
  runOnTargets(input: RunOnTargetsInput, opts?: { onProgress?: (p: RemoteProgress) => void; signal?: AbortSignal }): Promise<RunOnTargetsResult>
  /** Pulls bundles a target left behind when a pull failed, without re-running anything. */
  pullPending(name: string, opts?: { onProgress?: (p: RemoteProgress) => void }): Promise<{ imported: RunId[]; jobs: number }>
  compareByTarget(selection: TargetCompareSelection): Promise<{ comparison: TargetComparison; markdown: string; html: string }>
}

export interface RemoteRunsOptions {
  store: RunStore
  configDir?: string
  ssh?: SshOptions
  /** Called when runs were added (imports, failed records). */
  runsChanged?: (reason: string) => void
  /** Builds the runner (tests count on the real one). */
  buildRunner?: (opts: { shipNode: boolean }) => Promise<RunnerPackage>
}

export function createRemoteRuns(options: RemoteRunsOptions): RemoteRuns {
  const { store } = options
  const configDir = options.configDir ?? defaultConfigDir(process.env)
  const registry = openTargetRegistry(configDir)
  const ssh = options.ssh ?? sshOptionsFromEnv(process.env)
  const pullDir = path.join(store.root, '.remote-pulls')
  const runnerCache = new Map<boolean, Promise<RunnerPackage>>()
  const buildRunner = (shipNode: boolean): Promise<RunnerPackage> => {
    let p = runnerCache.get(shipNode)
    if (!p) {
      p = (options.buildRunner ?? ((o) => buildRunnerPackage(o)))({ shipNode })
      runnerCache.set(shipNode, p)
      p.catch(() => runnerCache.delete(shipNode))
    }
    return p
  }
  const changed = (reason: string): void => options.runsChanged?.(reason)

  /** Runs `work` with one shared SSH connection per target, closed afterwards (nothing lingers). */
  async function withSharedConnections<T>(targets: readonly Target[], work: (sshOpts: SshOptions) => Promise<T>): Promise<T> {
    // Short path: a control socket path must fit in 104 bytes.
    const controlDir = await mkdtemp(path.join(os.tmpdir(), 'hp-ssh-'))
    const sshOpts = { ...ssh, controlDir }
    try {
      return await work(sshOpts)
    } finally {
      await Promise.all(targets.map((t) => closeSharedConnection(t, sshOpts)))
      await rm(controlDir, { recursive: true, force: true })
    }
  }

  async function importPulled(target: Target, file: string): Promise<RunId[]> {
    const result = await importPath(store, file)
    const ids = [...result.imported]
    // The runner tags runs with their target; a bundle that lost the tag still lands under its machine.
    for (const id of ids) {
      const run = await store.get(id)
      if (getRunTarget(run) !== target.name) {
        await store.update(id, { tags: [...run.tags.filter((t) => !t.startsWith(TARGET_TAG_PREFIX)), targetTag(target.name)] })
      }
    }
    return ids
  }

  async function recordFailure(target: Target, request: RunRequest, group: string, failure: RemoteRunError | Error, probe?: TargetProbe, jobId?: string): Promise<RunId> {
    const { variant, params } = validateRunRequest(request)
    const now = new Date()
    const id = makeRunId(now, `${request.workload}-${variant}`, randomBytes(3).toString('hex'))
    await store.createRunDir(id)
    const env = unknownEnvironment(now)
    env.unavailable = [`environment: the job on target ${target.name} failed before the target's environment was read`]
    if (probe) {
      env.os = { ...env.os, platform: probe.os.platform, arch: probe.os.arch }
      if (probe.node) env.runtime = { ...env.runtime, node: probe.node.version, execPath: probe.node.path }
    }
    const kind = failure instanceof RemoteRunError ? failure.kind : 'runner'
    const record: RunRecord = {
      schemaVersion: RUN_SCHEMA_VERSION,
      id,
      kind: 'workload',
      createdAt: now.toISOString(),
      finishedAt: now.toISOString(),
      label: request.label ?? `${request.workload} ${variant} on ${target.name}`,
      tags: [...new Set([...(request.tags ?? []), 'remote', `remote-failure:${kind}`, ...(jobId ? [`remote-job:${jobId}`] : [])])].slice(0, 50),
      notes: '',
      group,
      workload: { id: request.workload, variant, params, seed: request.seed ?? 42 },
      measure: {
        ...(request.iterations !== undefined ? { iterations: request.iterations } : {}),
        ...(request.durationMs !== undefined ? { durationMs: request.durationMs } : {}),
        timeoutMs: request.timeoutMs ?? 600_000,
      },
      capture: { profile: request.profile ?? [], samplingIntervalUs: request.samplingIntervalUs ?? 1000, heapSnapshots: request.heapSnapshots ?? [], timingPass: request.timingPass !== false },
      runtime: { path: probe?.node?.path ?? target.node ?? 'node', node: probe?.node?.version ?? 'unknown', v8: 'unknown' },
      status: 'failed',
      exit: { code: null, signal: null },
      error: failure.message,
      stderrTail: '',
      wallMs: 0,
      env,
      timeline: [],
      warnings: [{ kind: 'remote-failed', detail: { target: target.name, reason: kind }, message: failure.message }],
      artifacts: [],
    }
    await store.save(record)
    return id
  }

  async function runOnOne(target: Target, ssh: SshOptions, requests: RunRequest[], group: string, shipNode: boolean, onProgress: ((p: RemoteProgress) => void) | undefined, signal: AbortSignal | undefined): Promise<TargetRunReport> {
    let probe: TargetProbe | undefined
    let bytesSent = 0
    try {
      const runner = await buildRunner(shipNode)
      const result = await runRemoteJob({
        target,
        requests,
        runner,
        ssh,
        pullDir,
        ...(signal ? { signal } : {}),
        onProgress: (p) => {
          onProgress?.(p)
        },
      })
      probe = result.probe
      bytesSent = result.bytesSent
      onProgress?.({ target: target.name, stage: 'import', message: 'importing the runs (validated like any bundle)', overall: 0.97 })
      let runIds: RunId[]
      try {
        runIds = await importPulled(target, result.bundleFile)
      } catch (err) {
        throw new RemoteRunError('invalid-bundle', `${target.name}: the bundle from the target was refused: ${(err as Error).message}`)
      } finally {
        await forgetJob(target, result.pending.jobId, ssh, pullDir)
      }
      onProgress?.({ target: target.name, stage: 'done', message: `${runIds.length} run(s) imported`, overall: 1 })
      return { target: target.name, ok: true, runIds, bytesSent, runner: result.runner, pullAttempts: result.pullAttempts }
    } catch (err) {
      const failure = err instanceof RemoteRunError || err instanceof SshError ? err : new RemoteRunError('runner', `${target.name}: ${(err as Error).message}`)
      const pendingJob = failure instanceof RemoteRunError && failure.kind === 'pull' ? await findPendingJob(target.name) : undefined
      const failedRunId = await recordFailure(target, requests[0] as RunRequest, group, failure, probe, pendingJob)
      onProgress?.({ target: target.name, stage: 'done', message: `failed: ${failure.message}`, overall: 1 })
      return { target: target.name, ok: false, runIds: [], failedRunId, failure: { kind: failure instanceof RemoteRunError ? failure.kind : failure.kind, message: failure.message }, bytesSent }
    }
  }

  async function pendingPulls(): Promise<PendingPull[]> {
    let names: string[]
    try {
      names = await readdir(pullDir)
    } catch {
      return []
    }
    const out: PendingPull[] = []
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      try {
        out.push(JSON.parse(await readFile(path.join(pullDir, n), 'utf8')) as PendingPull)
      } catch {
        // A half-written note: its bundle cannot be verified, so it is not resumed.
      }
    }
    return out
  }

  async function findPendingJob(target: string): Promise<string | undefined> {
    const pending = (await pendingPulls()).filter((p) => p.target === target)
    return pending[pending.length - 1]?.jobId
  }

  return {
    configDir,
    listTargets: () => registry.list(),
    addTarget: (input) => registry.add(input),
    async removeTarget(name) {
      await registry.get(name)
      return { removed: await registry.remove(name) }
    },

    async checkTarget(name, signal) {
      const target = await registry.get(name)
      try {
        const probe = await withSharedConnections([target], (sshOpts) => probeTarget(target, sshOpts, signal))
        return {
          target,
          reachable: true,
          latencyMs: probe.latencyMs,
          os: probe.os,
          node: probe.node,
          ...(probe.nodeProblem ? { nodeProblem: probe.nodeProblem } : {}),
          disk: probe.disk,
          cacheDir: remoteCacheDir(target),
        }
      } catch (err) {
        if (err instanceof SshError) return { target, reachable: false, error: err.message, cacheDir: remoteCacheDir(target) }
        throw err
      }
    },

    async runOnTargets(input, opts = {}) {
      const names = [...new Set(input.targets)]
      if (names.length === 0) throw new TargetError('name at least one target: --on NAME[,NAME...]')
      if (input.requests.length === 0) throw new TargetError('nothing to run')
      // Every request and target is checked before any connection is made.
      for (const r of input.requests) validateRunRequest(r)
      const targets: Target[] = []
      for (const n of names) targets.push(await registry.get(n))
      const group = input.requests[0]?.group ?? `on-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(2).toString('hex')}`
      const parallel = Math.max(1, Math.min(input.parallel ?? targets.length, targets.length))
      const reports: TargetRunReport[] = new Array(targets.length)
      let next = 0
      await withSharedConnections(targets, async (sshOpts) => {
        const worker = async (): Promise<void> => {
          while (next < targets.length) {
            const i = next++
            const target = targets[i] as Target
            const requests = input.requests.map((r) => ({ ...r, group: r.group ?? group, tags: [...new Set([...(r.tags ?? []).filter((t) => !t.startsWith(TARGET_TAG_PREFIX)), targetTag(target.name), 'remote'])].slice(0, 50) }))
            reports[i] = await runOnOne(target, sshOpts, requests, group, input.shipNode === true, opts.onProgress, opts.signal)
            changed(`runs from target ${target.name}`)
          }
        }
        await Promise.all(Array.from({ length: parallel }, worker))
      })
      return { group, targets: reports }
    },

    async pullPending(name, opts = {}) {
      const target = await registry.get(name)
      const jobs = (await pendingPulls()).filter((p) => p.target === name)
      const imported: RunId[] = []
      await withSharedConnections([target], async (sshOpts) => {
        for (const job of jobs) {
          const pulled = await pullBundle(target, job, sshOpts, pullDir, 4, (p) => opts.onProgress?.({ target: name, ...p }))
          imported.push(...(await importPulled(target, pulled.file)))
          await forgetJob(target, job.jobId, sshOpts, pullDir)
          // The failed run recorded when the pull broke off is superseded by the runs themselves.
          for (const s of await store.list({ tag: `remote-job:${job.jobId}` })) await store.delete(s.id)
        }
      })
      if (imported.length > 0) changed(`pulled ${imported.length} run(s) from target ${name}`)
      return { imported, jobs: jobs.length }
    },

    async compareByTarget(selection) {
      let runs: RunRecord[]
      if (selection.runIds?.length) {
        runs = await Promise.all(selection.runIds.map((id) => store.get(id)))
      } else {
        const all = await store.list(selection.workload ? { workload: selection.workload } : undefined)
        let group = selection.group
        if (!group) {
          const newest = all.filter((s) => s.tags.some((t) => t.startsWith(TARGET_TAG_PREFIX))).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0]
          if (!newest) throw new TargetComparisonError(`no runs made on targets in ${store.root}${selection.workload ? ` for ${selection.workload}` : ''}; run with --on NAME,NAME first`)
          group = newest.group
        }
        const picked = group ? all.filter((s) => s.group === group) : all.filter((s) => s.tags.some((t) => t.startsWith(TARGET_TAG_PREFIX)))
        if (picked.length === 0) throw new TargetComparisonError(`no runs in group ${group}`)
        runs = await Promise.all(picked.map((s) => store.get(s.id)))
        runs.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
      }
      const comparison = compareByTarget(runs, selection.reference ? { reference: selection.reference } : {})
      return { comparison, markdown: formatTargetComparisonMarkdown(comparison), html: formatTargetComparisonHtml(comparison) }
    },
  }
}
