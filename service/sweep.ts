/**
 * Parameter sweeps: one run per combination of the axes' values (core/model/sweep.ts), same seed and
 * options, saved under one group and run one after another. Every combination is checked against the
 * workload's descriptor (ranges and rules) before the first run starts, so a bad last value wastes no
 * runs. The service runs a plan for the CLI (`hotpath sweep`, with its progress bars) and for the Launch
 * form (startSweep, in the background) with the same code.
 */
import { ApiValidationError } from '../core/api/contract.js'
import type { RunRequest, SweepRequest } from '../core/api/schemas.js'
import type { RunRecord } from '../core/model/run.js'
import { type SweepSet, expandSweep, sweepSetLabel } from '../core/model/sweep.js'
import { type WorkloadDescriptor, resolveParams } from '../core/model/workload.js'

export interface SweepPlan {
  group: string
  /** The parameters with several values, in the order given. */
  swept: string[]
  /** Each run's values of the axes, in run order. */
  sets: SweepSet[]
  /** The run requests, in run order (labels "<label> workers=2", the group set). */
  requests: RunRequest[]
}

const MAX_LABEL = 200

/**
 * Expands a sweep into its run requests and checks each against the descriptor (when the workload has
 * one here); throws ApiValidationError listing every problem, each prefixed with the run it is about.
 */
export function planSweep(input: SweepRequest, descriptor: WorkloadDescriptor | undefined, group: string): SweepPlan {
  const expanded = expandSweep(input.axes)
  if (!expanded.ok) throw new ApiValidationError(`Invalid sweep: ${expanded.message}`, [`axes: ${expanded.message}`])
  const base = input.run
  const baseLabel = base.label ?? `${descriptor?.id ?? base.workload} sweep`
  const requests = expanded.sets.map((set): RunRequest => {
    const label = `${baseLabel} ${sweepSetLabel(set)}`
    return { ...base, params: { ...base.params, ...set }, group, label: label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label }
  })
  if (descriptor) {
    const issues: string[] = []
    for (const [i, request] of requests.entries()) {
      const resolved = resolveParams(descriptor, request.params ?? {})
      if (resolved.ok) {
        // Values typed as text (`--param workers=1,2`) go on as the descriptor's types.
        for (const name of Object.keys(expanded.sets[i] ?? {})) {
          const typed = resolved.params[name]
          if (typed !== undefined && request.params) request.params[name] = typed
        }
        continue
      }
      const at = sweepSetLabel(expanded.sets[i] ?? {})
      for (const p of resolved.problems) {
        const issue = `params.${p.param}: ${p.message} (valid: ${p.valid}) in the run with ${at}`
        if (!issues.includes(issue)) issues.push(issue)
      }
    }
    if (issues.length > 0) throw new ApiValidationError(`Invalid sweep of ${descriptor.id}: ${issues.join('; ')}`, issues)
  }
  return { group, swept: expanded.swept, sets: expanded.sets, requests }
}

/**
 * Runs a plan's requests one after another through `runOne` (which starts a run and resolves with its
 * saved record); stops after a run that was cancelled. Resolves with the records of the runs made.
 */
export async function executeSweep(plan: SweepPlan, runOne: (request: RunRequest, index: number) => Promise<RunRecord>): Promise<RunRecord[]> {
  const runs: RunRecord[] = []
  for (const [i, request] of plan.requests.entries()) {
    const run = await runOne(request, i)
    runs.push(run)
    if (run.status === 'cancelled') break
  }
  return runs
}
