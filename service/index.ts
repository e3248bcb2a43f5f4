/**
 * The service's public entry: what the front doors (cli/, electron/) may import. Everything else under
 * service/ (and store/, profilers/, workloads/ behind it) is the engine's inside; ESLint's
 * no-restricted-imports keeps the front doors to this file and core/.
 */
import { statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { HttpServerOptions, RunningHttpServer } from './http-server.js'
import { openRunStore, resolveStoreDir } from '../store/run-store.js'
import { type WorkbenchService, type WorkbenchServiceOptions, WorkbenchError, createWorkbenchService } from './workbench-service.js'

export {
  type WorkbenchErrorCode,
  type WorkbenchService,
  type WorkbenchServiceOptions,
  WorkbenchError,
  createWorkbenchService,
  toWorkbenchError,
} from './workbench-service.js'
export type { AnyEventListener } from './event-hub.js'
export type { HeapAnalysisOptions, HeapProgress } from './heap-analysis.js'
export type { HeapSnapshotSource, LoadProfileOptions, LoadedProfile, ProfileSource, RunHeapSnapshots } from './local-inputs.js'
export type { CustomRunOptions } from './custom-run.js'
export type { SuiteRequest, SuiteResult } from './suite.js'
export type { WorkloadFilePolicy } from './workload-files.js'
export { type DesktopSettings, readDesktopSettings, updateDesktopSettings } from './desktop-settings.js'
export type { HttpServerOptions, RunningHttpServer } from './http-server.js'
export { DEFAULT_SAMPLING_INTERVAL_US, DEFAULT_TIMEOUT_MS } from '../core/model/run-layout.js'
export type { RemoteRuns, RunOnTargetsResult, TargetCheck, TargetRunReport } from './remote-runs.js'
export { remoteOptionsFromEnv } from './remote-options.js'
export type { RemoteProgress } from '../remote/remote-run.js'

/** Starts `hotpath serve`'s HTTP server; its module (ws, static files) loads only for this. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  return (await import('./http-server.js')).startHttpServer(options)
}

/** The built renderer that `serve` hands out: dist/renderer (this file is dist/service/index.js, or service/index.ts in tests). */
export function defaultRendererDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  return import.meta.url.endsWith('.ts') ? path.resolve(here, '..', 'dist', 'renderer') : path.resolve(here, '..', 'renderer')
}

/** Where a store is: `--store DIR`, else HOTPATH_HOME, else the OS's app-data folder. */
export interface StoreLocation {
  /** The --store flag as given (relative to `cwd`), or undefined. */
  flag?: string | undefined
  env: NodeJS.ProcessEnv
  cwd: string
}

/** The store folder a location names (absolute). */
export function storeDirFor(location: StoreLocation): string {
  return resolveStoreDir({ flag: location.flag, env: location.env, cwd: location.cwd })
}

/** A WorkbenchService over the store a location names (or an explicit folder); the front doors' one way in. */
export function openWorkbenchService(
  location: StoreLocation | { dir: string },
  options: Omit<WorkbenchServiceOptions, 'store'> = {},
): WorkbenchService {
  const dir = 'dir' in location ? location.dir : storeDirFor(location)
  checkStoreDir(dir)
  return createWorkbenchService({ ...options, store: openRunStore(dir) })
}

/**
 * A store folder must be a folder or not exist yet (it is created on first write); the nearest existing
 * ancestor must be a folder too. `--store /etc/passwd` fails here with a sentence, not later with ENOTDIR.
 */
export function checkStoreDir(dir: string): void {
  let current = path.resolve(dir)
  for (;;) {
    let info: ReturnType<typeof statSync>
    try {
      info = statSync(current, { throwIfNoEntry: false })
    } catch (err) {
      // ENOTDIR: a file further up the path; look at the parents until it is found.
      if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err
      info = undefined
    }
    if (info) {
      if (info.isDirectory()) return
      const what = current === path.resolve(dir) ? `${current} is a file` : `${current} (in the path) is a file`
      throw new WorkbenchError('bad-request', `The store must be a folder: ${what}; name a folder with --store DIR or HOTPATH_HOME.`)
    }
    const parent = path.dirname(current)
    if (parent === current) return
    current = parent
  }
}
