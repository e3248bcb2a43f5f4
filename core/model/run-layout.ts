/**
 * The run folder's layout and capture defaults, named once: what each artifact file of
 * `<store>/runs/<runId>/` is called and the defaults a run is captured with. The harness writes these
 * files, the store and bundles import into them, the CLI and the renderer read them; all from here.
 */
import type { Artifact, RunRecord } from './run.js'

/** File names of a run's artifacts, relative to its folder. */
export const RUN_FILES = {
  record: 'run.json',
  /** V8 CPU profile of the measured (profiled) window. */
  cpuProfile: 'cpu.cpuprofile',
  /** Sampling heap profile (allocations) of the measured window. */
  allocProfile: 'alloc.heapprofile',
  heapStart: 'heap-start.heapsnapshot',
  heapEnd: 'heap-end.heapsnapshot',
  /** Heap snapshots of a soak's timing pass, kept only when a leak assertion failed. */
  leakStart: 'leak-start.heapsnapshot',
  leakEnd: 'leak-end.heapsnapshot',
  stderr: 'stderr.log',
  /** Folder of 0x's flamegraph output. */
  zeroXDir: '0x',
} as const

/** The CPU profile of a run: `cpu.cpuprofile` for a one-process run, `cpu-<k>.cpuprofile` for process k of several (`--repeat N`). */
export function cpuProfileFileName(processIndex?: number, processes = 1): string {
  return processIndex === undefined || processes <= 1 ? RUN_FILES.cpuProfile : `cpu-${processIndex}.cpuprofile`
}

/** The heap snapshot file taken at a point of the run. */
export function heapSnapshotFile(when: 'start' | 'end'): string {
  return when === 'start' ? RUN_FILES.heapStart : RUN_FILES.heapEnd
}

/** CPU profile sampling interval when a request names none, in microseconds (V8's default is 1000 too). */
export const DEFAULT_SAMPLING_INTERVAL_US = 1000

/** How long a run may take before it is stopped and saved as timed out, unless the request says otherwise. */
export const DEFAULT_TIMEOUT_MS = 10 * 60_000

/**
 * The artifact of a kind a run holds: the conventional file first (cpu.cpuprofile, heap-end.heapsnapshot…),
 * else the first artifact of that kind (custom runs number extra profiles cpu-2.cpuprofile…).
 */
export function findArtifact(run: Pick<RunRecord, 'artifacts'>, kind: Artifact['kind']): Artifact | undefined {
  const conventional: Partial<Record<Artifact['kind'], string>> = {
    cpuprofile: RUN_FILES.cpuProfile,
    heapprofile: RUN_FILES.allocProfile,
    heapsnapshot: RUN_FILES.heapEnd,
    stderr: RUN_FILES.stderr,
  }
  const file = conventional[kind]
  return run.artifacts.find((a) => a.kind === kind && a.file === file) ?? run.artifacts.find((a) => a.kind === kind)
}

/** Whether a run has the artifact file. */
export function hasArtifactFile(run: Pick<RunRecord, 'artifacts'> | undefined, file: string): boolean {
  return !!run?.artifacts.some((a) => a.file === file)
}
