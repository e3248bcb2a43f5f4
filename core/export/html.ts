/**
 * The self-contained HTML report: one file with inline CSS and inline SVG charts (confidence-interval
 * bars per metric, latency by percentile), no scripts and no network references, every text escaped.
 * A Content-Security-Policy meta tag forbids loading anything, should a label ever smuggle markup in.
 */
import { describeGateReason, type CandidateComparison, type Comparison, type FunctionChange } from '../compare/comparison.js'
import { METRIC_DEFINITIONS, type MetricComparison, type Verdict } from '../compare/metrics.js'
import { formatDuration } from '../format/duration.js'
import { formatChange } from '../format/number.js'
import type { RunRecord } from '../model/run.js'
import { quantileSorted, sortedSamples } from '../stats/summarize.js'
import { describeWarning, warningSeverity, type RunWarning } from '../stats/warnings.js'
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

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

const VERDICT_COLOR: Readonly<Record<Verdict, string>> = {
  improved: '#1a7f37',
  regressed: '#cf222e',
  'no-change': '#57606a',
  inconclusive: '#9a6700',
  none: '#8c959f',
}

/** Colour-blind-safe series colours (Okabe & Ito 2008). */
const SERIES_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000']

const CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--line:#d1d9e0;--band:#eef1f4;--panel:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--line:#3d444d;--band:#1f262e;--panel:#151b23}}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1040px;padding:24px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right}th{background:var(--panel)}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
.verdict{font-weight:600}.v-improved{color:#1a7f37}.v-regressed{color:#cf222e}.v-no-change{color:var(--muted)}.v-inconclusive{color:#9a6700}.v-none{color:var(--muted)}
.summary li{margin:2px 0}.gate{padding:8px 12px;border-radius:6px;margin:12px 0}.gate.fail{background:#ffebe9;color:#82071e}.gate.pass{background:#dafbe1;color:#116329}
.warn-error{color:#cf222e}.warn-warning{color:#9a6700}.warn-info{color:var(--muted)}.note{color:var(--muted);font-size:12px}
svg text{fill:var(--fg);font:11px system-ui,sans-serif}svg .axis{stroke:var(--line)}svg .band{fill:var(--band)}
`

function tag(name: string, content: string, attrs = ''): string {
  return `<${name}${attrs ? ` ${attrs}` : ''}>${content}</${name}>`
}

function num(x: number): string {
  return Number.isFinite(x) ? (Math.round(x * 10) / 10).toString() : '0'
}

/** Ticks for a ratio axis on a log scale, labelled as changes. */
const RATIO_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.67, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.25, 1.5, 2, 5, 10, 20, 50, 100]

/**
 * Confidence-interval bars of the ratio per metric on a log axis (improvements and regressions of the
 * same factor are equally long), with the no-change band shaded. Hollow dots mark verdicts by threshold.
 */
export function ciChartSvg(metrics: readonly MetricComparison[], noise: number, singleValueNoise: number): string {
  const rows = metrics.filter((m) => m.ratio !== null && Number.isFinite(m.ratio) && m.ratio > 0)
  if (rows.length === 0) return ''
  const width = 680
  const labelW = 150
  const plotW = width - labelW - 20
  const rowH = 24
  const top = 22
  const height = top + rows.length * rowH + 8
  const values = rows.flatMap((m) => [m.ratio, m.ciLow, m.ciHigh].filter((v): v is number => v !== null && Number.isFinite(v) && v > 0))
  let lo = Math.log(Math.min(1 - noise, ...values))
  let hi = Math.log(Math.max(1 + noise, ...values))
  const pad = Math.max(0.03, (hi - lo) * 0.08)
  lo -= pad
  hi += pad
  const x = (r: number): number => labelW + ((Math.log(r) - lo) / (hi - lo)) * plotW
  let ticks = RATIO_TICKS.filter((t) => Math.log(t) >= lo && Math.log(t) <= hi)
  if (ticks.length > 9) ticks = ticks.filter((t, i) => t === 1 || i % 2 === 0)
  const parts: string[] = []
  const band = (n: number, y0: number, h: number): string =>
    `<rect class="band" x="${num(x(1 - n))}" y="${y0}" width="${num(x(1 + n) - x(1 - n))}" height="${h}"/>`
  parts.push(band(noise, top - 4, rows.length * rowH + 4))
  for (const t of ticks) {
    const label = t === 1 ? '0%' : `${t > 1 ? '+' : ''}${Math.round((t - 1) * 100)}%`
    parts.push(`<line class="axis" x1="${num(x(t))}" y1="${top - 4}" x2="${num(x(t))}" y2="${height - 6}"${t === 1 ? ' stroke-dasharray="3 3"' : ''}/>`)
    parts.push(`<text x="${num(x(t))}" y="12" text-anchor="middle">${escapeHtml(label)}</text>`)
  }
  rows.forEach((m, i) => {
    const y = top + i * rowH + rowH / 2
    const color = VERDICT_COLOR[m.verdict]
    const def = METRIC_DEFINITIONS[m.name]
    const title = `${m.label ?? def.label}: ${formatChange(m.ratio)}${m.ciLow !== null ? `, CI ${formatInterval(m)}` : ''}, ${VERDICT_TEXT[m.verdict]}`
    parts.push(`<text x="${labelW - 8}" y="${y + 4}" text-anchor="end">${escapeHtml(m.label ?? def.label)}</text>`)
    if (m.basis === 'noise-floor' && m.ciLow === null) {
      // No interval: show the single-process noise floor this value was judged against, faintly.
      parts.push(`<rect class="band" x="${num(x(1 - singleValueNoise))}" y="${y - 6}" width="${num(x(1 + singleValueNoise) - x(1 - singleValueNoise))}" height="12" opacity="0.8"/>`)
    }
    if (m.ciLow !== null && m.ciHigh !== null) {
      parts.push(`<line x1="${num(x(m.ciLow))}" y1="${y}" x2="${num(x(m.ciHigh))}" y2="${y}" stroke="${color}" stroke-width="3" stroke-linecap="round"/>`)
    }
    const hollow = m.basis !== 'processes'
    parts.push(
      `<circle cx="${num(x(m.ratio as number))}" cy="${y}" r="4.5" fill="${hollow ? 'none' : color}" stroke="${color}" stroke-width="2">${tag('title', escapeHtml(title))}</circle>`,
    )
  })
  return `<svg role="img" aria-label="Change per metric with confidence intervals" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`
}

/** A latency-by-percentile series: p in [0, 1) and latency in ns. */
export interface LatencySeries {
  name: string
  points: { p: number; ns: number }[]
}

/** Percentile points of a run: many from raw samples, else the nine summary values of its metrics. */
export function latencySeries(run: RunRecord, samples: ArrayLike<number> | undefined): LatencySeries | undefined {
  const name = runName(run)
  if (samples && samples.length >= 10) {
    const sorted = sortedSamples(samples)
    // Beyond 1 − 1/n a percentile is just the maximum: stop there (at most p99.9).
    const tMax = Math.min(3, Math.log10(sorted.length))
    const steps = 60
    const points = Array.from({ length: steps + 1 }, (_, i) => {
      const p = 1 - 10 ** (-(tMax * i) / steps)
      return { p, ns: quantileSorted(sorted, p) }
    })
    return { name, points }
  }
  const l = run.metrics?.latencyNs
  if (!l) return undefined
  return {
    name,
    points: [
      { p: 0, ns: l.min },
      { p: 0.5, ns: l.p50 },
      { p: 0.9, ns: l.p90 },
      { p: 0.95, ns: l.p95 },
      { p: 0.99, ns: l.p99 },
      { p: 0.999, ns: l.p999 },
    ],
  }
}

function niceStep(range: number, target: number): number {
  const raw = range / target
  const mag = 10 ** Math.floor(Math.log10(raw))
  const f = raw / mag
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag
}

/** Latency by percentile (the HDR histogram plot): x is −log10(1 − p), so the tail gets room. */
export function latencyChartSvg(series: readonly LatencySeries[]): string {
  const usable = series.filter((s) => s.points.length > 1)
  if (usable.length === 0) return ''
  const width = 680
  const height = 260
  const left = 70
  const right = 16
  const top = 12
  const bottom = 34
  const t = (p: number): number => -Math.log10(Math.max(1e-12, 1 - p))
  const tMax = Math.max(1, ...usable.flatMap((s) => s.points.map((pt) => t(pt.p))))
  const yMaxRaw = Math.max(...usable.flatMap((s) => s.points.map((pt) => pt.ns)))
  const step = niceStep(yMaxRaw || 1, 4)
  const yMax = Math.ceil((yMaxRaw || 1) / step) * step
  const x = (p: number): number => left + (t(p) / tMax) * (width - left - right)
  const y = (ns: number): number => top + (1 - ns / yMax) * (height - top - bottom)
  const parts: string[] = []
  for (let v = 0; v <= yMax + step / 2; v += step) {
    parts.push(`<line class="axis" x1="${left}" y1="${num(y(v))}" x2="${width - right}" y2="${num(y(v))}"/>`)
    parts.push(`<text x="${left - 6}" y="${num(y(v) + 4)}" text-anchor="end">${escapeHtml(formatDuration(v))}</text>`)
  }
  for (const [p, label] of [
    [0, 'min'],
    [0.5, 'p50'],
    [0.9, 'p90'],
    [0.99, 'p99'],
    [0.999, 'p99.9'],
    [0.9999, 'p99.99'],
  ] as const) {
    if (t(p) > tMax + 1e-9) continue
    parts.push(`<line class="axis" x1="${num(x(p))}" y1="${top}" x2="${num(x(p))}" y2="${height - bottom}"/>`)
    parts.push(`<text x="${num(x(p))}" y="${height - bottom + 14}" text-anchor="middle">${label}</text>`)
  }
  parts.push(`<text x="${left + (width - left - right) / 2}" y="${height - 4}" text-anchor="middle">percentile</text>`)
  usable.forEach((s, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length] as string
    const pts = s.points.map((pt) => `${num(x(pt.p))},${num(y(pt.ns))}`).join(' ')
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}">${tag('title', escapeHtml(s.name))}</polyline>`)
  })
  const legend = usable
    .map((s, i) => `<span style="color:${SERIES_COLORS[i % SERIES_COLORS.length] as string}">&#9632;</span> ${escapeHtml(s.name)}`)
    .join(' &nbsp; ')
  return `<svg role="img" aria-label="Latency by percentile" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg><div class="note">${legend}</div>`
}

function verdictSpan(v: Verdict): string {
  return `<span class="verdict v-${v}">${escapeHtml(VERDICT_TEXT[v])}</span>`
}

function warningsList(warnings: readonly RunWarning[]): string {
  const items = warnings.map((w) => {
    const sev = warningSeverity(w)
    return `<li class="warn-${sev}"><strong>${sev === 'info' ? 'Note' : sev === 'error' ? 'Error' : 'Warning'}:</strong> ${escapeHtml(describeWarning(w))}</li>`
  })
  return tag('ul', items.join(''))
}

function metricsTableHtml(comparison: Comparison, c: CandidateComparison): string {
  const conf = Math.round(comparison.settings.confidence * 100)
  const head = `<tr><th>Metric</th><th class="num">Baseline</th><th class="num">Candidate</th><th class="num">Change</th><th class="num">${conf}% CI</th><th class="num">Could detect</th><th class="num">Processes</th><th>Verdict</th></tr>`
  const rows = c.metrics.map((m) => {
    const def = METRIC_DEFINITIONS[m.name]
    const ci = m.ciLow !== null ? formatInterval(m) : `<span class="note" title="${escapeHtml(m.note ?? '')}">n/a</span>`
    return `<tr><td>${escapeHtml(m.label ?? def.label)} <code>${escapeHtml(m.name)}</code></td><td class="num">${escapeHtml(formatMetricValue(m.baseline, m.unit))}</td><td class="num">${escapeHtml(formatMetricValue(m.candidate, m.unit))}</td><td class="num">${escapeHtml(formatChange(m.ratio))}</td><td class="num">${m.ciLow !== null ? escapeHtml(ci) : ci}</td><td class="num">${escapeHtml(formatMde(m))}</td><td class="num">${escapeHtml(formatProcesses(m))}</td><td>${verdictSpan(m.verdict)}</td></tr>`
  })
  const notes = [...new Set(c.metrics.filter((m) => m.basis !== 'processes' && m.note).map((m) => `${m.label ?? METRIC_DEFINITIONS[m.name].label}: ${m.note}`))]
  return `<table>${head}${rows.join('')}</table>${notes.length ? `<ul class="note">${notes.map((n) => tag('li', escapeHtml(n))).join('')}</ul>` : ''}`
}

function functionsHtml(changes: readonly FunctionChange[], limit: number): string {
  const { grown, shrunk } = explainingFunctions(changes, limit)
  if (grown.length === 0 && shrunk.length === 0) return '<p>No function changed its share of self time.</p>'
  const table = (title: string, list: FunctionChange[]): string =>
    list.length === 0
      ? ''
      : `${tag('h4', escapeHtml(title))}<table><tr><th>Function</th><th>Location</th><th class="num">Baseline self</th><th class="num">Candidate self</th><th class="num">Change</th><th>Significant</th></tr>${list
          .map(
            (f) =>
              `<tr><td><code>${escapeHtml(f.name || '(anonymous)')}</code></td><td>${escapeHtml(shortLocation(f.url, f.line))}</td><td class="num">${escapeHtml(formatSelf(f, 'baseline'))}</td><td class="num">${escapeHtml(formatSelf(f, 'candidate'))}</td><td class="num">${escapeHtml(functionChangeText(f))}</td><td>${escapeHtml(significanceText(f))}</td></tr>`,
          )
          .join('')}</table>`
  return table(`Grown (top ${grown.length})`, grown) + table(`Shrunk (top ${shrunk.length})`, shrunk)
}

function environmentHtml(comparison: Comparison): string {
  const diff = comparison.environmentDiff
  const head = `<tr><th>Fact</th>${comparison.runs.map((r) => tag('th', escapeHtml(runName(r)))).join('')}</tr>`
  const table =
    diff.differences.length === 0
      ? `<p>No differences in ${diff.same.length} environment facts (identifying facts such as host names are not compared).</p>`
      : `<table>${head}${diff.differences
          .map((d) => `<tr><td><code>${escapeHtml(d.path)}</code></td>${d.values.map((v) => tag('td', escapeHtml(v === null ? 'n/a' : String(v)))).join('')}</tr>`)
          .join('')}</table>`
  const byId = new Map(comparison.runs.map((r) => [r.id, r]))
  const loads = diff.loadAvg.filter((l) => l.loadAvg !== null)
  const loadText = loads.length
    ? `<p class="note">Load average at start (1/5/15 min): ${loads
        .map((l) => {
          const run = byId.get(l.runId)
          return escapeHtml(`${run ? runName(run) : l.runId} ${(l.loadAvg ?? []).map((v) => v.toFixed(2)).join('/')}`)
        })
        .join('; ')}</p>`
    : ''
  return table + loadText
}

/** Renders the whole report as one HTML document. */
export function renderHtml(input: ReportInput, options: ExportOptions = {}): string {
  const { comparison, runs } = input
  const limit = options.maxFunctions ?? 5
  const title = reportTitle(comparison, options)
  const body: string[] = [tag('h1', escapeHtml(title))]
  const base = comparison.runs[0]
  if (comparison.candidates.length === 0 && base) body.push(tag('p', escapeHtml(`Single run ${runName(base)} (${base.id}); nothing to compare against.`)))
  else {
    body.push(
      `<ul class="summary">${comparison.candidates
        .map((c) => {
          const { text, verdict } = headlineSentence(comparison, c)
          return `<li><span class="v-${verdict}">${escapeHtml(text)}</span></li>`
        })
        .join('')}</ul>`,
    )
  }
  if (input.gate) {
    body.push(
      input.gate.tripped
        ? `<div class="gate fail"><strong>Gate failed</strong><ul>${input.gate.reasons.map((r) => tag('li', escapeHtml(describeGateReason(r)))).join('')}</ul></div>`
        : '<div class="gate pass"><strong>Gate passed</strong></div>',
    )
  }
  for (const c of comparison.candidates) {
    const cand = comparison.runs.find((r) => r.id === c.id)
    body.push(
      tag('h2', escapeHtml(`${cand ? runName(cand) : c.id} vs ${base ? runName(base) : comparison.baseline}`)),
      `<p class="note">Baseline <code>${escapeHtml(comparison.baseline)}</code>, candidate <code>${escapeHtml(c.id)}</code>.</p>`,
      metricsTableHtml(comparison, c),
      ciChartSvg(c.metrics, comparison.settings.noise, comparison.settings.singleProcessFloor),
    )
    const changes = input.functionChanges?.[c.id]
    if (changes) body.push(tag('h3', 'Functions that explain the change'), functionsHtml(changes, limit))
    if (c.warnings.length > 0) body.push(tag('h3', 'Warnings about this run'), warningsList(c.warnings))
  }
  const series = runs
    .map((r) => latencySeries(r, input.samples?.[r.id] ?? r.samplesNs))
    .filter((s): s is LatencySeries => s !== undefined)
  const chart = latencyChartSvg(series)
  if (chart) body.push(tag('h2', 'Latency distribution'), chart)
  if (comparison.runs.length > 1) body.push(tag('h2', 'Environment differences'), environmentHtml(comparison))
  if (comparison.warnings.length > 0) body.push(tag('h2', 'Warnings'), warningsList(comparison.warnings))
  body.push(tag('p', escapeHtml(methodNote(comparison)), 'class="note"'))
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    tag('title', escapeHtml(title)),
    tag('style', CSS),
    '</head><body>',
    ...body,
    '</body></html>',
    '',
  ].join('\n')
}

export const htmlExporter: Exporter = {
  format: 'html',
  extension: 'html',
  mediaType: 'text/html',
  serialize: (input, options) => renderHtml(input, options),
}
