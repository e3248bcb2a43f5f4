/**
 * `hotpath suite`: runs several workloads (built-ins and workload files) as one group, `--repeat N`
 * interleaved processes each; `--save-baseline NAME` names the result; `--baseline NAME` compares every
 * member against it in one table with one exit code, the suite score first.
 */
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isMetricName, METRIC_DEFINITIONS, METRIC_NAMES, type MetricName } from '../../core/compare/metrics.js'
import { formatChange } from '../../core/format/number.js'
import { formatMetricValue } from '../../core/export/phrases.js'
import { formatRatioInterval, memberStatus, renderSuiteMarkdown, scoreSentence } from '../../core/export/suite-markdown.js'
import { profileKindSchema, type ProfileKind } from '../../core/model/run.js'
import { baselineNameSchema, suiteFileSchema, type SuiteMemberSpec } from '../../core/model/suite.js'
import type { SuiteRequest, SuiteResult } from '../../service/index.js'
import { type CliCommand, type CliContext, EXIT, UsageError } from '../context.js'
import { createProgressBar, formatTable, parseDurationMs, parseFlags, parsePercent, parsePositiveInt, printJson } from '../shared.js'
import { callService, openCliService } from '../workbench.js'
import { parseMeta } from './run.js'

const usage = `Usage: hotpath suite [FILE.json | --workloads a,b:variant,./bench/x.bench.ts] [options]

Runs every member (a built-in workload or a workload file) as one group, --repeat processes each,
interleaved (round r runs every member once, in rotated order). With --baseline, compares every member
against the named baseline in one table with one exit code; the suite score (geometric mean of the
members' ratios, with its 95% interval) comes first.

Options:
  --workloads LIST           members: ids or files, each optionally :variant (default: its first variant)
  --repeat N                 processes per member (default 1; use 5+ for a gate: one process is no evidence)
  --duration 2s | --iterations N   measured window per process (default 1s)
  --warmup 500ms             warm-up per process
  --profile LIST             captures in the first round (default cpu: names the functions behind a change;
                             "none" for no profile)
  --save-baseline NAME       save the runs as baseline NAME (<store>/baselines/NAME.json)
  --append                   with --save-baseline: add to the baseline's runs (rounds alternated by CI)
  --baseline NAME            compare against baseline NAME
  --metric NAME              ${METRIC_NAMES.join(', ')} (default opsPerSec)
  --fail-on-regression PCT   with --baseline: exit 1 when a member regressed (95% interval beyond --noise)
                             and its estimate is worse than PCT
  --noise PCT                no-change band (default 2%)
  --meta key=value           recorded with every run (repeatable)
  -o, --output FILE          write the Markdown report (fits a GitHub step summary)
  --notes FILE               Markdown for the report's "Notes / next steps"
  --json                     print the suite result as JSON
  --store DIR                run store folder

Suite file (JSON): { "name": "ci", "members": [{ "workload": "./orders.bench.ts", "variant": "optimized",
  "params": { "orders": 5000 } }, { "workload": "orderbook" }], "repeat": 5, "durationMs": 1000 }
(workload files relative to the suite file).

Exit codes: 0 ok, 1 the gate found a regression, 2 bad usage (unknown baseline: the known ones are listed),
3 a member failed (the others are still compared).`

const flags = {
  workloads: { type: 'string' },
  repeat: { type: 'string' },
  duration: { type: 'string' },
  iterations: { type: 'string' },
  warmup: { type: 'string' },
  profile: { type: 'string' },
  'save-baseline': { type: 'string' },
  append: { type: 'boolean' },
  baseline: { type: 'string' },
  metric: { type: 'string' },
  'fail-on-regression': { type: 'string' },
  noise: { type: 'string' },
  meta: { type: 'string', multiple: true },
  output: { type: 'string', short: 'o' },
  notes: { type: 'string' },
  json: { type: 'boolean' },
  store: { type: 'string' },
} as const

function parseMembers(list: string): SuiteMemberSpec[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      // "id:variant" or "./x.bench.ts:variant"; a Windows drive letter ("C:\") is not a variant.
      const m = /^(.*[^:\\/]):([a-z][a-z0-9-]*)$/.exec(item)
      return m && !/^[A-Za-z]$/.test(m[1] as string) ? { workload: m[1] as string, variant: m[2] as string } : { workload: item }
    })
}

export const command: CliCommand = {
  name: 'suite',
  summary: 'run a set of workloads as one group; save or compare against a named baseline (one exit code)',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('suite', args, flags)
    if (positionals.length > 1) throw new UsageError('name one suite file (or use --workloads)')
    if (positionals.length === 1 && values.workloads) throw new UsageError('give a suite file or --workloads, not both')
    if (values['save-baseline'] && values.baseline && values['save-baseline'] === values.baseline)
      throw new UsageError('--save-baseline and --baseline name the same baseline')
    for (const flag of ['save-baseline', 'baseline'] as const) {
      const v = values[flag]
      if (v !== undefined && !baselineNameSchema.safeParse(v).success)
        throw new UsageError(`--${flag} "${v}": a baseline name is letters, digits, . _ - (at most 64)`)
    }
    let members: SuiteMemberSpec[]
    let cwd = ctx.cwd
    let fromFile: Partial<SuiteRequest> = {}
    let name: string | undefined
    if (positionals[0]) {
      const file = path.resolve(ctx.cwd, positionals[0])
      let raw: unknown
      try {
        raw = JSON.parse(await readFile(file, 'utf8'))
      } catch (err) {
        throw new UsageError(
          `${positionals[0]}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(err as Error).message})`}`,
        )
      }
      const parsed = suiteFileSchema.safeParse(raw)
      if (!parsed.success)
        throw new UsageError(
          `${positionals[0]}: ${parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
            .join('; ')}`,
        )
      members = parsed.data.members
      cwd = path.dirname(file)
      name = parsed.data.name
      fromFile = {
        ...(parsed.data.repeat !== undefined ? { repeat: parsed.data.repeat } : {}),
        ...(parsed.data.iterations !== undefined ? { iterations: parsed.data.iterations } : {}),
        ...(parsed.data.durationMs !== undefined ? { durationMs: parsed.data.durationMs } : {}),
        ...(parsed.data.warmupMs !== undefined ? { warmupMs: parsed.data.warmupMs } : {}),
        ...(parsed.data.profile ? { profile: parsed.data.profile } : {}),
      }
    } else if (values.workloads) members = parseMembers(values.workloads)
    else throw new UsageError('name a suite file or --workloads a,b (see hotpath suite --help)')
    if (members.length === 0) throw new UsageError('the suite has no members')

    const metricText = values.metric ?? 'opsPerSec'
    if (!isMetricName(metricText)) throw new UsageError(`--metric "${metricText}" is not one of ${METRIC_NAMES.join(', ')}`)
    const metric: MetricName = metricText
    const maxRegression =
      values['fail-on-regression'] !== undefined ? parsePercent('fail-on-regression', values['fail-on-regression']) : undefined
    if (values.append && !values['save-baseline']) throw new UsageError('--append needs --save-baseline NAME')
    if (maxRegression !== undefined && !values.baseline) throw new UsageError('--fail-on-regression needs --baseline NAME')
    if (values.iterations && values.duration) throw new UsageError('give --iterations or --duration, not both')
    let profile: ProfileKind[] | undefined = fromFile.profile
    if (values.profile) {
      profile = values.profile === 'none' ? [] : (values.profile.split(',').map((s) => s.trim()) as ProfileKind[])
      for (const k of profile)
        if (!profileKindSchema.safeParse(k).success)
          throw new UsageError(`--profile "${k}": valid: ${profileKindSchema.options.join(', ')}, none`)
    }
    const notes = values.notes
      ? await readFile(path.resolve(ctx.cwd, values.notes), 'utf8').catch(() => {
          throw new UsageError(`--notes ${values.notes}: no such file`)
        })
      : undefined
    const request: SuiteRequest = {
      ...(name ? { name } : {}),
      members,
      cwd,
      repeat: values.repeat ? parsePositiveInt('repeat', values.repeat, 100) : (fromFile.repeat ?? 1),
      ...(values.iterations
        ? { iterations: parsePositiveInt('iterations', values.iterations, 100_000_000) }
        : fromFile.iterations !== undefined
          ? { iterations: fromFile.iterations }
          : {}),
      ...(values.duration
        ? { durationMs: parseDurationMs('duration', values.duration) }
        : fromFile.durationMs !== undefined
          ? { durationMs: fromFile.durationMs }
          : !values.iterations && fromFile.iterations === undefined
            ? { durationMs: 1000 }
            : {}),
      ...(values.warmup
        ? { warmupMs: parseDurationMs('warmup', values.warmup) }
        : fromFile.warmupMs !== undefined
          ? { warmupMs: fromFile.warmupMs }
          : {}),
      ...(profile ? { profile } : {}),
      ...(values['save-baseline'] ? { saveBaseline: values['save-baseline'] } : {}),
      ...(values.append ? { append: true } : {}),
      ...(values.baseline ? { baseline: values.baseline } : {}),
      metric,
      ...(maxRegression !== undefined ? { maxRegression } : {}),
      ...(values.noise !== undefined ? { noise: parsePercent('noise', values.noise) } : {}),
      ...(values.meta?.length ? { meta: parseMeta(values.meta) } : {}),
    }
    const service = openCliService(values.store, ctx)
    const bar = createProgressBar(ctx)
    let result
    try {
      result = await callService(
        service.runSuite(request, { onProgress: (text, fraction) => bar.update(fraction, text), signal: ctx.signal }),
      )
    } finally {
      bar.done()
      await service.dispose()
    }
    return reportSuite(result, ctx, {
      metric,
      ...(values.output ? { output: values.output } : {}),
      ...(values.json ? { json: true } : {}),
      ...(notes ? { notes } : {}),
    })
  },
}

/** Prints the suite table (or JSON), writes the Markdown report, and returns the exit code. */
export async function reportSuite(
  result: SuiteResult,
  ctx: CliContext,
  opts: { metric: MetricName; output?: string; json?: boolean; notes?: string },
): Promise<number> {
  const { metric } = opts
  const markdown = renderSuiteMarkdown(result, {
    ...(opts.notes ? { notes: opts.notes } : {}),
    ...(result.candidateGit ? { candidateGit: result.candidateGit } : {}),
  })
  if (opts.output) await writeFile(path.resolve(ctx.cwd, opts.output), markdown)
  if (opts.json) printJson(ctx, result)
  else {
    const def = METRIC_DEFINITIONS[metric]
    const out: string[] = [
      `Suite ${result.name}: ${result.members.length} member(s) × ${result.repeat} process(es), group ${result.group}${result.baseline ? `, against baseline ${result.baseline.name}` : ''}`,
    ]
    const score = scoreSentence(result)
    if (score) out.push(score)
    out.push('')
    out.push(
      formatTable(
        ['member', 'baseline', 'candidate', 'change', '95% CI', 'processes', 'verdict'],
        result.members.map((m) => {
          const c = m.comparison
          return [
            m.key,
            c ? formatMetricValue(c.baselineValue, def.unit) : '-',
            c ? formatMetricValue(c.candidateValue, def.unit) : '-',
            c ? formatChange(c.ratio.ratio) : '-',
            c ? formatRatioInterval(c.ratio) : '-',
            c ? `${c.ratio.baselineProcesses} vs ${c.ratio.candidateProcesses}` : String(m.runIds.length),
            memberStatus(m),
          ]
        }),
        ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
      ).trimEnd(),
    )
    if (result.savedBaseline) out.push('', `Saved baseline ${result.savedBaseline.name} (${result.savedBaseline.file} in the store).`)
    for (const w of result.warnings) out.push(`warning: ${w}`)
    ctx.stdout.write(out.join('\n') + '\n')
  }
  if (result.gate.reasons.length > 0)
    ctx.stderr.write(
      `hotpath suite: ${result.failed ? 'a member failed' : 'gate failed'}:\n${result.gate.reasons.map((r) => `  ${r}`).join('\n')}\n`,
    )
  if (result.failed) return EXIT.workloadFailed
  return result.gate.tripped ? EXIT.regression : EXIT.ok
}
