/** `hotpath ab`: sides A and B of one workload alternated (paired or ABBA), saved as two runs and compared. */
import type { AbRequest } from '../../core/api/schemas.js'
import { describeGateReason } from '../../core/compare/comparison.js'
import { isMetricName, METRIC_DEFINITIONS, METRIC_NAMES } from '../../core/compare/metrics.js'
import { toComparisonDocument } from '../../core/export/json.js'
import { exporters } from '../../core/export/index.js'
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { type CliCommand, type CliContext, EXIT, UsageError } from '../context.js'
import { serviceFor, WorkbenchError } from '../service.js'
import { createProgressBar, type ParsedFlags, parseFlags, parsePercent, parsePositiveInt, printJson } from '../shared.js'
import { buildRunRequest, describeCliWorkloadFile } from './run.js'

export const abUsage = `Usage: hotpath ab <workload|FILE> --variant A [--variant B] [options]

<workload> is a built-in id (hotpath workloads) or a workload file (./bench/orders.bench.ts), as in hotpath run.

Measures two sides of one workload in alternation and compares them: side A (the baseline) and side B
(the candidate) differ by variant, by parameters (--param-b) or by runtime (--runtime-b). Saves two runs
(tagged "ab", one group) and prints their comparison; --fail-on-regression gates on it directly.

Modes:
  paired (default where both sides share a runtime): each of --rounds fresh processes loads both sides
    and alternates their iterations in random order within each pair, so machine drift cancels in every
    pair; the per-process statistic is the paired log-ratio, and the verdict rests on its spread between
    processes.
  abba (with --runtime-b, or --mode abba): each round is one A and one B process, in ABBA order.

Options:
  --variant V               side A's variant; a second --variant is side B's (default: the same)
  --param k=v               a parameter of both sides (repeatable)
  --param-b k=v             a parameter of side B only (repeatable), e.g. --param n=100000 --param-b n=110000
  --runtime PATH            Node binary of side A (and B, unless --runtime-b)
  --runtime-b PATH          Node binary of side B (process-level ABBA mode)
  --mode paired|abba        force a mode (paired needs one runtime)
  --rounds N                processes (paired) or A+B process pairs (abba); at least 2; default 10 (paired), 22 (abba)
  --duration 1s | --iterations N   measured window of each process (default 1s paired, 500ms abba)
  --warmup N | 300ms        warm-up of each process (default 300ms paired, 200ms abba)
  --seed N                  data generator seed (default 42)
  --metric NAME             headline and gate metric: ${METRIC_NAMES.join(', ')} (default opsPerSec)
  --noise PCT               no-change band (default 2%)
  --fail-on-regression PCT  exit 1 when --metric regressed (95% interval beyond --noise)
                            and its estimate is worse than PCT
  --timeout 60s             per process (default 10m)
  --label L, --tag T        label prefix and tags of both runs
  --store DIR               run store folder (default: HOTPATH_HOME or the app-data folder)
  --json                    print {mode, runs, comparison, gate} as one JSON document

Exit codes: 0 ok (or gate passed), 1 the gate found a regression, 2 bad usage, 3 a process failed.`

const flagOptions = {
  variant: { type: 'string', multiple: true },
  param: { type: 'string', multiple: true },
  'param-b': { type: 'string', multiple: true },
  runtime: { type: 'string' },
  'runtime-b': { type: 'string' },
  mode: { type: 'string' },
  rounds: { type: 'string' },
  duration: { type: 'string' },
  iterations: { type: 'string' },
  warmup: { type: 'string' },
  seed: { type: 'string' },
  metric: { type: 'string' },
  noise: { type: 'string' },
  'fail-on-regression': { type: 'string' },
  timeout: { type: 'string' },
  label: { type: 'string' },
  tag: { type: 'string', multiple: true },
  store: { type: 'string' },
  json: { type: 'boolean' },
} as const

/** Turns `hotpath ab` flags into an AbRequest; every problem is a UsageError. */
export function buildAbRequest(
  descriptors: readonly WorkloadDescriptor[],
  positionals: readonly string[],
  values: ParsedFlags<typeof flagOptions>['values'],
  fileDescriptor?: WorkloadDescriptor,
): AbRequest {
  if (positionals.length === 0)
    throw new UsageError('name one workload; ab compares two sides of it (e.g. hotpath ab orderbook --variant naive --variant optimized)')
  if (positionals.length > 1)
    throw new UsageError(
      `ab compares two sides of one workload; got ${positionals.length} (${positionals.join(', ')}). Compare different workloads' runs with hotpath compare --force`,
    )
  const workload = positionals[0] as string
  const variants = values.variant ?? []
  if (variants.length > 2) throw new UsageError(`give at most two --variant flags (side A, side B); got ${variants.length}`)
  const [variantA, variantB] = variants
  // buildRunRequest checks the variant, parameters, durations, warm-up, seed, timeout and runtime.
  const a = buildRunRequest(descriptors, workload, {
    ...(variantA ? { variant: variantA } : {}),
    ...(values.param ? { param: values.param } : {}),
    ...(values.duration ? { duration: values.duration } : {}),
    ...(values.iterations ? { iterations: values.iterations } : {}),
    ...(values.warmup ? { warmup: values.warmup } : {}),
    ...(values.seed ? { seed: values.seed } : {}),
    ...(values.timeout ? { timeout: values.timeout } : {}),
    ...(values.runtime ? { runtime: values.runtime } : {}),
  }, {}, fileDescriptor)
  const b = buildRunRequest(descriptors, workload, {
    ...(variantB ? { variant: variantB } : {}),
    ...(values['param-b'] ? { param: values['param-b'] } : {}),
  }, {}, fileDescriptor)
  const request: AbRequest = { workload, params: a.params ?? {} }
  if (variantA) request.variantA = variantA
  if (variantB) request.variantB = variantB
  if (values['param-b']?.length) request.paramsB = b.params ?? {}
  for (const k of ['seed', 'iterations', 'durationMs', 'warmupIterations', 'warmupMs', 'timeoutMs', 'runtime'] as const) {
    if (a[k] !== undefined) (request as Record<string, unknown>)[k] = a[k]
  }
  if (values['runtime-b']) request.runtimeB = values['runtime-b']
  if (values.mode !== undefined) {
    if (values.mode !== 'paired' && values.mode !== 'abba') throw new UsageError(`--mode "${values.mode}" is not one of paired, abba`)
    request.mode = values.mode
  }
  if (values.rounds !== undefined) {
    const n = parsePositiveInt('rounds', values.rounds, 200)
    if (n < 2) throw new UsageError('--rounds must be at least 2: one round says nothing about how much processes differ')
    request.rounds = n
  }
  if (values.metric !== undefined) {
    if (!isMetricName(values.metric)) throw new UsageError(`--metric "${values.metric}" is not one of ${METRIC_NAMES.join(', ')}`)
    request.metric = values.metric
  }
  if (values.noise !== undefined) {
    const noise = parsePercent('noise', values.noise)
    if (!(noise >= 0 && noise < 1)) throw new UsageError('--noise must be from 0% to under 100%')
    request.noise = noise
  }
  if (values['fail-on-regression'] !== undefined) {
    const t = parsePercent('fail-on-regression', values['fail-on-regression'])
    const metric = request.metric !== undefined && isMetricName(request.metric) ? request.metric : 'opsPerSec'
    if (!(t > 0)) throw new UsageError('--fail-on-regression must be above 0%')
    if (!(t < 1 || METRIC_DEFINITIONS[metric].better === 'lower'))
      throw new UsageError('--fail-on-regression must be under 100% for a higher-is-better metric')
    request.maxRegression = t
  }
  if (values.label) request.label = values.label
  if (values.tag?.length) request.tags = values.tag
  return request
}

export const command: CliCommand = {
  name: 'ab',
  summary: 'interleaved A/B processes of one workload (paired or ABBA), two runs and their comparison',
  usage: abUsage,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseFlags('ab', args, flagOptions)
    const service = serviceFor(ctx, values.store, 'ab')
    const builtins = await service.listWorkloads()
    const described = positionals.length === 1 ? await describeCliWorkloadFile(service, ctx, positionals[0], builtins) : undefined
    if (described && !described.descriptor) throw new UsageError(`workload file ${positionals[0]} could not be loaded: ${described.error ?? 'it defines no workload'}`)
    const fileDescriptor = described?.descriptor
    const request = buildAbRequest(builtins, positionals, values, fileDescriptor)
    const bar = createProgressBar(ctx)
    let result
    try {
      result = await service.runAb(request, {
        signal: ctx.signal,
        onProgress: (p) => bar.update(p.overall, `${p.mode} round ${p.round}/${p.rounds}${p.side === 'AB' ? '' : ` side ${p.side}`}`),
      })
    } catch (err) {
      if (err instanceof WorkbenchError && (err.code === 'bad-request' || err.code === 'not-found'))
        throw new UsageError(err.message.replace(/^./, (c) => c.toLowerCase()))
      throw err
    } finally {
      bar.done()
    }
    const [A, B] = result.runs
    if (values.json) {
      printJson(ctx, {
        mode: result.mode,
        modeReason: result.modeReason,
        status: result.status,
        ...(result.error ? { error: result.error } : {}),
        runs: { A: A.id, B: B.id },
        ...(result.report ? { comparison: toComparisonDocument(result.report) } : {}),
        ...(result.gate ? { gate: result.gate } : {}),
      })
    } else {
      ctx.stdout.write(`Mode       ${result.modeReason}; ${A.processes?.length ?? 0} processes per side\n`)
      if (result.report) ctx.stdout.write(exporters.table.serialize(result.report))
    }
    if (result.status !== 'ok') {
      ctx.stderr.write(`hotpath ab: ${result.status}: ${result.error ?? ''} (runs ${A.id}, ${B.id} saved with status ${result.status})\n`)
      return EXIT.workloadFailed
    }
    if (result.gate?.tripped) {
      ctx.stderr.write(`hotpath ab: gate failed:\n${result.gate.reasons.map((r) => `  ${describeGateReason(r)}`).join('\n')}\n`)
      return EXIT.regression
    }
    return EXIT.ok
  },
}
