/**
 * Profiles and heap snapshots named on this machine's command line: an existing file, or a run id of the
 * store (its cpu.cpuprofile, alloc.heapprofile or heap snapshots). Used by `hotpath top`, `heap`,
 * `heap-diff` and `export-profile` through the WorkbenchService; the messages say what to record or name.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import {
  type CpuProfileRaw,
  type HeapProfileRaw,
  type ImportedProfile,
  ProfileFormatError,
  type StreamedProfile,
  parseProfileJson,
} from '../core/import/index.js'
import { runIdSchema } from '../core/model/run.js'
import type { RunStore } from '../store/run-store.js'
import { ServiceInputError } from './input-error.js'
import { importProfileFile } from './profile-import.js'
import { RUN_FILES, heapSnapshotFile } from '../core/model/run-layout.js'

/** Where a loaded profile came from. */
export interface ProfileSource {
  kind: 'run' | 'file'
  /** Absolute path of the profile file. */
  file: string
  runId?: string
  /** Operations in the profiled window, from the run record (runs only). */
  operations?: number
}

/** A loaded profile; `raw` is absent when the byte importer read a .cpuprofile (no object tree is built). */
export type LoadedProfile = (ImportedProfile | StreamedProfile) & { source: ProfileSource }

export interface LoadProfileOptions {
  cwd: string
  /** For a run: its allocation profile instead of its CPU profile. */
  alloc?: boolean | undefined
  /** Which profile of a multi-profile file: a trace thread (name, pid:tid or number) or a speedscope profile. */
  profile?: string | undefined
  /** Called as the file is read (the byte importer reports every 8 MB), with bytes done and the file size. */
  onProgress?: ((done: number, total: number) => void) | undefined
  /** Also return the parsed JSON object (`raw`) when the byte importer built none (export-profile's redaction). */
  keepRaw?: boolean | undefined
}

/** Where a heap snapshot named on the command line lives. */
export interface HeapSnapshotSource {
  kind: 'run' | 'file'
  /** Absolute path of the .heapsnapshot file. */
  file: string
  runId?: string
  /** File size in bytes. */
  bytes: number
}

/** A run's heap snapshots that exist (heap-start, heap-end) and its workload id for hints. */
export interface RunHeapSnapshots {
  start?: HeapSnapshotSource
  end?: HeapSnapshotSource
  workload: string
}

const fileSize = (file: string): Promise<number | undefined> =>
  stat(file).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  )

/**
 * Loads a profile: an existing file (.cpuprofile, .heapprofile, or JSON recognized by content), else a
 * run id (its cpu.cpuprofile, or alloc.heapprofile with `alloc`). Relative paths resolve against `cwd`.
 */
export async function loadProfileInput(store: RunStore, arg: string, opts: LoadProfileOptions): Promise<LoadedProfile> {
  const asFile = path.resolve(opts.cwd, arg)
  let source: ProfileSource
  if ((await fileSize(asFile)) !== undefined) {
    source = { kind: 'file', file: asFile }
  } else if (runIdSchema.safeParse(arg).success) {
    const run = await store.get(arg)
    const name = opts.alloc ? RUN_FILES.allocProfile : RUN_FILES.cpuProfile
    const file = store.artifactPath(arg, name)
    if ((await fileSize(file)) === undefined) {
      const kind = opts.alloc ? 'alloc' : 'cpu'
      throw new ServiceInputError(
        `run ${arg} has no ${name}; record one with \`hotpath run ${run.workload.id} --profile ${kind}\``,
        'not-found',
      )
    }
    source = { kind: 'run', file, runId: arg, ...(run.metrics ? { operations: run.metrics.operations } : {}) }
  } else {
    throw new ServiceInputError(`"${arg}" is neither a profile file nor a run id (see \`hotpath list\`)`)
  }
  try {
    // Every format through the one sniffing index; a .cpuprofile is read in pieces by the byte importer
    // (any size, past V8's string limit), and a file too large for free memory is refused before parsing.
    const imported = importProfileFile(source.file, {
      ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    })
    if (opts.keepRaw && !imported.raw) {
      const raw = parseProfileJson(source.file, await readFile(source.file, 'utf8')) as CpuProfileRaw | HeapProfileRaw
      return { ...imported, raw, source } as LoadedProfile
    }
    return { ...imported, source }
  } catch (err) {
    if (err instanceof ProfileFormatError) throw new ServiceInputError(err.message)
    throw err
  }
}

/** A run's snapshot files that exist: heap-start and heap-end. */
export async function findRunHeapSnapshots(store: RunStore, runId: string): Promise<RunHeapSnapshots> {
  const run = await store.get(runId)
  const found: RunHeapSnapshots = { workload: run.workload.id }
  for (const which of ['start', 'end'] as const) {
    const file = store.artifactPath(runId, heapSnapshotFile(which))
    const bytes = await fileSize(file)
    if (bytes !== undefined) found[which] = { kind: 'run', file, runId, bytes }
  }
  return found
}

/**
 * A heap snapshot: an existing file, else a run id (its heap-end snapshot, or heap-start when that is the
 * only one).
 */
export async function resolveHeapSnapshotInput(store: RunStore, arg: string, opts: { cwd: string }): Promise<HeapSnapshotSource> {
  const asFile = path.resolve(opts.cwd, arg)
  const bytes = await fileSize(asFile)
  if (bytes !== undefined) return { kind: 'file', file: asFile, bytes }
  if (!runIdSchema.safeParse(arg).success)
    throw new ServiceInputError(`"${arg}" is neither a heap snapshot file nor a run id (see \`hotpath list\`)`)
  const found = await findRunHeapSnapshots(store, arg)
  const snapshot = found.end ?? found.start
  if (!snapshot)
    throw new ServiceInputError(
      `run ${arg} has no heap snapshot; record one with \`hotpath run ${found.workload} --profile heap\``,
      'not-found',
    )
  return snapshot
}
