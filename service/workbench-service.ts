/**
 * The one implementation of WorkbenchApi, over the run store, the run executor, bundles and the
 * environment capture. Electron main and `hotpath serve` use it in-process; every method validates its
 * arguments with the contract's schemas first, so every transport gets the same checks and messages.
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, realpath, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  type ApiErrorBody,
  type ApiMethod,
  ApiValidationError,
  type WorkbenchApi,
  type WorkbenchEventName,
  type WorkbenchEventSource,
  type WorkbenchEvents,
  parseApiArgs,
} from '../core/api/contract.js'
import type { CompareOptions, ImportResult, RunFilter, RunRequest, WorkloadFolder } from '../core/api/schemas.js'
import { sweepGroupId } from '../core/model/sweep.js'
import { type SweepPlan, executeSweep, planSweep } from './sweep.js'
import type { FunctionChange } from '../core/compare/comparison.js'
import type { HeapSummary } from '../core/analysis/heap-summary.js'
import type { HeapDiff } from '../core/compare/heap-diff.js'
import { isMetricName, METRIC_DEFINITIONS, METRIC_NAMES } from '../core/compare/metrics.js'
import type { ReportInput } from '../core/export/index.js'
import { reportFileName } from '../core/export/report-file-name.js'
import type { HeapAnalysisOptions } from './heap-analysis.js'
import type { EnvironmentSnapshot } from '../core/model/environment.js'
import type { RunId, RunRecord } from '../core/model/run.js'
import type { CustomRunOptions } from './custom-run.js'
import { ServiceInputError } from './input-error.js'
import type { HeapSnapshotSource, LoadProfileOptions, LoadedProfile, RunHeapSnapshots } from './local-inputs.js'
import { writeFileAtomicallyWith, writeOutputFile } from './output-file.js'
import type { WorkloadDescriptor } from '../core/model/workload.js'
import type { ExportOptions } from '../store/bundle.js'
import { type RunListing, type RunPage, type RunStore, StoreError } from '../store/run-store.js'
import type { RunExecution, RunExecutorDeps } from './run-executor.js'
import { type AnyEventListener, createEventHub } from './event-hub.js'
import type { compareBaselines, SuiteRequest, SuiteResult } from './suite.js'
import type { WorkloadFilePolicy } from './workload-files.js'
import type { AbOptions, AbResult } from './ab.js'
import type { RemoteRuns, RemoteRunsOptions } from './remote-runs.js'
import type { SshOptions } from '../remote/ssh.js'
import { defaultConfigDir, TargetError } from '../remote/targets.js'
import { RemoteRunError } from '../remote/remote-run-error.js'
import { RunnerPackageError } from '../remote/runner-package.js'
import { TargetComparisonError } from '../core/compare/by-target.js'
import { ProfileFormatError } from '../core/import/cpuprofile.js'
import { checkNodeRuntime, RuntimeCheckError } from '../profilers/runtime-check.js'
import { BundleError } from '../store/bundle-error.js'
import { modules } from './lazy-modules.js'

/** The error kinds a transport maps to a status (HTTP) or passes through as data (IPC). */
export type WorkbenchErrorCode = ApiErrorBody['error']['code']

/** A failed request: `message` says what to fix; `issues` lists each invalid field for forms. */
export class WorkbenchError extends Error {
  constructor(
    readonly code: WorkbenchErrorCode,
    message: string,
    readonly issues?: string[],
  ) {
    super(message)
    this.name = 'WorkbenchError'
  }

  /** The wire form shared by the HTTP error body and the IPC envelope. */
  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues?.length ? { issues: this.issues } : {}) } }
  }
}

/** The pieces the service is built from; tests swap in a fake executor (hyperfine's FakeExecutor idea). */
export interface WorkbenchServiceDeps {
  startRunExecution: (request: unknown, deps: RunExecutorDeps) => RunExecution | Promise<RunExecution>
  listWorkloads: () => WorkloadDescriptor[] | Promise<WorkloadDescriptor[]>
  captureEnvironment: (options?: { fresh?: boolean }) => Promise<EnvironmentSnapshot>
  /** Checks a user-named runtime before a run is created (exists, executable, Node >= 18). */
  checkRuntime: (runtime: string) => Promise<unknown>
}

export interface WorkbenchServiceOptions {
  store: RunStore
  /**
   * The Node binary for runs whose request names no runtime. Electron main passes its own binary with
   * ELECTRON_RUN_AS_NODE=1; the CLI and `serve` leave it unset (the Node running Hotpath).
   */
  defaultRuntime?: { path: string; env?: NodeJS.ProcessEnv }
  /** Largest artifact a run's child may write, in bytes (default 2 GiB; `hotpath run --max-artifact-size`). */
  maxArtifactBytes?: number
  /** Largest artifact `readArtifact` returns in one piece, in bytes (default 1 GiB). */
  maxReadArtifactBytes?: number
  /** Targets: the config folder holding targets.json (default: HOTPATH_CONFIG or the OS's) and SSH settings. */
  remote?: { configDir?: string; ssh?: SshOptions }
  /** Where unexpected failures are reported (a listener that throws, a run that crashed the executor). */
  log?: (message: string) => void
  deps?: Partial<WorkbenchServiceDeps>
  /**
   * Workload files: the folder the Launch view lists `*.bench.ts` files from, and whether files outside it
   * may run (the CLI: yes; `serve` and the desktop app: no, so a page cannot run any file on the machine).
   */
  workloadFiles?: WorkloadFilePolicy
  /**
   * The desktop app's workloads-folder setting: `choose` asks the user (a native folder dialog), `save`
   * persists the folder in the app's settings. Without it (CLI, serve) chooseWorkloadFolder is refused.
   */
  workloadFolderSetting?: { choose(): Promise<string | undefined>; save(folder: string): Promise<void> }
}

/** WorkbenchApi plus what the Node-side transports need and the contract does not carry. */
export interface WorkbenchService extends WorkbenchApi, WorkbenchEventSource {
  /** The store's folder, for messages ("No runs in …"). */
  readonly storeRoot: string
  /** Resolves with the saved record once a run started by this service is saved (a finished run: its record). */
  waitForRun(runId: RunId): Promise<RunRecord>
  /** listRuns, plus the runs whose run.json could not be read and why (the CLI lists them on stderr). */
  listRunsWithProblems(filter?: RunFilter, page?: RunPage): Promise<RunListing>
  /** Deletes several runs; every id is checked first, so a bad id deletes nothing. */
  deleteRuns(ids: readonly string[]): Promise<{ deleted: RunId[] }>
  /** Writes a bundle of runs to `file` atomically (temp file beside it, removed on failure); `redactHeap` rewrites home paths in heap snapshots. */
  exportRunsToFile(ids: readonly string[], file: string, options?: ExportOptions): Promise<{ file: string }>
  /** Everything a comparison report needs (runs, samples, comparison, function diff, gate), for the exporters. */
  prepareReport(ids: readonly string[], options: CompareOptions): Promise<ReportInput>
  /** Writes a report or exported profile the user named, atomically; unwritable targets fail first. */
  writeOutputFile(file: string, data: string | Uint8Array): Promise<{ file: string }>
  /** A CPU or allocation profile named by file or run id (`hotpath top`, `export-profile`). */
  loadProfile(arg: string, options: LoadProfileOptions): Promise<LoadedProfile>
  /** A heap snapshot named by file or run id (its heap-end, else heap-start). */
  resolveHeapSnapshot(arg: string, options: { cwd: string }): Promise<HeapSnapshotSource>
  /** A run's heap snapshots that exist. */
  findRunHeapSnapshots(runId: string): Promise<RunHeapSnapshots>
  /** Summarizes a snapshot in a worker thread, with progress and cancellation. */
  analyzeHeapSnapshot(source: HeapSnapshotSource, options?: HeapAnalysisOptions): Promise<HeapSummary>
  /** Compares two snapshots in a worker thread, with progress and cancellation. */
  diffHeapSnapshotSources(base: HeapSnapshotSource, target: HeapSnapshotSource, options?: HeapAnalysisOptions): Promise<HeapDiff>
  /** Profiles any command (`hotpath profile -- <cmd>`) and saves it as a run of kind "custom". */
  profileCommand(options: CustomRunOptions): Promise<RunRecord>
  /** Subscribes to every event (transports forward them all); returns the unsubscribe function. */
  onAny(listener: AnyEventListener): () => void
  /**
   * Imports a file that arrives as a stream (HTTP uploads of up to gigabytes), written to a temp file
   * in the store first; more than `maxBytes` fails with code "too-large" and leaves nothing behind.
   */
  importFileStream(name: string, source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<ImportResult>
  /** Points the Launch view at another workloads folder (checked to be a folder) and saves it when the desktop setting exists. */
  setWorkloadFolder(folder: string): Promise<WorkloadFolder>
  /**
   * Imports a file the user picked on this machine (the desktop File > Import… menu, `hotpath import`),
   * without copying it first; `onProgress` gets the bytes checked so far of a large `.cpuprofile`.
   */
  importLocalFile(file: string, hooks?: { onProgress?: (done: number, total: number) => void }): Promise<ImportResult>
  /** The absolute path of an artifact for streaming it (checked like readArtifact). */
  resolveArtifactFile(runId: string, file: string): Promise<{ path: string; bytes: number }>
  /**
   * Checks a sweep (the startSweep argument) and expands it into its run requests, grouped and labelled;
   * `hotpath sweep --on` sends these to targets.
   */
  planSweep(input: unknown): Promise<SweepPlan>
  /**
   * Runs a sweep to the end, one run after another (stopping after a cancelled one); `runOne` starts and
   * follows one run (the CLI's progress bar; by default startRun, then waitForRun).
   */
  runSweep(input: unknown, hooks?: { runOne?(request: RunRequest, index: number, plan: SweepPlan): Promise<RunRecord> }): Promise<{ plan: SweepPlan; runs: RunRecord[] }>
  /** Runs a suite (interleaved processes per member), saves or compares against a named baseline. */
  runSuite(request: SuiteRequest, hooks?: { onProgress?(text: string, fraction: number): void; signal?: AbortSignal }): Promise<SuiteResult>
  /** Reads a workload file's descriptor (in a child process), under this service's workload-file policy. */
  describeWorkloadFile(spec: string): Promise<{ descriptor?: WorkloadDescriptor; error?: string }>
  /** Compares the runs of two named baselines (base and head measured in alternating rounds). */
  compareBaselines(base: string, candidate: string, options: Parameters<typeof compareBaselines>[3]): Promise<SuiteResult>
  /** `hotpath ab`: sides A and B alternated (paired in one process, or ABBA), saved as two runs and compared (service/ab.ts). */
  runAb(request: unknown, options?: Pick<AbOptions, 'onProgress' | 'signal'>): Promise<AbResult>
  /** Hardware targets over SSH: registry, check, runs on targets, pulls (errors arrive as WorkbenchErrors). */
  readonly targets: RemoteRuns
  /** Runs started by this service that have not finished yet. */
  activeRunIds(): RunId[]
  /** Cancels active runs and waits until they are saved (app quit, server stop). */
  dispose(): Promise<void>
}

type ArgsOf<K extends ApiMethod> = Parameters<WorkbenchApi[K]>
type ResultOf<K extends ApiMethod> = Awaited<ReturnType<WorkbenchApi[K]>>
type Impl<K extends ApiMethod> = (...args: ArgsOf<K>) => Promise<ResultOf<K>>

const DEFAULT_MAX_READ_ARTIFACT_BYTES = 1024 ** 3


export function createWorkbenchService(options: WorkbenchServiceOptions): WorkbenchService {
  const { store } = options
  // A copy: the desktop app changes `root` when the user picks another workloads folder.
  const filePolicy: WorkloadFilePolicy = { ...(options.workloadFiles ?? { allowOutside: false }) }
  const log = options.log ?? ((message: string) => process.stderr.write(`hotpath: ${message}\n`))
  const deps: WorkbenchServiceDeps = {
    // Built-in ids and workload files alike (files resolved and described first, under the policy below).
    startRunExecution:
      options.deps?.startRunExecution ?? (async (request, runDeps) => (await modules.workloadFiles.get()).startAnyRunExecution(request, runDeps, filePolicy)),
    listWorkloads: options.deps?.listWorkloads ?? (async () => (await modules.registry.get()).listWorkloadDescriptors()),
    captureEnvironment: options.deps?.captureEnvironment ?? (async (o) => (await modules.environment.get()).captureEnvironment(o?.fresh ? { fresh: true } : {})),
    checkRuntime: options.deps?.checkRuntime ?? checkNodeRuntime,
  }
  const maxReadArtifactBytes = options.maxReadArtifactBytes ?? DEFAULT_MAX_READ_ARTIFACT_BYTES
  const hub = createEventHub((err, name) => log(`a ${name} listener failed: ${(err as Error)?.stack ?? String(err)}`))
  const active = new Map<RunId, RunExecution>()
  const emit = <E extends WorkbenchEventName>(name: E, payload: WorkbenchEvents[E]): void => hub.emit(name, payload)

  /** Wraps one implementation: arguments are parsed at entry, and every failure leaves as a WorkbenchError. */
  function method<K extends ApiMethod>(name: K, impl: Impl<K>): WorkbenchApi[K] {
    const wrapped = async (...raw: unknown[]): Promise<ResultOf<K>> => {
      try {
        const args = parseApiArgs(name, raw) as unknown as ArgsOf<K>
        return await impl(...args)
      } catch (err) {
        throw toWorkbenchError(err)
      }
    }
    return wrapped as unknown as WorkbenchApi[K]
  }

  async function requireRunsExist(ids: readonly RunId[]): Promise<void> {
    const missing: RunId[] = []
    for (const id of ids) if (!(await store.has(id))) missing.push(id)
    if (missing.length > 0) {
      throw new WorkbenchError('not-found', `No run ${missing.join(', ')} in the store at ${store.root}.`)
    }
  }

  function artifactPathOrThrow(runId: RunId, file: string): string {
    try {
      return store.artifactPath(runId, file)
    } catch (err) {
      if (err instanceof StoreError) throw err
      throw new WorkbenchError('bad-request', `Artifact "${file}" of run ${runId}: ${(err as Error).message}`, [
        `1: ${(err as Error).message}`,
      ])
    }
  }

  async function resolveArtifact(runId: RunId, file: string): Promise<{ path: string; bytes: number }> {
    await requireRunsExist([runId])
    const abs = artifactPathOrThrow(runId, file)
    try {
      const info = await stat(abs)
      if (!info.isFile()) throw new WorkbenchError('not-found', `Run ${runId} has no artifact file "${file}".`)
      return { path: abs, bytes: info.size }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new WorkbenchError('not-found', `Run ${runId} has no artifact "${file}".`)
      throw err
    }
  }

  function runsChanged(reason: string): void {
    emit('runsChanged', { reason })
  }
  const remote = guardErrors(lazyRemoteRuns({ store, ...options.remote, runsChanged }))

  async function workloadFolderState(): Promise<WorkloadFolder> {
    const root = filePolicy.root
    const canChoose = options.workloadFolderSetting !== undefined
    if (!root) return { folder: null, problems: [], canChoose }
    const info = await stat(root).catch(() => undefined)
    if (!info?.isDirectory()) return { folder: root, problems: [{ file: '.', message: `the workloads folder ${root} ${info ? 'is not a folder' : 'does not exist'}` }], canChoose }
    return { folder: root, problems: (await (await modules.workloadFiles.get()).listWorkloadFiles(root)).problems, canChoose }
  }

  async function setWorkloadFolder(folder: string): Promise<WorkloadFolder> {
    const abs = path.resolve(folder)
    const info = await stat(abs).catch(() => undefined)
    if (!info?.isDirectory()) throw new WorkbenchError('bad-request', `The workloads folder ${abs} ${info ? 'is not a folder' : 'does not exist'}: choose a folder that holds *.bench.ts files.`)
    const real = await realpath(abs)
    await options.workloadFolderSetting?.save(real)
    filePolicy.root = real
    return workloadFolderState()
  }

  /** Checks a sweep against its workload's descriptor (built-ins and the workloads folder's files) and plans it. */
  async function planSweepOf(input: unknown): Promise<SweepPlan> {
    const [request] = parseApiArgs('startSweep', [input])
    const spec = request.run.workload
    const descriptor = (await api.listWorkloads()).find((d) => d.id === spec || d.file === spec)
    if (request.run.runtime !== undefined) await deps.checkRuntime(request.run.runtime)
    return planSweep(request, descriptor, sweepGroupId(new Date(), randomBytes(2).toString('hex')))
  }

  /** Starts one run and resolves with its saved record; `onStarted` hears its id first. */
  async function runAndWait(request: RunRequest, onStarted?: (runId: RunId) => void): Promise<RunRecord> {
    const { runId } = await api.startRun(request)
    onStarted?.(runId)
    const execution = active.get(runId)
    return execution ? execution.done : store.get(runId)
  }

  const api: WorkbenchApi = {
    listWorkloads: method('listWorkloads', async () => [
      ...(await deps.listWorkloads()),
      ...(filePolicy.root ? (await (await modules.workloadFiles.get()).listWorkloadFiles(filePolicy.root)).descriptors : []),
    ]),
    getWorkloadFolder: method('getWorkloadFolder', workloadFolderState),
    chooseWorkloadFolder: method('chooseWorkloadFolder', async () => {
      const setting = options.workloadFolderSetting
      if (!setting) {
        throw new WorkbenchError('bad-request', 'The workloads folder is set when the server starts here: `hotpath serve --workloads DIR`.')
      }
      const picked = await setting.choose()
      return picked === undefined ? workloadFolderState() : setWorkloadFolder(picked)
    }),

    startRun: method('startRun', async (request) => {
      // A user-named runtime is checked before any run folder exists: a wrong path is a bad request, not a failed run.
      if (request.runtime !== undefined) await deps.checkRuntime(request.runtime)
      const execution = await deps.startRunExecution(request, {
        store,
        onEvent: emit,
        ...(options.defaultRuntime ? { defaultRuntime: options.defaultRuntime } : {}),
        ...(options.maxArtifactBytes !== undefined ? { maxArtifactBytes: options.maxArtifactBytes } : {}),
      })
      const { runId } = execution
      active.set(runId, execution)
      execution.done.then(
        () => {
          active.delete(runId)
          runsChanged(`run ${runId} saved`)
        },
        (err: unknown) => {
          // The executor saves failed runs itself; landing here means saving failed too (disk full, store removed).
          active.delete(runId)
          log(`run ${runId} could not be completed: ${(err as Error)?.stack ?? String(err)}`)
          runsChanged(`run ${runId} failed before it could be saved: ${(err as Error)?.message ?? String(err)}`)
        },
      )
      return { runId }
    }),

    startSweep: method('startSweep', async (request) => {
      const plan = await planSweepOf(request)
      // The first run is started here, so a refusal reaches the caller; the others follow in the background.
      let first: RunId | undefined
      let announce: { resolve(id: RunId): void; reject(err: unknown): void } | undefined
      const started = new Promise<RunId>((resolve, reject) => (announce = { resolve, reject }))
      executeSweep(plan, (runRequest, i) => runAndWait(runRequest, (runId) => i === 0 && announce?.resolve((first = runId)))).catch((err: unknown) => {
        if (first === undefined) announce?.reject(err)
        else {
          log(`sweep ${plan.group} stopped: ${(err as Error)?.message ?? String(err)}`)
          runsChanged(`sweep ${plan.group} stopped: ${(err as Error)?.message ?? String(err)}`)
        }
      })
      return { group: plan.group, runId: await started, runs: plan.requests.length }
    }),

    checkRuntime: method('checkRuntime', async (runtime) => {
      try {
        const version = await deps.checkRuntime(runtime)
        return { ok: true as const, node: typeof version === 'string' ? version : '' }
      } catch (err) {
        if (err instanceof RuntimeCheckError) return { ok: false as const, message: capitalize(err.message) }
        throw err
      }
    }),

    cancelRun: method('cancelRun', async (runId) => {
      const execution = active.get(runId)
      if (!execution) return { cancelled: false }
      execution.cancel()
      return { cancelled: true }
    }),

    listRuns: method('listRuns', async (filter) => store.list(filter)),

    listRunPage: method('listRunPage', async (filter, page) => {
      const { runs, total } = await store.listWithProblems(filter, page)
      return { runs, total }
    }),

    getRun: method('getRun', async (runId) => store.get(runId)),

    updateRun: method('updateRun', async (runId, patch) => {
      const updated = await store.update(runId, patch)
      runsChanged(`run ${runId} updated`)
      return updated
    }),

    deleteRun: method('deleteRun', async (runId) => {
      if (active.has(runId)) {
        throw new WorkbenchError('conflict', `Run ${runId} is still running; cancel it before deleting it.`)
      }
      const deleted = await store.delete(runId)
      if (deleted) runsChanged(`run ${runId} deleted`)
      return { deleted }
    }),

    importFile: method('importFile', async (name, bytes) => {
      const result = await (await modules.bundle.get()).importFileBytes(store, name, bytes, { checkCpuProfile: checkImportedCpuProfile })
      if (result.imported.length > 0) runsChanged(`imported ${result.imported.length} run(s) from ${path.basename(name)}`)
      return result
    }),

    exportRuns: method('exportRuns', async (ids) => {
      await requireRunsExist(ids)
      return (await modules.bundle.get()).exportBundle(store, ids)
    }),

    readSource: method('readSource', async (runId, request) => {
      const record = await store.get(runId)
      if (!record.artifacts.some((a) => a.kind === 'cpuprofile' && a.file === request.file)) {
        throw new WorkbenchError('not-found', `Run ${runId} has no CPU profile "${request.file}".`)
      }
      const found = await resolveArtifact(runId, request.file)
      const { readProfileSource, profileScriptUrls, runWorkloadFolder, HOTPATH_WORKLOAD_FOLDERS } = await modules.sourceFile.get()
      const homeDir = os.homedir()
      const runFolder = runWorkloadFolder(await profileScriptUrls(found.path), record.workload.file, homeDir)
      return readProfileSource({
        profilePath: found.path,
        profileLabel: `The CPU profile ${request.file} of run ${runId}`,
        url: request.url,
        ...(request.line ? { line: request.line } : {}),
        folders: [...HOTPATH_WORKLOAD_FOLDERS, ...(filePolicy.root ? [filePolicy.root] : []), ...(runFolder ? [runFolder] : [])],
        homeDir,
      })
    }),

    readArtifact: method('readArtifact', async (runId, file) => {
      const found = await resolveArtifact(runId, file)
      if (found.bytes > maxReadArtifactBytes) {
        throw new WorkbenchError(
          'too-large',
          `Artifact "${file}" of run ${runId} is ${found.bytes} bytes, more than the ${maxReadArtifactBytes} bytes read in one piece; open it from ${found.path}.`,
        )
      }
      return new Uint8Array(await readFile(found.path))
    }),

    getEnvironment: method('getEnvironment', async ({ redact, fresh }) => {
      const captured = await deps.captureEnvironment(fresh ? { fresh: true } : {})
      const { redactEnvironment, formatEnvironmentMarkdown } = await modules.environment.get()
      const environment = redact ? redactEnvironment(captured) : captured
      return { environment, markdown: formatEnvironmentMarkdown(environment) }
    }),

    compareRuns: method('compareRuns', async (ids, options) => {
      const input = await prepareForApi(ids, options)
      return {
        comparison: input.comparison,
        ...(input.functionChanges ? { functionChanges: input.functionChanges as Record<string, FunctionChange[]> } : {}),
        ...(input.gate ? { gate: input.gate } : {}),
      }
    }),

    exportReport: method('exportReport', async (ids, options, format) => {
      const input = await prepareForApi(ids, options)
      const exporter = (await modules.exporters.get()).getExporter(format)
      if (!exporter) throw new WorkbenchError('bad-request', `Unknown report format "${format}".`)
      return { fileName: reportFileName(input.comparison, exporter.extension), mimeType: exporter.mediaType, text: exporter.serialize(input) }
    }),

    getHeapSummary: method('getHeapSummary', async (runId, file) => {
      const found = await resolveArtifact(runId, file)
      return (await modules.heapAnalysis.get()).analyzeHeapSnapshotFile(found.path)
    }),

    getTrend: method('getTrend', async (request) => (await modules.trend.get()).computeTrend(store, request)),
    listBaselines: method('listBaselines', async () => (await modules.baselines.get()).listBaselines(store)),
    getBaseline: method('getBaseline', async (name) => (await modules.baselines.get()).readBaseline(store, name)),
    deleteBaseline: method('deleteBaseline', async (name) => ({ deleted: await (await modules.baselines.get()).deleteBaseline(store, name) })),

    diffHeapSnapshots: method('diffHeapSnapshots', async (base, target) => {
      const a = await resolveArtifact(base.runId, base.file)
      const b = await resolveArtifact(target.runId, target.file)
      return (await modules.heapAnalysis.get()).diffHeapSnapshotFiles(a.path, b.path)
    }),

    compareHeapClasses: method('compareHeapClasses', async (base, target) => {
      const [a, b] = [await resolveArtifact(base.runId, base.file), await resolveArtifact(target.runId, target.file)]
      // One summary after the other: each worker holds one snapshot's graph at a time.
      const { analyzeHeapSnapshotFile } = await modules.heapAnalysis.get()
      // Retaining paths for the 50 largest classes of each side (a path is a walk up one BFS tree: cheap),
      // so the drill-down of the classes that changed most can show what holds their largest instances.
      const summarize = (file: string) => analyzeHeapSnapshotFile(file, { retainerPathCount: 50 })
      return (await modules.heapClassDiff.get()).compareHeapClasses(await summarize(a.path), await summarize(b.path))
    }),

    diffProfiles: method('diffProfiles', async (baseline, candidate, options) => {
      await requireRunsExist([...baseline, ...candidate])
      const { diffRunProfiles, ProfileDiffInputError } = await modules.profileDiff.get()
      return diffRunProfiles(store, baseline, candidate, options ?? {}).catch((err: unknown) => {
        throw err instanceof ProfileDiffInputError ? new WorkbenchError('bad-request', capitalize(err.message)) : err
      })
    }),

    listTargets: method('listTargets', async () => remote.listTargets()),

    compareByTarget: method('compareByTarget', async (selection) => {
      if (selection.runIds) await requireRunsExist(selection.runIds)
      return remote.compareByTarget(selection)
    }),
  }

  /** Loads and compares runs as `hotpath compare` does; bad requests say what to fix. */
  async function prepareForApi(ids: readonly RunId[], options: CompareOptions): Promise<ReportInput> {
    const metric = options.metric ?? 'opsPerSec'
    if (!isMetricName(metric)) throw new WorkbenchError('bad-request', `Unknown metric "${metric}"; use one of ${METRIC_NAMES.join(', ')}.`)
    if (options.failOnRegression !== undefined && !(options.failOnRegression < 1 || METRIC_DEFINITIONS[metric].better === 'lower')) {
      throw new WorkbenchError(
        'bad-request',
        'The regression gate must be under 100% for a higher-is-better metric (throughput cannot fall by more than 100%).',
      )
    }
    await requireRunsExist(ids)
    const { prepareComparison, ComparisonInputError } = await modules.comparison.get()
    try {
      const prepared = await prepareComparison(store, ids, {
        metric,
        method: options.method ?? 'percentile',
        force: options.force === true,
        ...(options.noise !== undefined ? { noise: options.noise } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.failOnRegression !== undefined ? { maxRegression: options.failOnRegression } : {}),
        ...(options.failOnFunctionGrowth !== undefined ? { maxGrowth: options.failOnFunctionGrowth } : {}),
      })
      return prepared.input
    } catch (err) {
      if (err instanceof ComparisonInputError) throw new WorkbenchError('bad-request', capitalize(err.message))
      throw err
    }
  }

  /** Node-side methods: arguments are typed by the interface; failures leave as WorkbenchErrors like the contract's. */
  const guard =
    <A extends unknown[], R>(impl: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await impl(...args)
      } catch (err) {
        throw toWorkbenchError(err)
      }
    }

  return {
    ...api,
    storeRoot: store.root,
    targets: remote,
    on: hub.on,
    onAny: hub.onAny,
    setWorkloadFolder: guard(setWorkloadFolder),

    waitForRun: guard(async (runId: RunId) => {
      const execution = active.get(runId)
      return execution ? await execution.done : await store.get(runId)
    }),

    listRunsWithProblems: guard((filter?: RunFilter, page?: RunPage) => {
      for (const [k, v] of Object.entries(page ?? {})) {
        if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0)) throw new ApiValidationError(`page.${k} must be a whole number >= 0, not ${String(v)}`, [`${k}: integer >= 0`])
      }
      return store.listWithProblems(filter === undefined ? undefined : parseApiArgs('listRuns', [filter])[0], page)
    }),

    deleteRuns: guard(async (ids: readonly string[]) => {
      const checked = ids.map((id) => parseApiArgs('deleteRun', [id])[0])
      await requireRunsExist(checked)
      const running = checked.filter((id) => active.has(id))
      if (running.length > 0)
        throw new WorkbenchError('conflict', `Run ${running.join(', ')} is still running; cancel it before deleting it.`)
      const deleted: RunId[] = []
      for (const id of new Set(checked)) if (await store.delete(id)) deleted.push(id)
      if (deleted.length > 0) runsChanged(`deleted ${deleted.length} run(s)`)
      return { deleted }
    }),

    exportRunsToFile: guard(async (ids: readonly string[], file: string, exportOptions: ExportOptions = {}) => {
      const checked = parseApiArgs('exportRuns', [ids])[0]
      await requireRunsExist(checked)
      const { exportBundleToFile } = await modules.bundle.get()
      const written = await writeFileAtomicallyWith(file, (tmp) => exportBundleToFile(store, checked, tmp, exportOptions))
      return { file: written }
    }),

    prepareReport: guard((ids: readonly string[], compareOptions: CompareOptions) => {
      const [checkedIds, checkedOptions] = parseApiArgs('compareRuns', [ids, compareOptions])
      return prepareForApi(checkedIds, checkedOptions)
    }),

    writeOutputFile: guard(async (file: string, data: string | Uint8Array) => ({ file: await writeOutputFile(file, data) })),

    loadProfile: guard(async (arg: string, o: LoadProfileOptions) => (await modules.localInputs.get()).loadProfileInput(store, arg, o)),
    resolveHeapSnapshot: guard(async (arg: string, o: { cwd: string }) => (await modules.localInputs.get()).resolveHeapSnapshotInput(store, arg, o)),
    findRunHeapSnapshots: guard(async (runId: string) => (await modules.localInputs.get()).findRunHeapSnapshots(store, parseApiArgs('getRun', [runId])[0])),
    analyzeHeapSnapshot: guard(async (source: HeapSnapshotSource, o?: HeapAnalysisOptions) => (await modules.heapAnalysis.get()).analyzeHeapSnapshotFile(source.file, o)),
    diffHeapSnapshotSources: guard(async (a: HeapSnapshotSource, b: HeapSnapshotSource, o?: HeapAnalysisOptions) =>
      (await modules.heapAnalysis.get()).diffHeapSnapshotFiles(a.file, b.file, o),
    ),

    profileCommand: guard(async (o: CustomRunOptions) => {
      const run = await (await modules.customRun.get()).runCustomCommand(store, o)
      runsChanged(`run ${run.id} saved`)
      return run
    }),

    async importFileStream(name, source, opts) {
      try {
        // Validates the name exactly as importFile does; the bytes are checked by size below instead.
        parseApiArgs('importFile', [name, new Uint8Array(0)])
        const safeName = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_') || 'upload'
        await mkdir(store.root, { recursive: true })
        // The ".upload-<hex>-" prefix is what the importer strips to recover the original name for the label.
        const tmp = path.join(store.root, `.upload-${randomBytes(6).toString('hex')}-${safeName}`)
        try {
          await pipeline(source, limitBytes(opts.maxBytes, name), createWriteStream(tmp, { flags: 'wx' }))
          const result = await (await modules.bundle.get()).importPath(store, tmp, { checkCpuProfile: checkImportedCpuProfile })
          if (result.imported.length > 0) runsChanged(`imported ${result.imported.length} run(s) from ${path.basename(name)}`)
          return result
        } finally {
          await rm(tmp, { force: true })
        }
      } catch (err) {
        throw toWorkbenchError(err)
      }
    },

    async importLocalFile(file, hooks = {}) {
      try {
        const result = await (await modules.bundle.get()).importPath(store, file, {
          checkCpuProfile: checkImportedCpuProfile,
          ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
        })
        if (result.imported.length > 0) runsChanged(`imported ${result.imported.length} run(s) from ${path.basename(file)}`)
        return result
      } catch (err) {
        throw toWorkbenchError(err)
      }
    },

    async resolveArtifactFile(runId, file) {
      try {
        const [id, name] = parseApiArgs('readArtifact', [runId, file])
        return await resolveArtifact(id, name)
      } catch (err) {
        throw toWorkbenchError(err)
      }
    },

    planSweep: guard(planSweepOf),

    runSweep: guard(async (input: unknown, hooks: { runOne?(request: RunRequest, index: number, plan: SweepPlan): Promise<RunRecord> } = {}) => {
      const plan = await planSweepOf(input)
      const runs = await executeSweep(plan, (request, i) => (hooks.runOne ? hooks.runOne(request, i, plan) : runAndWait(request)))
      return { plan, runs }
    }),

    async runSuite(request, hooks = {}) {
      try {
        return await (await modules.suite.get()).runSuite(store, request, {
          ...hooks,
          startRun: async (runRequest) => {
            const { runId } = await api.startRun(runRequest)
            const execution = active.get(runId)
            if (!execution) throw new WorkbenchError('internal', `run ${runId} finished before the suite could follow it`)
            return execution
          },
        })
      } catch (err) {
        throw toWorkbenchError(err)
      }
    },

    async describeWorkloadFile(spec) {
      try {
        const file = await (await modules.workloadFiles.get()).resolveWorkloadFile(spec, filePolicy)
        return { ...(file.descriptor ? { descriptor: file.descriptor } : {}), ...(file.error ? { error: file.error } : {}) }
      } catch (err) {
        throw toWorkbenchError(err)
      }
    },

    async compareBaselines(base, candidate, opts) {
      try {
        return await (await modules.suite.get()).compareBaselines(store, base, candidate, opts)
      } catch (err) {
        throw toWorkbenchError(err)
      }
    },

    async runAb(request, abOptions = {}) {
      try {
        const result = await (await modules.ab.get()).runAb(store, request, {
          ...abOptions,
          workloadFiles: filePolicy,
          ...(options.defaultRuntime ? { defaultRuntime: options.defaultRuntime } : {}),
        })
        runsChanged(`ab session saved runs ${result.runs.map((r) => r.id).join(', ')}`)
        return result
      } catch (err) {
        throw toWorkbenchError(err)
      }
    },

    activeRunIds: () => [...active.keys()],

    async dispose() {
      const running = [...active.values()]
      for (const execution of running) execution.cancel()
      await Promise.allSettled(running.map((e) => e.done))
    },
  }
}

/**
 * Remote runs behind the RemoteRuns interface, loading the runner (SSH, tar, bundles) on the first call
 * rather than when the service opens.
 */
function lazyRemoteRuns(options: RemoteRunsOptions): RemoteRuns {
  let made: Promise<RemoteRuns> | undefined
  const get = (): Promise<RemoteRuns> => (made ??= modules.remoteRuns.get().then((m) => m.createRemoteRuns(options)))
  return {
    configDir: options.configDir ?? defaultConfigDir(process.env),
    listTargets: async () => (await get()).listTargets(),
    addTarget: async (input) => (await get()).addTarget(input),
    removeTarget: async (name) => (await get()).removeTarget(name),
    checkTarget: async (name, signal) => (await get()).checkTarget(name, signal),
    runOnTargets: async (input, opts) => (await get()).runOnTargets(input, opts),
    pullPending: async (name, opts) => (await get()).pullPending(name, opts),
    compareByTarget: async (selection) => (await get()).compareByTarget(selection),
  }
}

/** The same object with every method's failure turned into a WorkbenchError. */
function guardErrors<T extends object>(target: T): T {
  const out = { ...target } as Record<string, unknown>
  for (const [key, value] of Object.entries(target)) {
    if (typeof value !== 'function') continue
    out[key] = async (...args: unknown[]) => {
      try {
        return await (value as (...a: unknown[]) => Promise<unknown>)(...args)
      } catch (err) {
        throw toWorkbenchError(err)
      }
    }
  }
  return out as T
}

/** A pass-through that fails with "too-large" once more than `maxBytes` have gone by. */
function limitBytes(maxBytes: number, name: string): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length
      if (seen > maxBytes) {
        callback(new WorkbenchError('too-large', `${path.basename(name)} is larger than the ${maxBytes}-byte import limit.`))
        return
      }
      callback(null, chunk)
    },
  })
}

/** Turns whatever a piece threw into a WorkbenchError with a code a transport can map and a clear message. */
export function toWorkbenchError(err: unknown): WorkbenchError {
  if (err instanceof WorkbenchError) return err
  if (err instanceof ServiceInputError) return new WorkbenchError(err.code, err.message)
  if (err instanceof RuntimeCheckError) return new WorkbenchError('bad-request', err.message, [`runtime: ${err.message}`])
  if (err instanceof ApiValidationError) return new WorkbenchError('bad-request', err.message, err.issues)
  if (err instanceof StoreError) {
    switch (err.code) {
      case 'not-found':
        return new WorkbenchError('not-found', capitalize(err.message))
      case 'invalid':
        return new WorkbenchError('bad-request', capitalize(err.message))
      case 'exists':
        return new WorkbenchError('conflict', capitalize(err.message))
      case 'corrupt':
        return new WorkbenchError('internal', `The store has a damaged run: ${err.message}`)
    }
  }
  // Files that are not what they claim (a truncated snapshot, an imported bundle's bad profile) are bad input, not crashes.
  if (err instanceof BundleError || err instanceof ProfileFormatError) return new WorkbenchError('bad-request', capitalize(err.message))
  if (err instanceof TargetError) return new WorkbenchError(err.code, capitalize(err.message))
  if (err instanceof TargetComparisonError || err instanceof RunnerPackageError) return new WorkbenchError('bad-request', capitalize(err.message))
  if (err instanceof RemoteRunError) return new WorkbenchError('internal', err.message)
  const message = err instanceof Error ? err.message : String(err)
  return new WorkbenchError('internal', message || 'Unexpected error (no details were given).')
}

/** An imported `.cpuprofile`'s check, in a worker thread when the file is large (service/profile-check.ts). */
async function checkImportedCpuProfile(file: string, name: string, onProgress?: (done: number, total: number) => void): Promise<void> {
  return (await modules.profileCheck.get()).checkCpuProfileFile(file, name, onProgress)
}

/**
 * The message as a sentence: its first letter capitalized, unless its first word is a name (a file,
 * a path, an id: anything but letters), which must be shown as it is spelled ("trunc.cpuprofile: …").
 */
function capitalize(text: string): string {
  const first = (text.split(/\s/, 1)[0] ?? '').replace(/[:,;]$/, '')
  if (!/^[A-Za-z]+$/.test(first)) return text
  return text[0]!.toUpperCase() + text.slice(1)
}
