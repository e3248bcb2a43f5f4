/**
 * The text table report for terminals (`hotpath compare`'s default): the runs, a headline sentence and a
 * metrics table per candidate, the functions that explain the change, environment differences, warnings.
 */
import { describeWarning, warningSeverity } from '../stats/warnings.js'
import { formatChange } from '../format/number.js'
import { formatTable } from '../format/table.js'
import type { Exporter, ReportInput } from './index.js'
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
  formatMde,
  formatProcesses,
} from './phrases.js'

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
      m.perOperation ? `${m.name} per op` : m.name,
      formatMetricValue(m.baseline, m.unit),
      formatMetricValue(m.candidate, m.unit),
      formatChange(m.ratio),
      m.ciLow !== null ? formatInterval(m) : m.basis === 'noise-floor' ? 'n/a (1 process)' : 'n/a',
      formatMde(m),
      formatProcesses(m),
      VERDICT_TEXT[m.verdict],
    ])
    out.push(
      formatTable(
        ['metric', 'baseline', 'candidate', 'change', `${Math.round(comparison.settings.confidence * 100)}% CI`, 'could detect', 'processes', 'verdict'],
        rows,
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
    )
    const changes = input.functionChanges?.[c.id]
    if (changes) {
      const { grown, shrunk } = explainingFunctions(changes, 5)
      const list = [...grown, ...shrunk]
      if (list.length > 0) {
        out.push('Functions that explain the change:')
        out.push(
          formatTable(
            ['function', 'location', 'baseline self', 'candidate self', 'change', 'significant'],
            list.map((f) => [
              f.name || '(anonymous)',
              shortLocation(f.url, f.line),
              formatSelf(f, 'baseline'),
              formatSelf(f, 'candidate'),
              functionChangeText(f),
              significanceText(f),
            ]),
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
    out.push(
      formatTable(
        ['fact', ...comparison.runs.map((r) => runName(r))],
        diff.differences.map((d) => [d.path, ...d.values.map((v) => (v === null ? 'n/a' : String(v)))]),
      ),
    )
  }
  for (const w of comparison.warnings) out.push(`${warningSeverity(w)}: ${describeWarning(w)}`)
  return `${out.join('\n').replace(/\n+$/, '')}\n`
}

export const tableExporter: Exporter = {
  format: 'table',
  extension: 'txt',
  mediaType: 'text/plain',
  serialize: (input) => renderTable(input),
}
