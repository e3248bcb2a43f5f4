/**
 * `hotpath suite`: runs a set of workloads (built-in ids and workload files) as one group, `repeat`
 * processes per member interleaved across members (round r runs every member once, in rotated order, so
 * drift spreads over all of them), optionally names the result as a baseline, and compares every member
 * against a named baseline in one table with one exit code: the per-member ratio of one metric from one
 * value per process (core/compare/suite.ts), the suite score, and the functions that explain each change
 * (the CPU-profile diff of prepareComparison, the same as `hotpath compare`).
 * A member that fails is reported and fails the suite; the others are still compared.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { ApiValidationError } from '../core/api/contract.js'
import type { RunRequest } from '../core/api/schemas.js'
import { compareSuiteMembers, type ProcessGroupRatio, suiteGateTripped, suiteVerdict, type SuiteMemberResult, type SuiteResult } from '../core/compare/suite.js'
export type { SuiteMemberResult, SuiteResult } from '../core/compare/suite.js'
import { measuredApart } from '../core/compare/comparison.js'
import { METRIC_DEFINITIONS, type MetricName } from '../core/compare/metrics.js'
import type { ReportInput } from '../core/export/index.js'
import { describeWarning } from '../core/stats/warnings.js'
import { explainingFunctions, functionChangeText, shortLocation } from '../core/export/phrases.js'
import type { ProfileKind, RunRecord } from '../core/model/run.js'
import { type Baseline, type BaselineMember, memberKey, type SuiteMemberSpec } from '../core/model/suite.js'
import type { WorkloadDescriptor } from '../core/model/workload.js'
import { readGitProvenance } from '../profilers/provenance.js'
import type { RunStore } from '../store/run-store.js'
import { getWorkloadDescriptor, listWorkloadDescriptors } from '../workloads/registry.js'
import { readBaseline, saveBaseline } from './baselines.js'
import { prepareComparison } from './comparison.js'
import type { RunExecution } from './run-executor.js'
import { looksLikeWorkloadFile, resolveWorkloadFile } from './workload-files.js'

export interface SuiteRequest {
  name?: string
  members: SuiteMemberSpec[]
  /** Processes per member (default 1; a gate needs at least 2 per side, 5 or more to see 10%). */
  repeat: number
  iterations?: number
  durationMs?: number
  warmupMs?: number
  /** Captures for the first round (the CPU profile names the functions behind a change). Default cpu. */
  profile?: ProfileKind[]
  saveBaseline?: string
  /** With saveBaseline: add these runs to the baseline's members instead of replacing it (rounds interleaved by CI). */
  append?: boolean
  baseline?: string
  metric?: MetricName
  maxRegression?: number
  noise?: number
  meta?: Record<string, string>
  /** Relative workload files are resolved against this folder (the suite file's, or the CLI's cwd). */
  cwd: string
}

export interface SuiteHooks {
  startRun(request: RunRequest): Promise<RunExecution>
  onProgress?(text: string, fraction: number): void
  signal?: AbortSignal
}

interface ResolvedMember {
  spec: SuiteMemberSpec
  /** What the run request names: the id, or the absolute file path. */
  workload: string
  descriptor: WorkloadDescriptor
  variant: string
  params: Record<string, number | string | boolean>
  key: string
}

async function resolveMembers(request: SuiteRequest): Promise<ResolvedMember[]> {
  const out: ResolvedMember[] = []
  for (const spec of request.members) {
    let descriptor = getWorkloadDescriptor(spec.workload)
    let workload = spec.workload
    if (!descriptor) {
      if (!looksLikeWorkloadFile(spec.workload)) {
        throw new ApiValidationError(`Unknown suite member "${spec.workload}": not a built-in workload (${listWorkloadDescriptors().map((d) => d.id).join(', ')}) nor a workload file`, [`members: ${spec.workload}`])
      }
      const file = await resolveWorkloadFile(spec.workload, { allowOutside: true, cwd: request.cwd })
      if (!file.descriptor) throw new ApiValidationError(`Suite member ${spec.workload}: ${file.error ?? 'cannot be loaded'}`, [`members: ${spec.workload}`])
      descriptor = file.descriptor
      workload = file.path
    }
    const variant = spec.variant ?? descriptor.defaultVariant
    if (!descriptor.variants.some((v) => v.id === variant)) {
      throw new ApiValidationError(`Suite member ${spec.workload}: no variant "${variant}" (valid: ${descriptor.variants.map((v) => v.id).join(', ')})`, [`members: ${spec.workload}`])
    }
    const params = { ...Object.fromEntries(Object.entries(descriptor.params).map(([k, s]) => [k, s.default])), ...(spec.params ?? {}) }
    const key = memberKey({ workload: descriptor.id, variant, params })
    if (out.some((m) => m.key === key)) throw new ApiValidationError(`Suite member ${key} is listed twice`, [`members: ${key}`])
    out.push({ spec, workload, descriptor, variant, params, key })
  }
  return out
}

function valueOf(run: RunRecord, metric: MetricName): number | undefined {
  const def = METRIC_DEFINITIONS[metric]
  const m = run.metrics
  if (!m) return undefined
  // Per-work metrics are compared per operation, as `compare` does when counts differ.
  if (def.perWork) return m.operations > 0 ? def.value(m) / m.operations : undefined
  return def.value(m)
}

export async function runSuite(store: RunStore, request: SuiteRequest, hooks: SuiteHooks): Promise<SuiteResult> {
  const metric = request.metric ?? 'opsPerSec'
  const better = METRIC_DEFINITIONS[metric].better
  const members = await resolveMembers(request)
  // Read the baseline first: an unknown name fails before minutes of measuring.
  const baseline = request.baseline ? await readBaseline(store, request.baseline) : undefined
  const name = request.name ?? (request.saveBaseline ? `baseline ${request.saveBaseline}` : 'suite')
  const group = `suite-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(2).toString('hex')}`
  const warnings: string[] = []
  const profile = request.profile ?? ['cpu']
  const results = new Map<string, SuiteMemberResult>(
    members.map((m) => [m.key, { key: m.key, workload: m.descriptor.id, variant: m.variant, params: m.params, ...(m.descriptor.file ? { file: m.descriptor.file } : {}), runIds: [], failures: [] }]),
  )
  const total = members.length * request.repeat
  let done = 0
  for (let round = 0; round < request.repeat; round++) {
    for (let k = 0; k < members.length; k++) {
      if (hooks.signal?.aborted) break
      const m = members[(k + round) % members.length] as ResolvedMember
      const result = results.get(m.key) as SuiteMemberResult
      hooks.onProgress?.(`${m.key} process ${round + 1}/${request.repeat}`, done / total)
      const execution = await hooks.startRun({
        workload: m.workload,
        variant: m.variant,
        params: m.params,
        group,
        tags: ['suite'],
        label: `${name}: ${m.descriptor.id} ${m.variant} #${round + 1}`,
        ...(request.iterations !== undefined ? { iterations: request.iterations } : {}),
        ...(request.durationMs !== undefined ? { durationMs: request.durationMs } : {}),
        ...(request.warmupMs !== undefined ? { warmupMs: request.warmupMs } : {}),
        ...(round === 0 && profile.length > 0 ? { profile } : {}),
        ...(request.meta ? { meta: request.meta } : {}),
      })
      const onAbort = (): void => execution.cancel()
      hooks.signal?.addEventListener('abort', onAbort, { once: true })
      const record = await execution.done.finally(() => hooks.signal?.removeEventListener('abort', onAbort))
      done++
      result.runIds.push(record.id)
      if (record.status !== 'ok') result.failures.push({ runId: record.id, error: `${record.status}${record.error ? `: ${record.error}` : ''}` })
    }
  }
  if (hooks.signal?.aborted) warnings.push('the suite was cancelled; results are partial')
  // With --append the baseline gathers its processes over alternating rounds, one per call: no warning then.
  if (request.repeat < 3 && (request.baseline || (request.saveBaseline && !request.append))) warnings.push(`--repeat ${request.repeat}: with fewer than 3 processes per member, between-process noise (±10% here) cannot be told from a change; use --repeat 5 or more for a gate`)

  const okRuns = (ids: readonly string[]): Promise<RunRecord[]> => loadOkRuns(store, ids)
  const reasons: string[] = []
  const score = baseline
    ? await compareMembersWithBaseline(store, baseline, members.map((m) => results.get(m.key) as SuiteMemberResult), { metric, better, ...(request.maxRegression !== undefined ? { maxRegression: request.maxRegression } : {}), ...(request.noise !== undefined ? { noise: request.noise } : {}) }, reasons, warnings)
    : undefined
  const memberResults = members.map((m) => results.get(m.key) as SuiteMemberResult)
  const candidateGit = (await readGitProvenance(request.cwd))?.git
  const failed = memberResults.some((r) => r.failures.length > 0)
  for (const r of memberResults) for (const f of r.failures) reasons.push(`${r.key}: run ${f.runId} ${f.error}`)

  let savedBaseline: SuiteResult['savedBaseline']
  if (request.saveBaseline) {
    if (failed) warnings.push(`baseline ${request.saveBaseline} keeps only the successful runs of failed members`)
    const git = candidateGit
    const previous = request.append ? await readBaseline(store, request.saveBaseline).catch(() => undefined) : undefined
    const baselineRecord: Baseline = {
      schemaVersion: 1,
      name: request.saveBaseline,
      createdAt: new Date().toISOString(),
      group,
      ...(git ? { git } : {}),
      members: await Promise.all(
        memberResults.map(async (r): Promise<BaselineMember> => ({
          key: r.key,
          workload: r.workload,
          variant: r.variant,
          params: r.params,
          ...(r.file ? { file: r.file } : {}),
          runIds: [...(previous?.members.find((m) => m.key === r.key)?.runIds ?? []), ...(await okRuns(r.runIds)).map((x) => x.id)],
        })),
      ),
    }
    for (const m of previous?.members ?? []) if (!baselineRecord.members.some((x) => x.key === m.key)) baselineRecord.members.push(m)
    savedBaseline = { name: request.saveBaseline, file: path.relative(store.root, await saveBaseline(store, baselineRecord)) }
  }
  return {
    group,
    name,
    metric,
    better,
    repeat: request.repeat,
    members: memberResults,
    ...(baseline ? { baseline: { name: baseline.name, createdAt: baseline.createdAt, ...(baseline.git ? { git: baseline.git } : {}) } } : {}),
    ...(score ? { score } : {}),
    ...(candidateGit ? { candidateGit } : {}),
    ...(savedBaseline ? { savedBaseline } : {}),
    gate: { ...(request.maxRegression !== undefined ? { threshold: request.maxRegression } : {}), tripped: reasons.length > 0 && memberResults.some((r) => r.comparison?.gateTripped), reasons },
    failed,
    warnings,
  }
}

const geometricMean = (v: readonly number[]): number => Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length)

function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return 'n/a'
  const pct = (r - 1) * 100
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`
}

async function loadOkRuns(store: RunStore, ids: readonly string[]): Promise<RunRecord[]> {
  const out: RunRecord[] = []
  for (const id of ids) {
    try {
      const r = await store.get(id)
      if (r.status === 'ok' && r.metrics) out.push(r)
    } catch {
      // A baseline run deleted from the store: that member compares on the remaining ones.
    }
  }
  return out
}

/** Compares every member's runs with the baseline's (fills `comparison` in place); returns the suite score. */
async function compareMembersWithBaseline(
  store: RunStore,
  baseline: Baseline,
  members: SuiteMemberResult[],
  opts: { metric: MetricName; better: 'higher' | 'lower'; maxRegression?: number; noise?: number },
  reasons: string[],
  warnings: string[],
): Promise<SuiteResult['score']> {
  const { metric, better } = opts
  const okRuns = (ids: readonly string[]): Promise<RunRecord[]> => loadOkRuns(store, ids)
  const compared: { key: string; b: RunRecord[]; c: RunRecord[] }[] = []
  for (const m of members) {
    const result = m
    const bm = baseline.members.find((x) => x.key === m.key)
    if (!bm) {
      result.note = `not in baseline ${baseline.name} (a new member)`
      continue
    }
    const b = await okRuns(bm.runIds)
    const c = await okRuns(result.runIds)
    if (b.length === 0 || c.length === 0) {
      result.note = b.length === 0 ? `baseline ${baseline.name} has no usable run of this member` : 'no successful run to compare'
      continue
    }
    compared.push({ key: m.key, b, c })
  }
  for (const bm of baseline.members) if (!members.some((m) => m.key === bm.key)) warnings.push(`baseline member ${bm.key} is not in this suite`)
  // Members of one process a side already carry the single-process warning of their comparison.
  if (compared.some((x) => x.b.length > 1 && x.c.length > 1 && measuredApart(x.b, x.c))) warnings.push(describeWarning({ kind: 'separate-sessions', baseline: baseline.name }))
  const values = compared.map((x) => ({
    baseline: x.b.map((r) => valueOf(r, metric)).filter((v): v is number => v !== undefined),
    candidate: x.c.map((r) => valueOf(r, metric)).filter((v): v is number => v !== undefined),
  }))
  const stats = compareSuiteMembers(values)
  
  for (const [i, x] of compared.entries()) {
    const ratio = stats.members[i] as ProcessGroupRatio
    const result = members.find((m) => m.key === x.key) as SuiteMemberResult
    const tripped = opts.maxRegression !== undefined && suiteGateTripped(ratio, better, opts.maxRegression, opts.noise)
    const bp = x.b.find((r) => r.artifacts.some((a) => a.kind === 'cpuprofile')) ?? (x.b[0] as RunRecord)
    const cp = x.c.find((r) => r.artifacts.some((a) => a.kind === 'cpuprofile')) ?? (x.c[0] as RunRecord)
    let report: ReportInput | undefined
    try {
      report = (await prepareComparison(store, [bp.id, cp.id], { metric, method: 'percentile', force: false, ...(opts.noise !== undefined ? { noise: opts.noise } : {}) })).input
    } catch (err) {
      warnings.push(`${x.key}: the detailed comparison failed: ${(err as Error).message}`)
    }
    const changes = report?.functionChanges?.[cp.id]
    const v = values[i] as { baseline: number[]; candidate: number[] }
    result.comparison = {
      baselineRunIds: x.b.map((r) => r.id),
      baselineValue: geometricMean(v.baseline),
      candidateValue: geometricMean(v.candidate),
      ratio,
      verdict: suiteVerdict(ratio, better, opts.noise),
      gateTripped: tripped,
      ...(changes ? { functionChanges: changes } : {}),
      ...(report ? { report } : {}),
    }
    if (tripped) {
      const grown = changes ? explainingFunctions(changes, 1).grown[0] : undefined
      reasons.push(
        `${x.key}: ${metric} ${formatRatio(ratio.ratio)} (95% CI ${formatRatio(ratio.low)} to ${formatRatio(ratio.high)}, ${ratio.baselineProcesses} vs ${ratio.candidateProcesses} processes) is beyond the ${Math.round((opts.maxRegression as number) * 1000) / 10}% gate${grown ? `; grown most: ${grown.name || '(anonymous)'} (${shortLocation(grown.url, grown.line)}) ${functionChangeText(grown)}` : ''}`,
      )
    }
  }
  return stats.score
}

/**
 * Compares the runs of one baseline against another's (`hotpath baseline compare base head`): the CI flow
 * where base and head were measured in alternating rounds (`suite --save-baseline base --append`, then
 * head, five times over) and are compared once at the end.
 */
export async function compareBaselines(
  store: RunStore,
  baseName: string,
  candidateName: string,
  opts: { metric?: MetricName; maxRegression?: number; noise?: number },
): Promise<SuiteResult> {
  const metric = opts.metric ?? 'opsPerSec'
  const better = METRIC_DEFINITIONS[metric].better
  const base = await readBaseline(store, baseName)
  const candidate = await readBaseline(store, candidateName)
  const members: SuiteMemberResult[] = candidate.members.map((m) => ({ key: m.key, workload: m.workload, variant: m.variant, params: m.params, ...(m.file ? { file: m.file } : {}), runIds: m.runIds, failures: [] }))
  const reasons: string[] = []
  const warnings: string[] = []
  const score = await compareMembersWithBaseline(store, base, members, { metric, better, ...(opts.maxRegression !== undefined ? { maxRegression: opts.maxRegression } : {}), ...(opts.noise !== undefined ? { noise: opts.noise } : {}) }, reasons, warnings)
  const repeat = Math.max(0, ...members.map((m) => m.runIds.length))
  return {
    group: candidate.group,
    name: `${candidateName} vs ${baseName}`,
    metric,
    better,
    repeat,
    members,
    baseline: { name: base.name, createdAt: base.createdAt, ...(base.git ? { git: base.git } : {}) },
    ...(score ? { score } : {}),
    ...(candidate.git ? { candidateGit: candidate.git } : {}),
    gate: { ...(opts.maxRegression !== undefined ? { threshold: opts.maxRegression } : {}), tripped: members.some((m) => m.comparison?.gateTripped), reasons },
    failed: false,
    warnings,
  }
}
