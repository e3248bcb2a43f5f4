/**
 * The suite report (engineering-report shape): title, date, branch and commit of baseline and candidate,
 * the summary (suite score with its interval, first), the detailed results table, the functions that explain
 * each change, environment differences, warnings and "Notes / next steps". Fits a GitHub step summary.
 */
import type { ProcessGroupRatio, SuiteMemberResult, SuiteResult } from '../compare/suite.js'
import { METRIC_DEFINITIONS } from '../compare/metrics.js'
import { formatChange } from '../format/number.js'
import type { GitProvenance } from '../model/run.js'
import { describeGit, environmentSection, functionsSection, mdCell, mdCode, notesSection, warningLines } from './markdown.js'
import { formatMetricValue } from './phrases.js'

export function formatRatioInterval(r: Pick<ProcessGroupRatio, 'low' | 'high'>): string {
  return r.low === null || r.high === null ? 'n/a' : `${formatChange(r.low)} to ${formatChange(r.high)}`
}

/** One sentence for the score: "Suite score: +12.0% p95 (95% CI +8.0% to +16.1%), geometric mean of 3 members; lower is better." */
export function scoreSentence(result: SuiteResult): string | undefined {
  const s = result.score
  if (!s || !Number.isFinite(s.ratio)) return undefined
  const def = METRIC_DEFINITIONS[result.metric]
  return `Suite score: ${formatChange(s.ratio)} ${result.metric} (95% CI ${formatRatioInterval(s)}), the geometric mean of ${s.members} member ratio(s) candidate / baseline over ${s.baselineProcesses} vs ${s.candidateProcesses} processes; ${def.better} is better.`
}

export function memberStatus(m: SuiteMemberResult): string {
  if (m.failures.length > 0) return `failed (${m.failures.length} of ${m.runIds.length} processes)`
  if (!m.comparison) return m.note ?? 'measured'
  return `${m.comparison.verdict}${m.comparison.gateTripped ? ' (gate)' : ''}`
}

export function renderSuiteMarkdown(result: SuiteResult, options: { notes?: string; date?: string; candidateGit?: GitProvenance } = {}): string {
  const def = METRIC_DEFINITIONS[result.metric]
  const out: string[] = [`## Hotpath suite: ${mdCell(result.name)}`, '']
  out.push(`- Date: ${(options.date ?? new Date().toISOString()).slice(0, 10)}`)
  if (result.baseline) out.push(`- Baseline: ${mdCode(result.baseline.name)}, ${describeGit(result.baseline.git)}, saved ${result.baseline.createdAt.slice(0, 10)}`)
  out.push(`- Candidate: ${describeGit(options.candidateGit)}`)
  out.push(`- ${result.members.length} member(s) × ${result.repeat} process(es), interleaved; metric ${mdCode(result.metric)} (${def.better} is better)`, '')

  out.push('### Summary', '')
  const score = scoreSentence(result)
  if (score) out.push(`**${mdCell(score)}**`, '')
  if (result.gate.threshold !== undefined) {
    out.push(result.gate.tripped || result.failed ? '**Gate failed:**' : `**Gate passed** (${Math.round(result.gate.threshold * 1000) / 10}% on ${result.metric}).`, '')
    if (result.gate.reasons.length > 0) out.push(...result.gate.reasons.map((r) => `- ${mdCell(r)}`), '')
  } else if (result.failed) out.push('**A member failed:**', '', ...result.gate.reasons.map((r) => `- ${mdCell(r)}`), '')
  if (result.savedBaseline) out.push(`Saved as baseline ${mdCode(result.savedBaseline.name)} (${mdCode(result.savedBaseline.file)}).`, '')

  out.push('### Detailed results', '')
  out.push(`| Member | Baseline | Candidate | Change | 95% CI | Processes | Verdict |`, '|---|---:|---:|---:|---:|---:|---|')
  for (const m of result.members) {
    const c = m.comparison
    out.push(
      `| ${mdCode(m.key)} | ${c ? formatMetricValue(c.baselineValue, def.unit) : '–'} | ${c ? formatMetricValue(c.candidateValue, def.unit) : '–'} | ${c ? formatChange(c.ratio.ratio) : '–'} | ${c ? formatRatioInterval(c.ratio) : '–'} | ${c ? `${c.ratio.baselineProcesses} vs ${c.ratio.candidateProcesses}` : m.runIds.length} | ${mdCell(memberStatus(m))} |`,
    )
  }
  out.push('')
  for (const m of result.members) {
    const report = m.comparison?.report
    const cand = report?.comparison.candidates[0]
    if (!report || !cand) continue
    out.push(`#### ${mdCell(m.key)}: all metrics (one baseline and one candidate process)`, '')
    out.push('| Metric | Baseline | Candidate | Change |', '|---|---:|---:|---:|')
    for (const metric of cand.metrics) out.push(`| ${METRIC_DEFINITIONS[metric.name].label} | ${formatMetricValue(metric.baseline, metric.unit)} | ${formatMetricValue(metric.candidate, metric.unit)} | ${formatChange(metric.ratio)} |`)
    out.push('')
    if (m.comparison?.functionChanges) out.push(`#### ${mdCell(m.key)}: functions that explain the change`, '', ...functionsSection(m.comparison.functionChanges, 5), '')
  }
  const firstReport = result.members.find((m) => m.comparison?.report)?.comparison?.report
  if (firstReport) out.push('### Environment differences', '', ...environmentSection(firstReport.comparison), '')
  const runWarnings = result.members.flatMap((m) => m.comparison?.report?.comparison.candidates[0]?.warnings ?? [])
  if (result.warnings.length > 0 || runWarnings.length > 0) {
    out.push('### Warnings', '', ...result.warnings.map((w) => `- ${mdCell(w)}`), ...warningLines(runWarnings), '')
  }
  out.push(...notesSection(options.notes))
  out.push(
    `<sub>Ratios are candidate / baseline of ${mdCode(result.metric)}, from one value per process: the ratio of geometric means, with a 95% percentile-bootstrap interval over processes; the score resamples every member at once. A change counts when the whole interval lies outside the noise band; the gate trips when a member regressed and its estimate lies beyond the threshold.</sub>`,
    '',
  )
  return out.join('\n')
}
