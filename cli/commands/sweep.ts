/**
 * `hotpath sweep <workload> --param workers=1,2,4,8`: one run per value (same seed), saved as a group,
 * and a scaling table: throughput, p99, speedup and efficiency against the first value.
 */
import { randomBytes } from 'node:crypto'
import type { RunRecord } from '../../core/model/run.js'
import { type SweepAxis, expandSweep, isParallelismParam, sweepGroupId, sweepSetLabel } from '../../core/model/sweep.js'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { serviceFor } from '../service.js'
import { formatCount, formatNs, formatTable, parseBytes, parseFlags, printJson } from '../shared.js'
import { buildRunRequest, describeRunText, executeWithProgress, runFlagOptions } from './run.js'
import { runCommandOnTargets } from '../remote-shared.js'
import { describeSaturation, expandRates, formatLatencyUnderLoad, latencyUnderLoadRows } from '../sweep-rate.js'
import type { CliContext } from '../context.js'
import type { ParsedFlags } from '../shared.js'

export interface SweepRow {
  id: string
  params: Record<string, string>
  status: RunRecord['status']
  opsPerSec?: number
  p99Ns?: number
  /** Throughput relative to the first value's. */
  speedup?: number
  /** Speedup divided by the ideal speedup (value / first value) when the swept parameter is numeric. */
  efficiency?: number
}

/** `k=1,2,4` flags as sweep axes (values as typed: the engine checks them against the workload, every run first). */
export function sweepAxesFromFlags(paramFlags: string[]): SweepAxis[] {
  const axes: SweepAxis[] = []
  for (const kv of paramFlags) {
    const eq = kv.indexOf('=')
    if (eq <= 0) throw new UsageError(`--param "${kv}" must look like name=v1,v2,...`)
    const values = kv.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '')
    if (values.length === 0) throw new UsageError(`--param ${kv.slice(0, eq)} has no values`)
    axes.push({ param: kv.slice(0, eq).trim(), values })
  }
  const expanded = expandSweep(axes)
  if (!expanded.ok) throw new UsageError(expanded.message.replace('e.g. workers=1,2,4', 'e.g. --param workers=1,2,4'))
  return axes
}

export function scalingRows(runs: RunRecord[], sets: Record<string, string>[], swept: string[]): SweepRow[] {
  const first = runs[0]
  const firstOps = first?.metrics?.opsPerSec
  const firstValue = Number(sets[0]?.[swept[0] ?? ''])
  // Efficiency against ideal linear scaling only for a parallelism parameter (workers, threads…), as in the Sweep view.
  const scaling = swept.length === 1 && isParallelismParam(swept[0] ?? '')
  return runs.map((run, i) => {
    const params = sets[i] ?? {}
    const ops = run.metrics?.opsPerSec
    const row: SweepRow = { id: run.id, params, status: run.status }
    if (ops !== undefined) row.opsPerSec = ops
    if (run.metrics) row.p99Ns = run.metrics.latencyNs.p99
    if (ops !== undefined && firstOps) {
      row.speedup = ops / firstOps
      const value = Number(params[swept[0] ?? ''])
      if (scaling && Number.isFinite(value) && Number.isFinite(firstValue) && firstValue > 0) row.efficiency = row.speedup / (value / firstValue)
    }
    return row
  })
}

export const command: CliCommand = {
  name: 'sweep',
  summary: 'one run per parameter value, and a scaling table',
  usage: `Usage: hotpath sweep <workload> --param k=v1,v2,... [--param k2=...] [run options]

Runs the workload once per value (the cartesian product when several parameters have several values),
with the same seed, saves the runs as one group, and prints throughput, p99, speedup and efficiency
against the first value (efficiency = speedup / (value / first value), for one parallelism parameter:
workers, threads, concurrency). Every run is checked (ranges and the workload's rules) before the first starts.
Takes the options of \`hotpath run\` (--variant, --duration, --warmup, --label, --tag, --store, --json, --on...).

  hotpath sweep <workload> --rate 1k,10k,100k [run options]
Runs the workload once per offered rate under open-loop load and prints the latency-under-load table
(rate, achieved, p50, p99, p99.9, max, kept up), marking the first rate it did not keep up with.`,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('sweep', args, runFlagOptions)
    if (values.rate?.includes(',')) return runRateSweep(positionals[0], values, ctx)
    const axes = sweepAxesFromFlags(values.param ?? [])
    const maxArtifactBytes = values['max-artifact-size'] ? parseBytes('max-artifact-size', values['max-artifact-size']) : undefined
    const service = serviceFor(ctx, values.store, 'sweep', maxArtifactBytes !== undefined ? { maxArtifactBytes } : {})
    const descriptors = await service.listWorkloads()
    // The other run options as for `hotpath run`; the engine plans the sweep and checks every run before the first.
    const run = buildRunRequest(descriptors, positionals[0], { ...values, param: [] })
    if (values.label !== undefined) run.label = values.label
    const sweep = { run, axes }
    // On targets: every value runs on each target, one after another there; targets side by side.
    if (values.on) return runCommandOnTargets(ctx, service, (await service.planSweep(sweep)).requests, values, describeRunText)
    const { plan, runs } = await service.runSweep(sweep, {
      runOne: (request, i, p) => executeWithProgress(service, request, ctx, `[${i + 1}/${p.requests.length} ${sweepSetLabel(p.sets[i] ?? {})}] `),
    })
    const { group, swept } = plan
    const sets = plan.sets.map((set) => Object.fromEntries(Object.entries(set).map(([k, v]) => [k, String(v)])))
    const rows = scalingRows(runs, sets, swept)
    if (values.json) {
      printJson(ctx, { group, swept, rows })
    } else {
      ctx.stdout.write(`sweep ${group}: ${runs.length} runs of ${positionals[0]}\n`)
      ctx.stdout.write(
        formatTable(
          [...swept.map((s) => s.toUpperCase()), 'STATUS', 'OPS/S', 'P99', 'SPEEDUP', 'EFFICIENCY', 'RUN'],
          rows.map((r) => [
            ...swept.map((s) => r.params[s] ?? ''),
            r.status,
            r.opsPerSec !== undefined ? formatCount(r.opsPerSec) : '-',
            r.p99Ns !== undefined ? formatNs(r.p99Ns) : '-',
            r.speedup !== undefined ? `${r.speedup.toFixed(2)}x` : '-',
            r.efficiency !== undefined ? `${(r.efficiency * 100).toFixed(0)}%` : '-',
            r.id,
          ]),
          [...swept.map(() => 'r' as const), 'l', 'r', 'r', 'r', 'r', 'l'],
        ),
      )
    }
    return runs.every((r) => r.status === 'ok') ? EXIT.ok : EXIT.workloadFailed
  },
}

/** The rate sweep: one open-loop run per rate (same seed, one group), then the latency-under-load table. */
async function runRateSweep(workload: string | undefined, values: ParsedFlags<typeof runFlagOptions>['values'], ctx: CliContext): Promise<number> {
  const rates = expandRates(values.rate ?? '')
  const group = sweepGroupId(new Date(), randomBytes(2).toString('hex'))
  const maxArtifactBytes = values['max-artifact-size'] ? parseBytes('max-artifact-size', values['max-artifact-size']) : undefined
  const service = serviceFor(ctx, values.store, 'sweep', maxArtifactBytes !== undefined ? { maxArtifactBytes } : {})
  const descriptors = await service.listWorkloads()
  const requests = rates.map((rate) => ({ ...buildRunRequest(descriptors, workload, { ...values, rate: undefined }), rate, group }))
  const runs: RunRecord[] = []
  for (const [i, request] of requests.entries()) {
    const label = `rate=${formatCount(rates[i] ?? 0)}/s`
    request.label = `${values.label ?? `${request.workload} sweep`} ${label}`
    const run = await executeWithProgress(service, request, ctx, `[${i + 1}/${requests.length} ${label}] `)
    runs.push(run)
    if (run.status === 'cancelled') break
  }
  const rows = latencyUnderLoadRows(runs, rates)
  if (values.json) printJson(ctx, { group, swept: ['rate'], rows, saturation: rows.find((r) => r.saturated)?.offeredOpsPerSec ?? null })
  else {
    ctx.stdout.write(`sweep ${group}: ${runs.length} open-loop runs of ${workload}; latency from each request's intended start\n`)
    ctx.stdout.write(formatLatencyUnderLoad(rows))
    ctx.stdout.write(`${describeSaturation(rows)}\n`)
  }
  return runs.every((r) => r.status === 'ok') ? EXIT.ok : EXIT.workloadFailed
}
