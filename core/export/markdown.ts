/**
 * The Markdown report: a summary line per candidate (headline ratio, interval, verdict), a
 * Baseline/Candidate/Change table per candidate, the functions that explain the change, environment
 * differences and warnings. Plain GitHub-flavoured Markdown, so it fits a GitHub Actions step summary.
 */
import {
  describeGateReason,
  functionGrowth,
  getMetric,
  type CandidateComparison,
  type ComparedRun,
  type Comparison,
  type FunctionChange,
} from '../compare/comparison.js'
import { METRIC_DEFINITIONS, type MetricComparison, type MetricUnit, type Verdict } from '../compare/metrics.js'
import { formatBytes } from '../format/bytes.js'
import { formatDuration, formatDurationMs } from '../format/duration.js'
import { formatChange, formatInteger, formatOpsPerSec, formatPct, formatRatio, formatSignificant } from '../format/number.js'
import { describeWarning, warningSeverity, type RunWarning } from '../stats/warnings.js'
import type { GitProvenance, RunRecord } from '../model/run.js'
import type { Exporter, ExportOptions, ReportInput } from './index.js'

/** A metric value as text in its unit: "1.23 M ops/s", "12.3 µs", "50.0 MB", "4.56 ms". */
export function formatMetricValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return 'n/a'
  switch (unit) {
    case 'ops/s':
      return formatOpsPerSec(value)
    case 'ns':
      return formatDuration(value)
    case 'bytes':
      return formatBytes(value)
    case 'ms':
      return formatDurationMs(value)
  }
}

/** The interval of a ratio as a change range: "+49.0% … +55.1%", or "n/a". */
export function formatInterval(m: Pick<MetricComparison, 'ciLow' | 'ciHigh'>): string {
  return m.ciLow === null || m.ciHigh === null ? 'n/a' : `${formatChange(m.ciLow)} … ${formatChange(m.ciHigh)}`
}

export const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  improved: 'improved',
  regressed: 'regressed',
  'no-change': 'no change',
  unknown: 'unknown',
}

/** How a run is named in reports: its label, else workload/variant. */
export function runName(run: Pick<ComparedRun, 'label' | 'workload'>): string {
  return run.label.trim() || `${run.workload.id}/${run.workload.variant}`
}

/** The report title. */
export function reportTitle(comparison: Comparison, options: ExportOptions = {}): string {
  if (options.title) return options.title
  const workloads = [...new Set(comparison.runs.map((r) => r.workload.id))]
  return `Hotpath comparison: ${workloads.join(' vs ')}`
}

/** One sentence per candidate: "<cand> vs <base>: throughput 1.52x (+52.0%, 95% CI +49.0% … +55.1%): improved." */
export function headlineSentence(comparison: Comparison, candidate: CandidateComparison): { text: string; verdict: Verdict } {
  const metricName = comparison.settings.headlineMetric
  const def = METRIC_DEFINITIONS[metricName]
  const m = getMetric(candidate, metricName)
  const cand = comparison.runs.find((r) => r.id === candidate.id)
  const base = comparison.runs.find((r) => r.id === comparison.baseline)
  const names = `${cand ? runName(cand) : candidate.id} vs ${base ? runName(base) : comparison.baseline}`
  if (!m) return { text: `${names}: ${def.label.toLowerCase()} not compared`, verdict: 'unknown' }
  const conf = Math.round(comparison.settings.confidence * 100)
  const ci = m.ciLow !== null && m.ciHigh !== null ? `, ${conf}% CI ${formatInterval(m)}` : ', no interval'
  return {
    text: `${names}: ${def.label.toLowerCase()} ${formatRatio(m.ratio)} (${formatChange(m.ratio)}${ci}): ${VERDICT_TEXT[m.verdict]}`,
    verdict: m.verdict,
  }
}

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

/** A short location: the last two path segments of a script URL, plus the line. */
export function shortLocation(url: string, line: number): string {
  if (!url) return ''
  const path = url.replace(/^file:\/\//, '').replace(/[?#].*$/, '')
  const parts = path.split(/[\\/]/).filter(Boolean)
  const short = parts.slice(-2).join('/') || path
  return line > 0 ? `${short}:${line}` : short
}

/** Self time of one side of a function change: per operation when known, else share of samples. */
export function formatSelf(f: FunctionChange, side: 'baseline' | 'candidate'): string {
  const perOp = side === 'baseline' ? f.baselineSelfMsPerOp : f.candidateSelfMsPerOp
  const share = side === 'baseline' ? f.baselineSelfShare : f.candidateSelfShare
  return perOp !== undefined ? `${formatDurationMs(perOp)}/op (${formatPct(share)})` : formatPct(share)
}

/** The top grown and shrunk functions, by absolute change (per operation when known for all, else by share). */
export function explainingFunctions(
  changes: readonly FunctionChange[],
  limit: number,
): { grown: FunctionChange[]; shrunk: FunctionChange[] } {
  // Per-operation times only rank functions when every function has them; shares otherwise (never a mix).
  const perOp = changes.every((f) => f.baselineSelfMsPerOp !== undefined && f.candidateSelfMsPerOp !== undefined)
  const size = (f: FunctionChange): number =>
    perOp ? Math.abs((f.candidateSelfMsPerOp as number) - (f.baselineSelfMsPerOp as number)) : Math.abs(f.deltaSelfShare)
  const by = (a: FunctionChange, b: FunctionChange): number => size(b) - size(a)
  return {
    grown: changes.filter((f) => f.status === 'grown' || f.status === 'new').sort(by).slice(0, limit),
    shrunk: changes.filter((f) => f.status === 'shrunk' || f.status === 'gone').sort(by).slice(0, limit),
  }
}

/** The change of a function's self time: "+12.0%", "new" or "gone". */
export function functionChangeText(f: FunctionChange): string {
  if (f.status === 'new') return 'new'
  if (f.status === 'gone') return 'gone'
  return formatChange(1 + functionGrowth(f))
}

/** "yes (p = 0.003)", "no", or "n/a" when the diff had one profile per side. */
export function significanceText(f: FunctionChange): string {
  if (f.significant === undefined) return 'n/a'
  const p = f.pValue !== undefined ? ` (p = ${formatSignificant(f.pValue, 2)})` : ''
  return `${f.significant ? 'yes' : 'no'}${p}`
}

const SEVERITY_MARK = { error: 'Error', warning: 'Warning', info: 'Note' } as const

export function warningLines(warnings: readonly RunWarning[]): string[] {
  return warnings.map((w) => `- **${SEVERITY_MARK[warningSeverity(w)]}:** ${mdCell(describeWarning(w))}`)
}

function metricsTable(comparison: Comparison, candidate: CandidateComparison): string[] {
  const conf = Math.round(comparison.settings.confidence * 100)
  const lines = [
    `| Metric | Baseline | Candidate | Change | ${conf}% CI | Verdict |`,
    '|---|---:|---:|---:|---:|---|',
  ]
  const notes: string[] = []
  for (const m of candidate.metrics) {
    const def = METRIC_DEFINITIONS[m.name]
    let ci = formatInterval(m)
    if (m.basis !== 'bootstrap' && m.note) {
      let index = notes.indexOf(m.note)
      if (index < 0) index = notes.push(m.note) - 1
      ci = `n/a [${index + 1}]`
    }
    const verdict = m.verdict === 'regressed' || m.verdict === 'improved' ? `**${VERDICT_TEXT[m.verdict]}**` : VERDICT_TEXT[m.verdict]
    lines.push(
      `| ${def.label} (${mdCode(m.name)}) | ${formatMetricValue(m.baseline, m.unit)} | ${formatMetricValue(m.candidate, m.unit)} | ${formatChange(m.ratio)} | ${ci} | ${verdict} |`,
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

/** One paragraph on how intervals and verdicts were made. */
export function methodNote(comparison: Comparison): string {
  const s = comparison.settings
  const method = s.method === 'bca' ? 'BCa bootstrap (Efron & Tibshirani 1993)' : 'percentile bootstrap'
  return (
    `Ratios are candidate / baseline. ${Math.round(s.confidence * 100)}% intervals: ${method} over per-operation latency samples ` +
    `(${formatInteger(s.resamples)} resamples, seed ${s.seed}); throughput is the inverse of mean latency. A change counts when ` +
    `the whole interval lies outside ±${formatPct(s.noise)}; single values (peak RSS, GC pause, CPU time) have no interval and are ` +
    `judged against ±${formatPct(s.singleValueNoise)}.`
  )
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
      for (const def of Object.values(METRIC_DEFINITIONS)) out.push(`| ${def.label} (${mdCode(def.name)}) | ${formatMetricValue(def.value(run) ?? null, def.unit)} |`)
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
