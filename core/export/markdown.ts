/**
 * The Markdown report: a summary line per candidate (headline ratio, interval, verdict), a
 * Baseline/Candidate/Change table per candidate, the functions that explain the change, environment
 * differences and warnings. Plain GitHub-flavoured Markdown, so it fits a GitHub Actions step summary.
 */
import { describeGateReason, type CandidateComparison, type Comparison, type FunctionChange } from '../compare/comparison.js'
import { METRIC_DEFINITIONS } from '../compare/metrics.js'
import { formatChange, formatSignificant } from '../format/number.js'
import { describeWarning, warningSeverity, type RunWarning } from '../stats/warnings.js'
import type { GitProvenance, RunRecord } from '../model/run.js'
import type { Exporter, ExportOptions, ReportInput } from './index.js'
import {
  explainingFunctions,
  formatInterval,
  formatMetricValue,
  formatSelf,
  functionChangeText,
  headlineSentence,
  methodNote,
  reportTitle,
  runName,
  shortLocation,
  significanceText,
  VERDICT_TEXT,
  formatMde,
  formatProcesses,
} from './phrases.js'

/** Escapes text for a GitHub Markdown table cell: pipes, line breaks, and HTML (GitHub renders inline HTML). */
export function mdCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ')
}

/** Inline code that survives backticks in the text. */
export function mdCode(text: string): string {
  const clean = text.replace(/\r?\n|\r/g, ' ')
  const fence = clean.includes('`') ? '``' : '`'
  return `${fence}${fence.length > 1 ? ' ' : ''}${clean}${fence.length > 1 ? ' ' : ''}${fence}`
}

const SEVERITY_MARK = { error: 'Error', warning: 'Warning', info: 'Note' } as const

export function warningLines(warnings: readonly RunWarning[]): string[] {
  return warnings.map((w) => `- **${SEVERITY_MARK[warningSeverity(w)]}:** ${mdCell(describeWarning(w))}`)
}

function metricsTable(comparison: Comparison, candidate: CandidateComparison): string[] {
  const conf = Math.round(comparison.settings.confidence * 100)
  const lines = [
    `| Metric | Baseline | Candidate | Change | ${conf}% CI | Could detect | Processes | Verdict |`,
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ]
  const notes: string[] = []
  for (const m of candidate.metrics) {
    const def = METRIC_DEFINITIONS[m.name]
    let ci = formatInterval(m)
    if (m.basis !== 'processes' && m.note) {
      let index = notes.indexOf(m.note)
      if (index < 0) index = notes.push(m.note) - 1
      ci = `n/a [${index + 1}]`
    }
    const verdict = m.verdict === 'regressed' || m.verdict === 'improved' ? `**${VERDICT_TEXT[m.verdict]}**` : VERDICT_TEXT[m.verdict]
    lines.push(
      `| ${m.label ?? def.label} (${mdCode(m.name)}) | ${formatMetricValue(m.baseline, m.unit)} | ${formatMetricValue(m.candidate, m.unit)} | ${formatChange(m.ratio)} | ${ci} | ${formatMde(m)} | ${formatProcesses(m)} | ${verdict} |`,
    )
  }
  if (notes.length > 0) {
    lines.push('')
    notes.forEach((n, i) => lines.push(`[${i + 1}] ${mdCell(n)}.${i < notes.length - 1 ? '  ' : ''}`))
  }
  return lines
}

export function functionsSection(changes: readonly FunctionChange[], limit: number): string[] {
  const { grown, shrunk } = explainingFunctions(changes, limit)
  if (grown.length === 0 && shrunk.length === 0) return ['No function changed its share of self time.']
  const table = (title: string, list: FunctionChange[]): string[] =>
    list.length === 0
      ? []
      : [
          `**${title}**`,
          '',
          '| Function | Location | Baseline self | Candidate self | Change | Significant |',
          '|---|---|---:|---:|---:|---|',
          ...list.map(
            (f) =>
              `| ${mdCode(f.name || '(anonymous)')} | ${mdCell(shortLocation(f.url, f.line))} | ${formatSelf(f, 'baseline')} | ${formatSelf(f, 'candidate')} | ${functionChangeText(f)} | ${significanceText(f)} |`,
          ),
          '',
        ]
  return [...table(`Grown (top ${grown.length})`, grown), ...table(`Shrunk (top ${shrunk.length})`, shrunk)].slice(0, -1)
}

export function environmentSection(comparison: Comparison): string[] {
  const diff = comparison.environmentDiff
  const names = comparison.runs.map((r) => mdCell(runName(r)))
  const lines: string[] = []
  if (diff.differences.length === 0) lines.push(`No differences in ${diff.same.length} environment facts (host names and other identifying facts are not compared).`)
  else {
    lines.push(`| Fact | ${names.join(' | ')} |`, `|---|${names.map(() => '---|').join('')}`)
    for (const d of diff.differences) {
      lines.push(`| ${mdCode(d.path)} | ${d.values.map((v) => (v === null ? 'n/a' : mdCell(String(v)))).join(' | ')} |`)
    }
  }
  const loads = diff.loadAvg.filter((l) => l.loadAvg !== null)
  if (loads.length > 0) {
    const byId = new Map(comparison.runs.map((r) => [r.id, r]))
    lines.push(
      '',
      `Load average at start (1/5/15 min): ${loads
        .map((l) => {
          const run = byId.get(l.runId)
          return `${mdCell(run ? runName(run) : l.runId)} ${(l.loadAvg ?? []).map((x) => x.toFixed(2)).join('/')}`
        })
        .join('; ')}.`,
    )
  }
  return lines
}

/** Renders the whole report. */
export function renderMarkdown(input: ReportInput, options: ExportOptions = {}): string {
  const { comparison } = input
  const limit = options.maxFunctions ?? 5
  const out: string[] = [`## ${mdCell(reportTitle(comparison, options))}`, '', ...provenanceLines(input.runs, options), '']
  const base = comparison.runs[0]
  if (comparison.candidates.length === 0 && base) {
    out.push(`Single run ${mdCell(runName(base))} (${mdCode(base.id)}); nothing to compare against.`, '')
  }
  for (const c of comparison.candidates) {
    const { text, verdict } = headlineSentence(comparison, c)
    out.push(`- ${verdict === 'regressed' || verdict === 'improved' ? `**${mdCell(text)}**` : mdCell(text)}`)
  }
  if (comparison.candidates.length > 0) out.push('')

  if (input.gate) {
    if (input.gate.tripped) {
      out.push('**Gate failed:**', '', ...input.gate.reasons.map((r) => `- ${mdCell(describeGateReason(r))}`), '')
    } else out.push('**Gate passed.**', '')
  }

  if (comparison.runs.length > 2 && comparison.relativeSpeeds.length > 1) {
    const byId = new Map(comparison.runs.map((r) => [r.id, r]))
    out.push('### Relative speed', '', '| Run | Time per operation (relative) |', '|---|---:|')
    for (const r of comparison.relativeSpeeds) {
      const run = byId.get(r.id)
      const spread = r.ratioStddev !== undefined && !r.isReference ? ` ± ${formatSignificant(r.ratioStddev, 2)}` : ''
      out.push(`| ${mdCell(run ? runName(run) : r.id)}${r.isReference ? ' (baseline)' : ''} | ${formatSignificant(r.ratio, 3)}${spread} |`)
    }
    out.push('')
  }

  for (const c of comparison.candidates) {
    const cand = comparison.runs.find((r) => r.id === c.id)
    out.push(
      `### ${mdCell(cand ? runName(cand) : c.id)} vs ${mdCell(base ? runName(base) : comparison.baseline)}`,
      '',
      `Baseline ${mdCode(comparison.baseline)}, candidate ${mdCode(c.id)}.`,
      '',
      ...metricsTable(comparison, c),
      '',
    )
    const changes = input.functionChanges?.[c.id]
    if (changes) out.push('#### Functions that explain the change', '', ...functionsSection(changes, limit), '')
    if (c.warnings.length > 0) out.push('#### Warnings about this run', '', ...warningLines(c.warnings), '')
  }
  if (comparison.candidates.length === 0 && base) {
    const run = input.runs[0]
    const m = run?.metrics
    if (m) {
      out.push('| Metric | Value |', '|---|---:|')
      for (const def of Object.values(METRIC_DEFINITIONS)) out.push(`| ${def.label} (${mdCode(def.name)}) | ${formatMetricValue(def.perWork ? (m.operations > 0 ? def.value(m) / m.operations : null) : def.value(m), def.unit)} |`)
      out.push('')
    }
  }

  if (comparison.runs.length > 1) out.push('### Environment differences', '', ...environmentSection(comparison), '')
  if (comparison.warnings.length > 0) out.push('### Warnings', '', ...warningLines(comparison.warnings), '')
  out.push(...notesSection(options.notes))
  out.push(`<sub>${mdCell(methodNote(comparison))}</sub>`, '')
  return out.join('\n')
}

/** "`a1b2c3d` on main ("subject")", or "no git" for a run made outside a repository. */
export function describeGit(git: GitProvenance | undefined): string {
  if (!git) return 'no git information'
  return `${mdCode(git.commit.slice(0, 7))}${git.branch ? ` on ${mdCell(git.branch)}` : ''}${git.dirty ? ' (uncommitted changes)' : ''}${git.subject ? ` ("${mdCell(git.subject)}")` : ''}`
}

/** The report's date and the branch and commit of the baseline and of each candidate. */
export function provenanceLines(runs: readonly Pick<RunRecord, 'id' | 'createdAt'>[] & readonly { provenance?: RunRecord['provenance'] }[], options: Pick<ExportOptions, 'date'> = {}): string[] {
  const newest = runs.map((r) => r.createdAt).sort().at(-1)
  const date = (options.date ?? newest ?? '').slice(0, 10)
  const [base, ...candidates] = runs
  const lines = [`- Date: ${date || 'unknown'}`]
  if (base) lines.push(`- Baseline: ${describeGit(base.provenance?.git)}`)
  for (const c of candidates) lines.push(`- Candidate${candidates.length > 1 ? ` ${mdCode(c.id)}` : ''}: ${describeGit(c.provenance?.git)}`)
  return lines
}

/** "Notes / next steps", from `--notes FILE` or the UI; a placeholder says how to fill it. */
export function notesSection(notes: string | undefined): string[] {
  const text = notes?.trim()
  return ['### Notes / next steps', '', text ? text : '_None yet: add them with `--notes FILE` (or in the UI)._', '']
}

export const markdownExporter: Exporter = {
  format: 'markdown',
  extension: 'md',
  mediaType: 'text/markdown',
  serialize: (input, options) => renderMarkdown(input, options),
}
