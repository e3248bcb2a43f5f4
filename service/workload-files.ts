/**
 * Workload files in the engine: telling a file from a built-in id, resolving it under the allowed folder,
 * reading its descriptor (in a child, profilers/workload-file.ts), listing the files under the configured
 * workloads folder for the Launch view, and the run's provenance (git state of the workload's repository,
 * `--meta` pairs, Node flags).
 *
 * Who may run what: the CLI runs whatever file its user names (`allowOutside: true`); the HTTP server and the
 * desktop app only run files under the configured workloads folder, so a page cannot make the engine import
 * an arbitrary file on the machine.
 */
import { readdir, realpath } from 'node:fs/promises'
import path from 'node:path'
import { ApiValidationError } from '../core/api/contract.js'
import { runRequestSchema, type WorkloadFileProblem } from '../core/api/schemas.js'
import type { WorkloadDescriptor } from '../core/model/workload.js'
import { describeWorkloadFile } from '../profilers/workload-file.js'
import { readGitProvenance } from '../profilers/provenance.js'
import { WORKLOAD_FILE_PATTERN } from '../workloads/harness/file-workload.js'
import { getWorkloadDescriptor } from '../workloads/registry.js'
import { type RunExecution, type RunExecutorDeps, startRunExecution } from './run-executor.js'
import { isInside } from '../store/paths.js'

export interface WorkloadFilePolicy {
  /** The configured workloads folder (Launch lists the files under it). */
  root?: string
  /** The CLI: run files anywhere. Servers and the desktop app: only under `root`. */
  allowOutside: boolean
  /** Relative paths are resolved against this (the CLI's cwd; else `root`). */
  cwd?: string
}

export interface ResolvedWorkloadFile {
  /** Absolute path (what the child imports). */
  path: string
  /** Path relative to its repository's top folder (or to `root`/cwd): what the run records. */
  display: string
  /** The definition's id, or one made from the file name when the file could not be read. */
  id: string
  descriptor?: WorkloadDescriptor
  /** Why the file could not be loaded, with file and line ("bench/x.bench.ts:3:9: Expected ..."). */
  error?: string
  /** Folder whose repository the provenance is read from. */
  repoDir: string
}

/** True when a run request's `workload` names a file rather than a built-in id. */
export function looksLikeWorkloadFile(spec: string): boolean {
  return /[\\/]/.test(spec) || WORKLOAD_FILE_PATTERN.test(spec)
}

/** Resolves and describes a workload file; refuses (ApiValidationError) files outside the allowed folder. */
export async function resolveWorkloadFile(spec: string, policy: WorkloadFilePolicy, runtimePath?: string): Promise<ResolvedWorkloadFile> {
  const base = policy.cwd ?? policy.root ?? process.cwd()
  const abs = path.resolve(base, spec)
  if (!WORKLOAD_FILE_PATTERN.test(abs)) {
    throw new ApiValidationError(`"${spec}" is not a workload file: use a .bench.ts, .ts, .js or .mjs file`, [`workload: not a .ts/.js/.mjs file`])
  }
  let real = abs
  try {
    real = await realpath(abs)
  } catch {
    // A missing file is reported below, as a failed run with the path (or by the describe step).
  }
  if (!policy.allowOutside) {
    const root = policy.root ? await realpath(policy.root).catch(() => path.resolve(policy.root as string)) : undefined
    if (!root || !isInside(root, real, { allowRoot: true })) {
      const where = root ? `the workloads folder ${root}` : 'a configured workloads folder (none is set)'
      throw new ApiValidationError(`The workload file ${spec} is outside ${where}; only files there can be run from here.`, [
        `workload: outside ${where}`,
      ])
    }
  }
  const repoDir = path.dirname(real)
  const repo = await readGitProvenance(repoDir)
  const display = (repo ? path.relative(repo.root, real) : path.relative(policy.root ?? base, real) || path.basename(real)).split(path.sep).join('/')
  const described = await describeWorkloadFile(real, runtimePath ? { runtimePath } : {})
  const fallbackId = path.basename(real).replace(/(\.bench)?\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '') || 'workload-file'
  if (described.ok) return { path: real, display, id: described.descriptor.id, descriptor: { ...described.descriptor, file: display }, repoDir }
  return { path: real, display, id: fallbackId, error: described.message, repoDir }
}

/** The workload files under `root` (*.bench.ts/js/mjs/mts, skipping node_modules and dot folders), described. */
export async function listWorkloadFiles(root: string, runtimePath?: string): Promise<{ descriptors: WorkloadDescriptor[]; problems: WorkloadFileProblem[] }> {
  const files: string[] = []
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 6 || files.length >= 500) return
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'dist') continue
      const full = path.join(dir, e.name)
      if (e.isDirectory()) await walk(full, depth + 1)
      else if (e.isFile() && /\.bench\.(m?[jt]s)$/.test(e.name)) files.push(full)
    }
  }
  await walk(root, 0)
  const descriptors: WorkloadDescriptor[] = []
  const problems: WorkloadFileProblem[] = []
  for (const file of files.sort()) {
    const d = await describeWorkloadFile(file, runtimePath ? { runtimePath } : {})
    const rel = path.relative(root, file).split(path.sep).join('/')
    if (d.ok) descriptors.push({ ...d.descriptor, file: rel })
    else problems.push(workloadFileProblem(rel, file, d.message, d.location))
  }
  return { descriptors, problems }
}

/**
 * A describe failure as file (under the folder), line, column and reason. The child's message reads
 * "<location or file>: <reason>" with the absolute path; the location is "<file>:<line>[:<column>]".
 */
export function workloadFileProblem(rel: string, abs: string, message: string, location?: string): WorkloadFileProblem {
  const at = location !== undefined ? /:(\d+)(?::(\d+))?$/.exec(location) : null
  let reason = message
  for (const prefix of [location, abs].filter((x): x is string => x !== undefined)) {
    if (reason.startsWith(`${prefix}: `)) {
      reason = reason.slice(prefix.length + 2)
      break
    }
  }
  // Any other mention of the absolute path (a stack line, "cannot find module …") is shortened to the folder's view.
  reason = reason.split(abs).join(rel)
  return {
    file: rel,
    ...(at?.[1] ? { line: Number(at[1]) } : {}),
    ...(at?.[2] ? { column: Number(at[2]) } : {}),
    message: reason,
  }
}

/**
 * Starts a run of a built-in workload or a workload file. A file that cannot be loaded still produces a
 * (failed) run record with the reason; bad parameters or variants are refused before anything is saved.
 */
export async function startAnyRunExecution(input: unknown, deps: RunExecutorDeps, policy: WorkloadFilePolicy): Promise<RunExecution> {
  const parsed = runRequestSchema.safeParse(input)
  const spec = parsed.success ? parsed.data.workload : undefined
  if (!spec || getWorkloadDescriptor(spec) || !looksLikeWorkloadFile(spec)) return startRunExecution(input, deps)
  const file = await resolveWorkloadFile(spec, policy, parsed.success ? parsed.data.runtime : undefined)
  return startRunExecution(input, { ...deps, workloadFile: file })
}
