/**
 * The target comparison as text: one column per machine. Terminal table (differing facts marked with
 * "*"), Markdown (differing facts in bold, fit for a CI step summary) and a self-contained HTML page
 * (differing facts highlighted with <mark>), all from the same cell texts.
 */
import type { TargetCase, TargetComparison, TargetFactRow, ProcessEstimate } from '../compare/by-target.js'
import type { EnvValue } from '../compare/environment-diff.js'
import { formatBytes } from '../format/bytes.js'
import { formatDuration } from '../format/duration.js'
import { formatCompact, formatSignificant } from '../format/number.js'
import { escapeHtml } from './html.js'

function estimateText(e: ProcessEstimate | undefined, format: (n: number) => string): string {
  if (!e) return '-'
  if (e.low === undefined || e.high === undefined) return `${format(e.mean)} (1 process, no interval)`
  return `${format(e.mean)} [${format(e.low)}, ${format(e.high)}] n=${e.processes}`
}

function factText(path: string, v: EnvValue): string {
  if (v === null) return '-'
  if (path === 'memory.totalBytes' && typeof v === 'number') return formatBytes(v)
  if (path.endsWith('GHz') && typeof v === 'number') return `${formatSignificant(v, 3)} GHz`
  return String(v)
}

/** Header row plus body rows of cell texts, and which fact rows differ (for highlighting). */
export function targetTableRows(c: TargetComparison): { header: string[]; sections: { title: string; rows: { cells: string[]; differs?: boolean[] }[] }[] } {
  const header = ['', ...c.targets.map((t) => (t === c.reference ? `${t} (reference)` : t))]
  const sections = c.cases.map((tc: TargetCase) => {
    const relativeOf = (t: string): string => {
      const r = tc.relative.find((x) => x.target === t)
      if (!r) return '-'
      if (r.isReference) return '1.00x'
      const interval = r.low !== undefined && r.high !== undefined ? ` [${r.low.toFixed(2)}, ${r.high.toFixed(2)}]` : ' (no interval: 1 process)'
      return `${r.ratio.toFixed(2)}x${interval}`
    }
    const rows = [
      { cells: ['throughput (ops/s)', ...tc.cells.map((cell) => estimateText(cell.opsPerSec, formatCompact))] },
      { cells: ['latency p50', ...tc.cells.map((cell) => estimateText(cell.p50Ns, formatDuration))] },
      { cells: ['latency p99', ...tc.cells.map((cell) => estimateText(cell.p99Ns, formatDuration))] },
      { cells: [`speed vs ${c.reference}`, ...c.targets.map(relativeOf)] },
      { cells: ['processes', ...tc.cells.map((cell) => `${cell.processes} ok${cell.failed.length ? `, ${cell.failed.length} failed` : ''}`)] },
    ]
    const failures = tc.cells.flatMap((cell) => cell.failed.map((f) => ({ target: cell.target, ...f })))
    if (failures.length > 0) rows.push({ cells: ['failed', ...c.targets.map((t) => failures.filter((f) => f.target === t).map((f) => `${f.status}: ${f.error}`).join('; ') || '-')] })
    const params = Object.entries(tc.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')
    return { title: `${tc.workload} / ${tc.variant}${params ? ` (${params})` : ''}`, rows }
  })
  const envRows = c.environment.map((f: TargetFactRow) => ({ cells: [f.path, ...f.values.map((v) => factText(f.path, v))], differs: f.values.map(() => f.differs) }))
  sections.push({ title: 'environment (facts that differ are marked)', rows: envRows })
  return { header, sections }
}

export function formatTargetComparisonText(c: TargetComparison): string {
  const { header, sections } = targetTableRows(c)
  const all = sections.flatMap((s) => s.rows.map((r) => r.cells.map((cell, i) => (i > 0 && r.differs?.[i - 1] ? `*${cell}` : cell))))
  const widths = header.map((h, i) => Math.max(h.length, ...all.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  const out: string[] = [line(header)]
  for (const s of sections) {
    out.push('', s.title, line(widths.map((w) => '-'.repeat(w))))
    for (const r of s.rows) out.push(line(r.cells.map((cell, i) => (i > 0 && r.differs?.[i - 1] ? `*${cell}` : cell))))
  }
  out.push('', `Intervals: 95% over processes (Student t); speed = throughput / ${c.reference}'s (Welch t on log throughput over processes). * marks facts that differ between targets.`)
  return out.join('\n') + '\n'
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

export function formatTargetComparisonMarkdown(c: TargetComparison): string {
  const { header, sections } = targetTableRows(c)
  const out: string[] = [`## Targets compared: ${c.targets.join(', ')}`, '']
  for (const s of sections) {
    out.push(`### ${s.title}`, '', `| ${header.map(mdCell).join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`)
    for (const r of s.rows) out.push(`| ${r.cells.map((cell, i) => (i > 0 && r.differs?.[i - 1] ? `**${mdCell(cell)}**` : mdCell(cell))).join(' | ')} |`)
    out.push('')
  }
  out.push(`Intervals are 95% over processes (Student t); speed is throughput relative to ${c.reference} (Welch t on log throughput over processes). Facts in **bold** differ between targets.`, '')
  return out.join('\n')
}

export function formatTargetComparisonHtml(c: TargetComparison): string {
  const { header, sections } = targetTableRows(c)
  const body: string[] = []
  for (const s of sections) {
    body.push(`<h2>${escapeHtml(s.title)}</h2>`, '<table>', `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`, '<tbody>')
    for (const r of s.rows) {
      body.push(`<tr>${r.cells.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : r.differs?.[i - 1] ? `<td class="differs"><mark>${escapeHtml(cell)}</mark></td>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`)
    }
    body.push('</tbody>', '</table>')
  }
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(`Hotpath: ${c.targets.join(', ')}`)}</title>`,
    '<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:1.5em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}thead th{background:#f3f3f3}mark{background:#ffe58a}</style>',
    '</head><body>',
    `<h1>${escapeHtml(`Targets compared: ${c.targets.join(', ')}`)}</h1>`,
    ...body,
    `<p>Intervals are 95% over processes (Student t); speed is throughput relative to ${escapeHtml(c.reference)} (Welch t on log throughput over processes). Highlighted facts differ between targets.</p>`,
    '</body></html>',
    '',
  ].join('\n')
}
