/** `hotpath trend <workload>`: a workload's history by commit, with change points named by the commits around them. */
import { formatMetricValue } from '../../core/export/phrases.js'
import { shortKey, sparkline, TREND_METRIC_NAMES } from '../../core/analysis/trend.js'
import type { MetricUnit } from '../../core/compare/metrics.js'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { formatTable, parseFlags, printJson } from '../shared.js'
import { callService, openCliService } from '../workbench.js'

export const command: CliCommand = {
  name: 'trend',
  summary: 'history of a workload across commits, with change points (E-divisive, permutation test)',
  usage: `Usage: hotpath trend <workload> [--variant V] [--metric ${TREND_METRIC_NAMES.join('|')}] [--branch B]
                     [--baseline NAME] [--json] [--store DIR]

Orders the workload's successful runs by commit time (run time without git), one point per commit (the
median of its runs), draws the series, and reports change points: E-divisive means with a permutation test
(p <= 0.01; false change-point rate about 1% per flat series, measured in simulation). Each change point
names the commits around it; \`hotpath compare --from-trend <workload>\` compares the runs on either side.
Fewer than 4 points: shown, no change points claimed.`,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('trend', args, {
      variant: { type: 'string' },
      metric: { type: 'string' },
      branch: { type: 'string' },
      baseline: { type: 'string' },
      json: { type: 'boolean' },
      store: { type: 'string' },
    })
    if (positionals.length !== 1) throw new UsageError('name one workload id (see hotpath list)')
    const service = openCliService(values.store, ctx)
    const trend = await callService(
      service.getTrend({
        workload: positionals[0] as string,
        ...(values.variant ? { variant: values.variant } : {}),
        ...(values.metric ? { metric: values.metric } : {}),
        ...(values.branch ? { branch: values.branch } : {}),
        ...(values.baseline ? { baseline: values.baseline } : {}),
      }),
    )
    if (values.json) {
      printJson(ctx, trend)
      return EXIT.ok
    }
    if (trend.points.length === 0) {
      ctx.stdout.write(`No successful runs of ${trend.workload}${values.variant ? `/${values.variant}` : ''}${values.branch ? ` on ${values.branch}` : ''} in ${service.storeRoot}.\n`)
      return EXIT.ok
    }
    const unit = trend.unit as MetricUnit
    const fmt = (v: number): string => formatMetricValue(v, unit)
    const out: string[] = [`${trend.workload} / ${trend.variant}  ${trend.metric} (${trend.better} is better)${trend.branch ? `  branch ${trend.branch}` : ''}  ${trend.points.length} point(s)`]
    const line = sparkline(trend.points.map((p) => p.value))
    const marks = Array.from({ length: trend.points.length }, (_, i) => (trend.changePoints.some((c) => c.index === i) ? '^' : ' ')).join('')
    out.push(`  ${line}`, ...(trend.changePoints.length ? [`  ${marks}`] : []))
    if (trend.baseline) out.push(`  baseline ${trend.baseline.name}: ${fmt(trend.baseline.value)}`)
    out.push('')
    out.push(
      formatTable(
        ['#', 'COMMIT', 'TIME', trend.metric.toUpperCase(), 'RUNS', 'SUBJECT'],
        trend.points.map((p, i) => [String(i), `${shortKey(p)}${p.dirty ? '+' : ''}${trend.changePoints.some((c) => c.index === i) ? ' ◆' : ''}`, p.time.slice(0, 16).replace('T', ' '), fmt(p.value), String(p.runIds.length), (p.subject ?? '').slice(0, 60)]),
        ['r', 'l', 'l', 'r', 'r', 'l'],
      ).trimEnd(),
    )
    out.push('')
    if (trend.changePoints.length === 0) out.push('No change points.')
    for (const c of trend.changePoints) out.push(`Change point ${c.text}: ${fmt(c.before)} -> ${fmt(c.after)}  (hotpath compare ${c.baselineRunId} ${c.candidateRunId})`)
    for (const n of trend.notes) out.push(`note: ${n}`)
    ctx.stdout.write(out.join('\n') + '\n')
    return EXIT.ok
  },
}
