/**
 * `hotpath compare <baseline> <candidate>...`: compares saved runs (metrics with bootstrap intervals and
 * verdicts, functions that explain the change, environment differences, warnings), prints or writes a
 * report, and acts as a CI gate (exit 1) on a regression beyond a threshold.
 */
import path from 'node:path'
import type { CompareOptions } from '../../core/api/schemas.js'
import { describeGateReason } from '../../core/compare/comparison.js'
import { isMetricName, METRIC_DEFINITIONS, METRIC_NAMES, type MetricName } from '../../core/compare/metrics.js'
import { exporterForFile, exporters, getExporter, type Exporter } from '../../core/export/index.js'
import { type CliCommand, type CliContext, EXIT, UsageError } from '../context.js'
import { serviceFor } from '../service.js'
import { parseFlags, parsePercent, parseRunIds } from '../shared.js'
import { isTrendMetric } from '../../core/analysis/trend.js'
import { callService, openCliService } from '../workbench.js'
import { compareByTargetCommand } from '../remote-shared.js'

export const compareUsage = `Usage: hotpath compare <baselineId> <candidateId>... [options]
       hotpath compare --from-trend <workload> [--variant V] [--branch B] [--change K] [options]

Compares each candidate run against the baseline run. Per metric: both values, the change, a 95%
interval of the ratio candidate / baseline from the spread between processes (runs made with --repeat N
or by hotpath ab), the minimum detectable effect, the processes per side, and a verdict: improved,
regressed, no change (interval inside the noise band), inconclusive (it straddles the band, or one
process per side within the single-process noise floor), or no verdict (zero or constant on both sides).

Options:
  --metric NAME                  the headline metric, and the one --fail-on-regression judges:
                                 ${METRIC_NAMES.join(', ')} (default opsPerSec)
  --noise PCT                    no-change band around a ratio of 1 (default 2%)
  --fail-on-regression PCT       gate: exit 1 when --metric got worse by more than PCT (see below)
  --fail-on-function-growth PCT  gate: exit 1 when a function's self time grew by more than PCT (see below)
  --format FORMAT                table (default), md, json, html or csv; from -o's extension if not given
  -o, --output FILE              write the report to FILE; stdout then shows the table
  --json                         print the comparison as one JSON document on stdout
  --method, --seed               accepted for old scripts; ignored (intervals no longer come from a bootstrap)
  --store DIR                    run store folder (default: HOTPATH_HOME or the app-data folder)
  --force                        compare runs of different workloads anyway
  --from-trend WORKLOAD          compare the runs on either side of a change point of \`hotpath trend\`
                                 (the last run before it and the first after); --change K picks the
                                 K-th change point (default: the latest), --variant/--branch as in trend

Percentages are written 10% or 10 (or 0.10 as a fraction).

The gate (exit 1), exactly:
  --fail-on-regression T trips when, for any candidate, --metric regressed (its 95% interval over
  processes lies beyond the --noise band on the bad side) and its estimate is beyond the threshold: for
  opsPerSec (higher is better) ratio < 1 - T; for latencies, memory and times (lower is better)
  ratio > 1 + T. This is Criterion's rule: significant, and large enough to matter. Identical builds
  trip it only when the interval misses 1, at most 2.5% of comparisons at 95%. Without an interval (one
  process per side) it trips only when the change also exceeds the single-process noise floor.
  gcPauseMs and cpuUserMs are judged per operation; metrics with no verdict (0 on both sides) never
  trip it.
  --fail-on-function-growth G trips when, in the CPU profiles of the baseline and a candidate, a function
  holding at least 1% of the candidate's samples grew its self time (per operation when the operation
  count of the profiled pass is known, else its share of samples) by more than G, or is new, and, where
  the profile diff tested significance, the growth is significant. With several processes per side (runs
  made with --profile cpu --repeat N) every process's profile is used: Welch's t-test per function with
  Benjamini-Hochberg correction, and a function that is merely new trips it only when significant.
  Why the gate tripped is printed on stderr.

Many machines: hotpath compare --by target [runId...] [--group G] [--workload W] [--reference NAME]
  [--format table|md|json|html] [-o FILE] puts runs made on targets (run --on) side by side, one column
  per machine: throughput and latency with 95% intervals over processes, speed relative to --reference
  (default: the first target), and the environment facts, those that differ marked. Without run ids it
  takes the newest group of runs made on targets.

Exit codes: 0 ok (or gate passed), 1 the gate found a regression, 2 bad usage or input (unknown run,
different workloads without --force, a run without metrics).`

const flagOptions = {
  metric: { type: 'string' },
  noise: { type: 'string' },
  'fail-on-regression': { type: 'string' },
  'fail-on-function-growth': { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  method: { type: 'string' },
  seed: { type: 'string' },
  store: { type: 'string' },
  force: { type: 'boolean' },
  'from-trend': { type: 'string' },
  change: { type: 'string' },
  variant: { type: 'string' },
  branch: { type: 'string' },
  by: { type: 'string' },
  reference: { type: 'string' },
  group: { type: 'string' },
  workload: { type: 'string' },
} as const

/** Samples expanded from a histogram are capped here, like the bootstrap's own cap. */
function fail(message: string): never {
  throw new UsageError(message)
}

/** Resolves the output format from --format, -o's extension and --json. */
function chooseFormats(values: { format?: string; output?: string; json?: boolean }): { report: Exporter; stdout: Exporter } {
  let report: Exporter | undefined
  if (values.format !== undefined) {
    report = values.format === 'text' ? exporters.table : getExporter(values.format)
    if (!report) fail(`--format "${values.format}" is not one of table, md, json, html, csv`)
  } else if (values.output) {
    report = exporterForFile(values.output) ?? exporters.table
  } else report = values.json ? exporters.json : exporters.table
  if (values.json && !values.output && report !== exporters.json) fail('--json prints JSON on stdout; it cannot be combined with --format other than json (use -o FILE for the other report)')
  const stdout = values.output ? (values.json ? exporters.json : exporters.table) : report
  return { report, stdout }
}

/** The runs on either side of a change point of the workload's trend (the latest, or --change K, 1-based). */
async function idsFromTrend(values: { 'from-trend'?: string; change?: string; variant?: string; branch?: string; metric?: string; store?: string }, ctx: CliContext): Promise<string[]> {
  const service = openCliService(values.store, ctx)
  const metric = values.metric && isTrendMetric(values.metric) ? values.metric : 'opsPerSec'
  const trend = await callService(
    service.getTrend({ workload: values['from-trend'] as string, metric, ...(values.variant ? { variant: values.variant } : {}), ...(values.branch ? { branch: values.branch } : {}) }),
  )
  if (trend.changePoints.length === 0) fail(`the trend of ${trend.workload}/${trend.variant} has no change point (${trend.points.length} point(s)); see hotpath trend ${trend.workload}`)
  const k = values.change !== undefined ? Number(values.change) : trend.changePoints.length
  const cp = Number.isInteger(k) && k >= 1 ? trend.changePoints[k - 1] : undefined
  if (!cp) fail(`--change ${values.change}: the trend has ${trend.changePoints.length} change point(s); use 1 to ${trend.changePoints.length}`)
  ctx.stderr.write(`hotpath compare: change point ${cp.text}
`)
  return [cp.baselineRunId, cp.candidateRunId]
}

export const command: CliCommand = {
  name: 'compare',
  summary: 'compare runs: metrics with confidence intervals and verdicts; a CI gate on regressions',
  usage: compareUsage,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals: given } = parseFlags('compare', args, flagOptions)
    if (values.by !== undefined) return compareByTargetCommand(ctx, given, values)
    const positionals = values['from-trend'] ? await idsFromTrend(values, ctx) : given
    if (values['from-trend'] && given.length > 0) fail('--from-trend picks the runs itself; name no run ids')
    if (positionals.length < 2) fail('name a baseline run id and at least one candidate run id (see `hotpath list`)')
    const metricText = values.metric ?? 'opsPerSec'
    if (!isMetricName(metricText)) fail(`--metric "${metricText}" is not one of ${METRIC_NAMES.join(', ')}`)
    const metric: MetricName = metricText
    const noise = values.noise !== undefined ? parsePercent('noise', values.noise) : undefined
    if (noise !== undefined && !(noise >= 0 && noise < 1)) fail('--noise must be from 0% to under 100%')
    const maxRegression = values['fail-on-regression'] !== undefined ? parsePercent('fail-on-regression', values['fail-on-regression']) : undefined
    if (maxRegression !== undefined && !(maxRegression < 1 || METRIC_DEFINITIONS[metric].better === 'lower')) {
      fail('--fail-on-regression must be under 100% for a higher-is-better metric (throughput cannot fall by more than 100%)')
    }
    const maxGrowth = values['fail-on-function-growth'] !== undefined ? parsePercent('fail-on-function-growth', values['fail-on-function-growth']) : undefined
    const method = values.method ?? 'percentile'
    if (method !== 'percentile' && method !== 'bca') fail(`--method "${method}" is not one of percentile, bca`)
    let seed: number | undefined
    if (values.seed !== undefined) {
      if (!/^\d+$/.test(values.seed) || Number(values.seed) > 0xffffffff) fail(`--seed "${values.seed}" must be a whole number from 0 to 4294967295`)
      seed = Number(values.seed)
    }
    const formats = chooseFormats(values)
    const ids = parseRunIds(positionals)
    if (new Set(ids).size !== ids.length) fail('a run is named twice; name each run once')

    const options: CompareOptions = {
      metric,
      method,
      force: values.force === true,
      ...(noise !== undefined ? { noise } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(maxRegression !== undefined ? { failOnRegression: maxRegression } : {}),
      ...(maxGrowth !== undefined ? { failOnFunctionGrowth: maxGrowth } : {}),
    }
    const service = serviceFor(ctx, values.store, 'compare')
    const input = await service.prepareReport(ids, options)
    if (values.output) await service.writeOutputFile(path.resolve(ctx.cwd, values.output), formats.report.serialize(input))
    ctx.stdout.write(formats.stdout.serialize(input))

    const { gate } = input
    if (gate?.tripped) {
      ctx.stderr.write(`hotpath compare: gate failed:\n${gate.reasons.map((r) => `  ${describeGateReason(r)}`).join('\n')}\n`)
      return EXIT.regression
    }
    return EXIT.ok
  },
}
