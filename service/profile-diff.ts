/**
 * The one profile diff on the Node side: reads the CPU profiles of runs, normalises them per operation
 * with each run's profiled operation count, and diffs them with core's diffProfiles. `hotpath compare`
 * (through service/comparison.ts) and the WorkbenchApi's `diffProfiles` (the renderer's diff flame graph)
 * both come here, so every front door shows the same numbers. Large profiles are diffed in a worker thread
 * so the caller's event loop (the HTTP server, Electron main) stays responsive.
 */
import { readFile, stat } from 'node:fs/promises'
import type { CpuProfileInput, DiffOptions, ProfileDiff } from '../core/compare/call-tree-diff.js'
import { diffProfiles } from '../core/compare/call-tree-diff.js'
import { isCpuProfile, ProfileFormatError, type CpuProfileRaw } from '../core/import/cpuprofile.js'
import { findArtifact } from '../core/model/run-layout.js'
import type { RunRecord } from '../core/model/run.js'
import type { RunStore } from '../store/run-store.js'
import { errorFromWorker, runOneShotWorker } from './one-shot-worker.js'

/** The runs cannot be diffed as asked; the message says why and what to do. */
export class ProfileDiffInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProfileDiffInputError'
  }
}

/**
 * Operations done in the profiled window: without a timing pass the measured window is the profiled one;
 * with one, the profile covers the second (profiled) pass, whose count the run records apart
 * (profilerOverhead.profiledOperations). Undefined when unknown (imported and custom runs, old records):
 * such runs are compared by share of profile only.
 */
export function profiledOperations(run: RunRecord): number | undefined {
  const ops = run.capture.timingPass ? run.profilerOverhead?.profiledOperations : run.metrics?.operations
  return ops !== undefined && ops > 0 ? ops : undefined
}

/** A run's CPU profile as a diff input, with its operation count when known. */
export function profileInput(run: RunRecord, profile: CpuProfileRaw): CpuProfileInput {
  const operations = profiledOperations(run)
  return operations !== undefined ? { profile, operations } : { profile }
}

/** Above this many bytes of profiles, the diff runs in a worker thread. */
const WORKER_THRESHOLD_BYTES = 4 * 1024 ** 2

/** One side's profile file and operation count, as the worker reads it. */
export interface ProfileFileInput {
  file: string
  operations?: number
}

/** The worker's request and answer (service/workers/profile-diff-worker.ts). */
export interface ProfileDiffWorkerRequest {
  baseline: ProfileFileInput[]
  candidate: ProfileFileInput[]
  options: DiffOptions
}
export type ProfileDiffWorkerMessage = { type: 'diff'; diff: ProfileDiff } | { type: 'error'; name: string; message: string }

/** Reads and checks one CPU profile file. */
export async function readCpuProfileFile(file: string, label: string): Promise<CpuProfileRaw> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    throw new ProfileFormatError(`${label}: the CPU profile is not readable JSON (${(err as Error).message})`)
  }
  if (!isCpuProfile(parsed)) throw new ProfileFormatError(`${label}: not a CPU profile`)
  return parsed
}

/** Diffs profile files in this thread. */
export async function diffProfileFiles(request: ProfileDiffWorkerRequest): Promise<ProfileDiff> {
  const load = async (inputs: ProfileFileInput[]): Promise<CpuProfileInput[]> =>
    Promise.all(
      inputs.map(async (i) => {
        const profile = await readCpuProfileFile(i.file, i.file)
        return i.operations !== undefined ? { profile, operations: i.operations } : { profile }
      }),
    )
  return diffProfiles(await load(request.baseline), await load(request.candidate), request.options)
}

/**
 * Diffs the CPU profiles of the baseline runs against those of the candidate runs (several runs per side
 * give a significance test per function). Refuses runs without a CPU profile, saying which.
 */
export async function diffRunProfiles(
  store: RunStore,
  baselineIds: readonly string[],
  candidateIds: readonly string[],
  options: DiffOptions = {},
  opts: { workerAboveBytes?: number } = {},
): Promise<ProfileDiff> {
  const side = async (ids: readonly string[]): Promise<ProfileFileInput[]> =>
    Promise.all(
      ids.map(async (id) => {
        const run = await store.get(id)
        const artifact = findArtifact(run, 'cpuprofile')
        if (!artifact) throw new ProfileDiffInputError(`run ${id} has no CPU profile; record it with --profile cpu`)
        const operations = profiledOperations(run)
        return { file: store.artifactPath(run.id, artifact.file), ...(operations !== undefined ? { operations } : {}) }
      }),
    )
  const request: ProfileDiffWorkerRequest = { baseline: await side(baselineIds), candidate: await side(candidateIds), options }
  let bytes = 0
  for (const f of [...request.baseline, ...request.candidate]) bytes += (await stat(f.file)).size
  return bytes > (opts.workerAboveBytes ?? WORKER_THRESHOLD_BYTES) ? diffInWorker(request) : diffProfileFiles(request)
}

function diffInWorker(request: ProfileDiffWorkerRequest): Promise<ProfileDiff> {
  return runOneShotWorker<ProfileDiff, ProfileDiffWorkerMessage>({
    from: import.meta.url,
    module: './workers/profile-diff-worker',
    workerData: request,
    name: 'profile diff worker',
    onMessage: (message) =>
      message.type === 'diff'
        ? { value: message.diff }
        : { error: errorFromWorker(message) },
  })
}
