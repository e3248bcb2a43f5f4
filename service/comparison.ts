/**
 * Loads runs for a comparison and prepares everything a report needs: samples (raw or decoded from the
 * HDR histogram), CPU profiles, the comparison with intervals and verdicts, the function-level diff and
 * the CI gate. Used by `hotpath compare` and by the WorkbenchApi, so both say the same thing.
 */
import { readFile } from 'node:fs/promises'
import * as hdr from 'hdr-histogram-js'
import { type CpuProfileInput, diffProfiles } from '../core/compare/call-tree-diff.js'
import {
  compareRuns,
  ComparisonRefusedError,
  evaluateGate,
  type Comparison,
  type FunctionChange,
  type GateResult,
} from '../core/compare/comparison.js'
import type { MetricName } from '../core/compare/metrics.js'
import type { ReportInput } from '../core/export/index.js'
import { isCpuProfile, type CpuProfileRaw } from '../core/import/cpuprofile.js'
import type { RunRecord } from '../core/model/run.js'
import { findArtifact } from '../core/model/run-layout.js'
import type { RunStore } from '../store/run-store.js'
import { profileInput } from './profile-diff.js'

/** The runs cannot be compared as asked; the message says why and what to do. */
export class ComparisonInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ComparisonInputError'
  }
}

export interface PrepareComparisonOptions {
  metric: MetricName
  method: 'percentile' | 'bca'
  force: boolean
  noise?: number
  seed?: number
  /** Gate: largest tolerated regression of `metric`, as a fraction. */
  maxRegression?: number
  /** Gate: largest tolerated growth of a function's self time per operation, as a fraction. */
  maxGrowth?: number
}

export interface PreparedComparison {
  input: ReportInput
  gate?: GateResult
}

export async function prepareComparison(store: RunStore, ids: readonly string[], opts: PrepareComparisonOptions): Promise<PreparedComparison> {
  if (ids.length < 2) throw new ComparisonInputError('name a baseline run and at least one candidate run')
  if (new Set(ids).size !== ids.length) throw new ComparisonInputError('a run is named twice; name each run once')
  const runs: RunRecord[] = []
  for (const id of ids) runs.push(await store.get(id))
  for (const run of runs) {
    if (!run.metrics) {
      throw new ComparisonInputError(
        `run ${run.id} has no metrics (status ${run.status}${run.error ? `: ${run.error}` : ''}); only runs that measured something can be compared`,
      )
    }
  }
  const samples = new Map(runs.map((r) => [r.id, runSamples(r)]))
  const profiles = new Map<string, CpuProfileRaw | undefined>()
  for (const run of runs) profiles.set(run.id, await readCpuProfile(store, run))
  // Runs made with --profile cpu --repeat N carry one profile per process: the diff tests each function
  // across them (Welch + Benjamini–Hochberg) instead of trusting one profile per side.
  const processProfiles = new Map<string, CpuProfileInput[] | undefined>()
  for (const run of runs) processProfiles.set(run.id, await readProcessProfiles(store, run))
  const unresolved: Record<string, number> = {}
  for (const [id, profile] of profiles) {
    const share = profile ? unresolvedShare(profile) : undefined
    if (share !== undefined) unresolved[id] = share
  }

  let comparison: Comparison
  try {
    comparison = compareRuns(runs, {
      headlineMetric: opts.metric,
      ...(opts.noise !== undefined ? { noise: opts.noise } : {}),
      force: opts.force,
      samplesOf: (r) => samples.get(r.id),
      unresolvedShare: unresolved,
    })
  } catch (err) {
    if (err instanceof ComparisonRefusedError) throw new ComparisonInputError(err.message)
    throw err
  }

  const functionChanges = diffFunctions(runs, profiles, processProfiles, opts.maxGrowth)
  if (opts.maxGrowth !== undefined && !functionChanges) {
    throw new ComparisonInputError('--fail-on-function-growth needs a CPU profile in the baseline and every candidate (record the runs with --profile cpu)')
  }
  const gate: GateResult | undefined =
    opts.maxRegression !== undefined || opts.maxGrowth !== undefined
      ? evaluateGate(comparison, functionChanges, {
          metric: opts.metric,
          ...(opts.maxRegression !== undefined ? { maxRegression: opts.maxRegression } : {}),
          ...(opts.maxGrowth !== undefined ? { maxFunctionGrowth: opts.maxGrowth } : {}),
        })
      : undefined

  const input: ReportInput = {
    comparison,
    runs,
    ...(functionChanges ? { functionChanges } : {}),
    ...(gate ? { gate } : {}),
    samples: Object.fromEntries([...samples].filter((e): e is [string, number[]] => e[1] !== undefined)),
  }
  return { input, ...(gate ? { gate } : {}) }
}

const MAX_HISTOGRAM_SAMPLES = 10_000

/**
 * Per-operation latency samples (ns) from a run's HDR histogram (hdr-histogram-js compressed base64),
 * for runs stored without samplesNs. Above MAX_HISTOGRAM_SAMPLES recorded values, evenly spaced order
 * statistics stand in for them (the bootstrap thins the same way). Decoded here, outside core, so core
 * keeps no dependency on the decoder. Values are the lowest of each bucket (within 0.1% at 3 digits).
 */
export function samplesFromHistogram(base64: string, max = MAX_HISTOGRAM_SAMPLES): number[] {
  const h = hdr.decodeFromCompressedBase64(base64, 32, false)
  try {
    if (!(h instanceof hdr.JsHistogram)) throw new Error('expected a JavaScript histogram from the decoder')
    const total = h.totalCount
    const out: number[] = []
    if (total === 0) return out
    const m = Math.min(total, max)
    let cum = 0
    let k = 0
    for (let i = 0; i < h.countsArrayLength && k < m; i++) {
      const count = h.getCountAtIndex(i)
      if (count === 0) continue
      const value = h.valueFromIndex(i)
      cum += count
      // Emit sample k when the cumulative count passes its rank (k + 0.5) · total / m.
      while (k < m && (k + 0.5) * (total / m) < cum) {
        out.push(value)
        k++
      }
    }
    return out
  } finally {
    h.destroy()
  }
}

/** The samples a comparison uses for a run: samplesNs, else the decoded histogram, else none. */
export function runSamples(run: RunRecord): number[] | undefined {
  if (run.samplesNs && run.samplesNs.length > 0) return run.samplesNs
  if (run.histogram) {
    try {
      return samplesFromHistogram(run.histogram)
    } catch {
      // An unreadable histogram leaves the run without samples; its verdicts fall back to thresholds.
      return undefined
    }
  }
  return undefined
}

/** Share of samples in frames with neither a function name nor a script URL (0..1), for the warning. */
export function unresolvedShare(profile: Pick<CpuProfileRaw, 'nodes' | 'samples'>): number | undefined {
  const samples = profile.samples
  if (!samples || samples.length === 0) return undefined
  const unresolved = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '' && n.callFrame.url === '').map((n) => n.id))
  let count = 0
  for (const id of samples) if (unresolved.has(id)) count++
  return count / samples.length
}

async function readCpuProfile(store: RunStore, run: RunRecord): Promise<CpuProfileRaw | undefined> {
  const artifact = findArtifact(run, 'cpuprofile')
  if (!artifact) return undefined
  try {
    const parsed: unknown = JSON.parse(await readFile(store.artifactPath(run.id, artifact.file), 'utf8'))
    return isCpuProfile(parsed) ? parsed : undefined
  } catch {
    // A missing or unreadable profile only costs the function-level part of the report.
    return undefined
  }
}

/** Every process's CPU profile of a repeated run, with its profiled operation count; undefined when any is missing. */
async function readProcessProfiles(store: RunStore, run: RunRecord): Promise<CpuProfileInput[] | undefined> {
  const procs = run.processes
  if (!procs || procs.length < 2 || procs.some((p) => !p.cpuProfile)) return undefined
  const out: CpuProfileInput[] = []
  for (const p of procs) {
    try {
      const parsed: unknown = JSON.parse(await readFile(store.artifactPath(run.id, p.cpuProfile as string), 'utf8'))
      if (!isCpuProfile(parsed)) return undefined
      const operations = run.capture.timingPass ? p.profiled?.operations : p.metrics.operations
      out.push(operations !== undefined ? { profile: parsed, operations } : { profile: parsed })
    } catch {
      return undefined
    }
  }
  return out
}

/**
 * Diffs the baseline's CPU profile against each candidate's; undefined when any profile is missing. With a
 * growth gate, the single-profile rule for "grown" uses the gate's threshold rather than the diff's default.
 */
function diffFunctions(
  runs: readonly RunRecord[],
  profiles: ReadonlyMap<string, CpuProfileRaw | undefined>,
  processProfiles: ReadonlyMap<string, CpuProfileInput[] | undefined>,
  maxGrowth: number | undefined,
): Record<string, FunctionChange[]> | undefined {
  const [baseline, ...candidates] = runs
  if (!baseline) return undefined
  const baseProfile = profiles.get(baseline.id)
  if (!baseProfile || candidates.some((c) => !profiles.get(c.id))) return undefined
  const side = profileInput
  const options = maxGrowth !== undefined ? { minChangePct: maxGrowth * 100 } : {}
  const out: Record<string, FunctionChange[]> = {}
  for (const c of candidates) {
    const many = [processProfiles.get(baseline.id), processProfiles.get(c.id)]
    const [b, k] = many[0] && many[1] && many[0].length >= 2 && many[1].length >= 2 ? (many as [CpuProfileInput[], CpuProfileInput[]]) : [[side(baseline, baseProfile)], [side(c, profiles.get(c.id) as CpuProfileRaw)]]
    out[c.id] = diffProfiles(b, k, options).functions
  }
  return out
}
