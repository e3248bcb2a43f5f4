/**
 * `hotpath compare <baseline> <candidate>...`: compares saved runs (metrics with bootstrap intervals and
 * verdicts, functions that explain the change, environment differences, warnings), prints or writes a
 * report, and acts as a CI gate (exit 1) on a regression beyond a threshold.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describeGateReason } from '../../core/compare/comparison.js'
import { isMetricName, METRIC_DEFINITIONS, METRIC_NAMES, type MetricName } from '../../core/compare/metrics.js'
import { exporterForFile, exporters, getExporter, type Exporter, type ReportInput } from '../../core/export/index.js'
import {
  explainingFunctions,
  formatInterval,
  formatMetricValue,
  formatSelf,
  functionChangeText,
  headlineSentence,
  runName,
  shortLocation,
  significanceText,
  VERDICT_TEXT,
} from '../../core/export/markdown.js'
import { formatChange } from '../../core/format/number.js'
import { DEFAULT_BOOTSTRAP_SEED } from '../../core/stats/bootstrap.js'
import { describeWarning, warningSeverity } from '../../core/stats/warnings.js'
import { ComparisonInputError, type PreparedComparison, prepareComparison } from '../../service/comparison.js'
import { type CliCommand, type CliContext, EXIT, UsageError } from '../context.js'
import { formatTable, parseFlags, parsePercent, storeFromFlag } from '../shared.js'
import { compareByTargetCommand } from '../remote-shared.js'

export const compareUsage = `Usage: hotpath compare <baselineId> <candidateId>... [options]

Compares each candidate run against the baseline run. Per metric: both values, the change, a 95%
bootstrap confidence interval of the ratio candidate / baseline, and a verdict (improved, regressed,
no change). A change counts only when the whole interval lies outside the noise band.

Options:
  --metric NAME                  the headline metric, and the one --fail-on-regression judges:
                                 ${METRIC_NAMES.join(', ')} (default opsPerSec)
  --noise PCT                    no-change band around a ratio of 1 (default 2%)
  --fail-on-regression PCT       gate: exit 1 when --metric got worse by more than PCT (see below)
  --fail-on-function-growth PCT  gate: exit 1 when a function's self time grew by more than PCT (see below)
  --format FORMAT                table (default), md, json, html or csv; from -o's extension if not given
  -o, --output FILE              write the report to FILE; stdout then shows the table
  --json                         print the comparison as one JSON document on stdout
  --method percentile|bca        bootstrap interval (default percentile, as Criterion.rs)
  --seed N                       bootstrap seed (default ${DEFAULT_BOOTSTRAP_SEED}); the same seed gives the same intervals
  --store DIR                    run store folder (default: HOTPATH_HOME or the app-data folder)
  --force                        compare runs of different workloads anyway

Percentages are written 10% or 10 (or 0.10 as a fraction).

The gate (exit 1), exactly:
  --fail-on-regression T trips when, for any candidate, the whole 95% interval of the ratio of --metric
  lies beyond the threshold on the bad side: for opsPerSec (higher is better) ciHigh < 1 - T; for
  latencies, memory and times (lower is better) ciLow > 1 + T. So a 10% gate on opsPerSec trips only
  when throughput fell by more than 10% with 95% confidence. Metrics without an interval (too few
  samples, single values) are judged on the point ratio (gcPauseMs and cpuUserMs per operation when the
  runs did different numbers of operations).
  --fail-on-function-growth G trips when, in the CPU profiles of the baseline and a candidate, a function
  holding at least 1% of the candidate's samples grew its self time (per operation when the operation
  count of the profiled pass is known, else its share of samples) by more than G, or is new, and, where
  the profile diff tested significance, the growth is significant.
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
function chooseFormats(values: { format?: string; output?: string; json?: boolean }): { report: Exporter | 'table'; stdout: Exporter | 'table' } {
  let report: Exporter | 'table' | undefined
  if (values.format !== undefined) {
    report = values.format === 'table' || values.format === 'text' ? 'table' : getExporter(values.format)
    if (!report) fail(`--format "${values.format}" is not one of table, md, json, html, csv`)
  } else if (values.output) {
    report = exporterForFile(values.output) ?? 'table'
  } else report = values.json ? exporters.json : 'table'
  if (values.json && !values.output && report !== exporters.json) fail('--json prints JSON on stdout; it cannot be combined with --format other than json (use -o FILE for the other report)')
  const stdout = values.output ? (values.json ? exporters.json : 'table') : report
  return { report, stdout }
}

/** The text table report: headline, per-candidate metric tables, functions, environment and warnings. */
export function renderTable(input: ReportInput): string {
  const { comparison } = input
  const out: string[] = []
  const base = comparison.runs[0]
  if (base) out.push(`Baseline   ${base.id}  ${runName(base)}`)
  for (const c of comparison.candidates) {
    const cand = comparison.runs.find((r) => r.id === c.id)
    out.push(`Candidate  ${c.id}  ${cand ? runName(cand) : ''}`)
  }
  out.push('')
  for (const c of comparison.candidates) {
    out.push(headlineSentence(comparison, c).text, '')
    const rows = c.metrics.map((m) => [
      m.name,
      formatMetricValue(m.baseline, m.unit),
      formatMetricValue(m.candidate, m.unit),
      formatChange(m.ratio),
      m.ciLow !== null ? formatInterval(m) : m.basis === 'threshold' ? 'n/a (threshold)' : 'n/a',
      VERDICT_TEXT[m.verdict],
    ])
    out.push(formatTable(['metric', 'baseline', 'candidate', 'change', `${Math.round(comparison.settings.confidence * 100)}% CI`, 'verdict'], rows, ['l', 'r', 'r', 'r', 'r', 'l']))
    const changes = input.functionChanges?.[c.id]
    if (changes) {
      const { grown, shrunk } = explainingFunctions(changes, 5)
      const list = [...grown, ...shrunk]
      if (list.length > 0) {
        out.push('Functions that explain the change:')
        out.push(
          formatTable(
            ['function', 'location', 'baseline self', 'candidate self', 'change', 'significant'],
            list.map((f) => [f.name || '(anonymous)', shortLocation(f.url, f.line), formatSelf(f, 'baseline'), formatSelf(f, 'candidate'), functionChangeText(f), significanceText(f)]),
            ['l', 'l', 'r', 'r', 'r', 'l'],
          ),
        )
      }
    }
    for (const w of c.warnings) out.push(`${warningSeverity(w)}: ${describeWarning(w)}`)
    if (c.warnings.length > 0) out.push('')
  }
  const diff = comparison.environmentDiff
  if (diff.differences.length > 0) {
    out.push('Environment differences:')
    out.push(formatTable(['fact', ...comparison.runs.map((r) => runName(r))], diff.differences.map((d) => [d.path, ...d.values.map((v) => (v === null ? 'n/a' : String(v)))])))
  }
  for (const w of comparison.warnings) out.push(`${warningSeverity(w)}: ${describeWarning(w)}`)
  return `${out.join('\n').replace(/\n+$/, '')}\n`
}

function serialize(format: Exporter | 'table', input: ReportInput): string {
  return format === 'table' ? renderTable(input) : format.serialize(input)
}

export const command: CliCommand = {
  name: 'compare',
  summary: 'compare runs: metrics with confidence intervals and verdicts; a CI gate on regressions',
  usage: compareUsage,
  async run(args: string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseFlags('compare', args, flagOptions)
    if (values.by !== undefined) return compareByTargetCommand(ctx, positionals, values)
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
    const ids = positionals
    if (new Set(ids).size !== ids.length) fail('a run is named twice; name each run once')

    const store = storeFromFlag(values.store, ctx)
    let prepared: PreparedComparison
    try {
      prepared = await prepareComparison(store, ids, {
        metric,
        method,
        force: values.force === true,
        ...(noise !== undefined ? { noise } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(maxRegression !== undefined ? { maxRegression } : {}),
        ...(maxGrowth !== undefined ? { maxGrowth } : {}),
      })
    } catch (err) {
      if (err instanceof ComparisonInputError) fail(err.message)
      throw err
    }
    const { input, gate } = prepared
    if (values.output) {
      const file = path.resolve(ctx.cwd, values.output)
      await writeFile(file, serialize(formats.report, input))
    }
    ctx.stdout.write(serialize(formats.stdout, input))

    if (gate?.tripped) {
      ctx.stderr.write(`hotpath compare: gate failed:\n${gate.reasons.map((r) => `  ${describeGateReason(r)}`).join('\n')}\n`)
      return EXIT.regression
    }
    return EXIT.ok
  },
}
