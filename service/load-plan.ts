/**
 * Open-loop load, soak, assertions, component budgets and memory estimates of a run request: checked
 * against the workload's descriptor before anything starts (every problem at once), turned into the
 * child's config, and, after the run, into the record's load, soak, components, throughput, assertions,
 * threshold crossings and leak evidence.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import v8 from 'node:v8'
import { maxOldSpaceSizeOf } from '../core/model/heap-limit.js'
import { type Assertion, evaluateAssertions, parseAssertions } from '../core/assert/assertion.js'
import type { AssertionFacts } from '../core/assert/metrics.js'
import { topFunctions } from '../core/analysis/call-tree.js'
import { importCpuProfile } from '../core/import/cpuprofile.js'
import type { RunRequest } from '../core/api/schemas.js'
import type { ComponentTiming, LeakEvidence } from '../core/model/load.js'
import { findThresholdCrossings, healthLimits } from '../core/assert/health.js'
import type { RunRecord } from '../core/model/run.js'
import type { ParamValues, WorkloadDescriptor } from '../core/model/workload.js'
import { formatBytes } from '../core/format/bytes.js'
import { formatCompact } from '../core/format/number.js'
import type { ChildConfig, ChildMessage } from '../workloads/harness/protocol.js'
import { MIN_RELIABLE_GC_CYCLES, soakSampleInterval } from '../workloads/harness/soak.js'
import { LEAK_END_SNAPSHOT, LEAK_START_SNAPSHOT } from '../workloads/harness/leak-check.js'
import { diffHeapSnapshotFiles } from './heap-analysis.js'
import { listWorkloadDescriptors } from '../workloads/registry.js'

type ResultMessage = Extract<ChildMessage, { type: 'result' }>

export interface LoadPlan {
  /** Parameters with the batch parameter lowered for --rate (when not given). */
  params: ParamValues
  assertions: Assertion[]
  budgetsNs: Record<string, number>
  /** Measured window for a soak. */
  durationMs?: number
  /** The CPU profile an fn: assertion needs. */
  needsCpuProfile: boolean
  /** Extra child config for the pass that measures (the first one). */
  child: Pick<ChildConfig, 'openLoop' | 'soakEveryMs' | 'components' | 'leakCheck'>
  warnings: { kind: string; message: string }[]
}

/**
 * Checks the load fields of a request; returns the plan or the list of problems. `given` are the
 * parameters the request named (defaults not filled in), `params` the resolved ones.
 */
export function planLoad(request: RunRequest, descriptor: WorkloadDescriptor, params: ParamValues, heapLimitBytes = heapLimitOf(request)): { plan: LoadPlan; issues: string[] } {
  const issues: string[] = []
  const warnings: LoadPlan['warnings'] = []
  const out: ParamValues = { ...params }
  const child: LoadPlan['child'] = {}
  if (request.rate !== undefined) {
    if (!descriptor.openLoop) {
      const able = listWorkloadDescriptors().filter((d) => d.openLoop).map((d) => d.id)
      issues.push(`rate: ${descriptor.id} does not take open-loop load (its operation is not a request or an event); workloads that do: ${able.join(', ')}`)
    } else {
      const bp = descriptor.openLoop.batchParam
      const spec = bp ? descriptor.params[bp] : undefined
      if (bp && spec && spec.type === 'int' && request.params?.[bp] === undefined) out[bp] = spec.min
      child.openLoop = { opsPerSec: request.rate, arrivals: request.arrivals ?? 'constant' }
    }
  } else if (request.arrivals !== undefined) issues.push('arrivals: only with rate (--arrivals needs --rate)')
  let durationMs: number | undefined
  if (request.soakMs !== undefined) {
    if (request.iterations !== undefined || request.durationMs !== undefined) issues.push('soakMs: a soak sets the measured window; give it instead of iterations or durationMs')
    durationMs = request.soakMs
    child.soakEveryMs = soakSampleInterval(request.soakMs)
    const samples = Math.floor(request.soakMs / child.soakEveryMs) + 1
    if (samples < MIN_RELIABLE_GC_CYCLES) {
      warnings.push({ kind: 'soak-too-short', message: `the soak of ${request.soakMs} ms spans ${samples} GC samples, fewer than ${MIN_RELIABLE_GC_CYCLES}: the leak figure is unreliable; soak for at least ${Math.ceil(MIN_RELIABLE_GC_CYCLES * 250)} ms` })
    }
  }
  const parsed = parseAssertions(request.assert ?? [])
  const assertions = parsed.ok ? parsed.assertions : []
  if (!parsed.ok) {
    for (const p of parsed.problems) issues.push(`assert: ${p.message}${p.validMetrics ? `. Valid metrics:\n${p.validMetrics}` : ''}`)
  }
  const componentIds = (descriptor.components ?? []).map((c) => c.id)
  for (const a of assertions) {
    if (a.requires === 'soak' && request.soakMs === undefined) issues.push(`assert: ${a.metric} is measured by a soak; add --soak (e.g. --soak 20s)`)
    if (a.requires === 'rate' && request.rate === undefined) issues.push(`assert: ${a.metric} is measured under open-loop load; add --rate`)
    if (a.requires === 'components') {
      const id = /^component:([^.]+)\./.exec(a.metric)?.[1]
      if (!id || !componentIds.includes(id)) issues.push(`assert: ${descriptor.id} has no component "${id}"; its components: ${componentIds.join(', ') || '(none)'}`)
    }
    const unit = /^([a-z]+)PerSec$/.exec(a.metric)?.[1]
    if (unit && unit !== 'ops' && unit !== descriptor.unit) issues.push(`assert: ${a.metric}: ${descriptor.id} counts ${descriptor.unit ?? 'operations only'}${descriptor.unit ? ` (use ${descriptor.unit}PerSec)` : ' (use opsPerSec)'}`)
  }
  const budgetsNs = { ...(request.budgetsNs ?? {}) }
  for (const id of Object.keys(budgetsNs)) {
    if (!componentIds.includes(id)) issues.push(`budget: ${descriptor.id} has no component "${id}"; its components: ${componentIds.join(', ') || '(none)'}`)
  }
  if (componentIds.length > 0 && Number(params.workers ?? 1) === 1) child.components = true
  const leak = assertions.filter((a): a is Assertion & { metric: 'heapGrowth' | 'rssGrowth' } => a.metric === 'heapGrowth' || a.metric === 'rssGrowth')
  if (leak.length > 0 && request.soakMs !== undefined) child.leakCheck = leak.map((a) => ({ metric: a.metric, op: a.op, threshold: a.threshold }))

  const estimate = estimateMemoryBytes(descriptor, out)
  if (estimate !== undefined && estimate > heapLimitBytes) {
    issues.push(`params: ${descriptor.id} with ${describeSizeParams(descriptor, out)} needs about ${formatBytes(estimate)} of heap, above the limit of ${formatBytes(heapLimitBytes)}; lower the sizes or raise --max-old-space-size (to at least ${Math.ceil((estimate * 1.25) / 1024 ** 2)})`)
  }
  const plan: LoadPlan = { params: out, assertions, budgetsNs, needsCpuProfile: assertions.some((a) => a.requires === 'cpu'), child, warnings, ...(durationMs !== undefined ? { durationMs } : {}) }
  return { plan, issues }
}

/** The heap limit the child will have: --max-old-space-size when given, else this process's V8 limit. */
function heapLimitOf(request: RunRequest): number {
  const flag = maxOldSpaceSizeOf(request.nodeFlags ?? [], undefined)
  return flag ? flag.mb * 1024 ** 2 : v8.getHeapStatistics().heap_size_limit
}

/** The descriptor's estimate of the heap the parameters need, in bytes; undefined when it gives none. */
export function estimateMemoryBytes(descriptor: WorkloadDescriptor, params: ParamValues): number | undefined {
  const e = descriptor.memoryEstimate
  if (!e) return undefined
  let bytes = e.baseBytes
  for (const [name, per] of Object.entries(e.perParam)) bytes += per * Number(params[name] ?? 0)
  return bytes
}

function describeSizeParams(descriptor: WorkloadDescriptor, params: ParamValues): string {
  return Object.keys(descriptor.memoryEstimate?.perParam ?? {})
    .map((k) => `${k}=${String(params[k])}`)
    .join(' ')
}

/** Fills the record's load facts from the measuring pass's result, then evaluates the assertions. */
export async function completeLoadRecord(record: RunRecord, result: ResultMessage | undefined, plan: LoadPlan, descriptor: WorkloadDescriptor, runDir: string): Promise<void> {
  for (const w of plan.warnings) record.warnings.push(w)
  if (result?.load) {
    record.load = result.load
    if (!result.load.keptUp) {
      record.warnings.push({
        kind: 'did-not-keep-up',
        message: `did not keep up: achieved ${formatCompact(result.load.achievedOpsPerSec)}/s of ${formatCompact(result.load.offeredOpsPerSec)}/s offered; ${formatCompact(result.load.backlogAtEnd)} requests still queued at the end`,
      })
    }
  }
  if (result?.soak) {
    record.soak = result.soak
    if (!result.soak.reliable) record.warnings.push({ kind: 'soak-too-short', message: `only ${result.soak.samples.length} post-GC samples in the soak: the leak figure is unreliable` })
  }
  if (result?.components) record.components = withBudgets(result.components, descriptor, plan.budgetsNs)
  if (descriptor.unit && record.metrics) {
    const perOperation = result?.unitsPerOperation ?? 1
    record.throughput = { unit: descriptor.unit, perOperation, perSec: record.metrics.opsPerSec * perOperation }
  }
  const facts: AssertionFacts = { metrics: record.metrics, throughput: record.throughput, load: record.load, soak: record.soak, components: record.components }
  if (plan.needsCpuProfile) facts.functions = await functionShares(runDir, record)
  if (plan.assertions.length > 0) record.assertions = evaluateAssertions(plan.assertions, facts)
  const crossings = findThresholdCrossings(record.timeline, healthLimits(plan.assertions))
  if (crossings.length > 0) record.thresholdCrossings = crossings
  const leak = await leakEvidence(record, runDir)
  if (leak) record.leak = leak
}

/** Components in the descriptor's order, with their budget (flag, else descriptor) and pass/fail on p99. */
export function withBudgets(timings: readonly ComponentTiming[], descriptor: WorkloadDescriptor, budgetsNs: Record<string, number>): ComponentTiming[] {
  const order = (descriptor.components ?? []).map((c) => c.id)
  return [...timings]
    .sort((a, b) => (order.indexOf(a.id) + 1 || 1e9) - (order.indexOf(b.id) + 1 || 1e9))
    .map((t) => {
      const budget = budgetsNs[t.id] ?? descriptor.components?.find((c) => c.id === t.id)?.budgetNs
      return budget !== undefined ? { ...t, budgetNs: budget, pass: t.latencyNs.p99 <= budget } : t
    })
}

/** Self and total shares by function name (summed over same-named functions) from the run's CPU profile. */
async function functionShares(runDir: string, record: RunRecord): Promise<Record<string, { self: number; total: number }> | undefined> {
  const artifact = record.artifacts.find((a) => a.kind === 'cpuprofile')
  if (!artifact) return undefined
  const tree = importCpuProfile(JSON.parse(await readFile(path.join(runDir, artifact.file), 'utf8')))
  const shares: Record<string, { self: number; total: number }> = {}
  for (const f of topFunctions(tree, 'self', Number.MAX_SAFE_INTEGER)) {
    const s = (shares[f.name] ??= { self: 0, total: 0 })
    s.self += f.selfShare
    s.total = Math.max(s.total, f.totalShare)
  }
  return shares
}

/** With start and end snapshots kept by a failed leak check: the classes that grew most. */
async function leakEvidence(record: RunRecord, runDir: string): Promise<LeakEvidence | undefined> {
  const failedLeak = record.assertions?.some((a) => (a.metric === 'heapGrowth' || a.metric === 'rssGrowth') && !a.pass)
  if (!failedLeak || !record.soak) return undefined
  const start = record.artifacts.find((a) => a.file === LEAK_START_SNAPSHOT)
  const end = record.artifacts.find((a) => a.file === LEAK_END_SNAPSHOT)
  if (!start || !end) {
    record.warnings.push({ kind: 'leak-evidence-missing', message: 'a leak assertion failed but the start and end heap snapshots could not be kept (see the capture warnings)' })
    return undefined
  }
  try {
    const diff = await diffHeapSnapshotFiles(path.join(runDir, start.file), path.join(runDir, end.file))
    return {
      startSnapshot: start.file,
      endSnapshot: end.file,
      growingClasses: diff.classes
        .filter((c) => c.deltaSizeBytes > 0)
        .slice(0, 10)
        .map((c) => ({ className: c.name, countDelta: c.deltaCount, sizeDeltaBytes: c.deltaSizeBytes })),
    }
  } catch (err) {
    record.warnings.push({ kind: 'leak-diff-failed', message: `comparing the leak snapshots failed: ${(err as Error).message}` })
    return { startSnapshot: start.file, endSnapshot: end.file, growingClasses: [] }
  }
}


/** The request as the executor runs it: a soak's window as durationMs, and a CPU profile when an fn: assertion needs one. */
export function withLoadPlan(request: RunRequest, plan: LoadPlan): RunRequest {
  const out: RunRequest = { ...request }
  if (plan.durationMs !== undefined) out.durationMs = plan.durationMs
  if (plan.needsCpuProfile && !(out.profile ?? []).includes('cpu')) out.profile = [...(out.profile ?? []), 'cpu']
  return out
}
