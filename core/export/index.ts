/**
 * Report exporters: one interface, one file per format (hyperfine's layout). JSON is the lossless one;
 * CSV carries run metrics for spreadsheets; Markdown and HTML are the readable reports; the text table is
 * what a terminal shows.
 */
import type { Comparison, FunctionChange, GateResult } from '../compare/comparison.js'
import type { RunRecord } from '../model/run.js'
import { csvExporter } from './csv.js'
import { htmlExporter } from './html.js'
import { jsonExporter } from './json.js'
import { markdownExporter } from './markdown.js'
import { tableExporter } from './table.js'

export type ExportFormat = 'json' | 'csv' | 'markdown' | 'html' | 'table'
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'csv', 'markdown', 'html', 'table']

/** What every exporter reads: the comparison and the runs behind it (baseline first). */
export interface ReportInput {
  comparison: Comparison
  /** The compared runs, in the comparison's order. */
  runs: readonly RunRecord[]
  /** Function-level changes per candidate id (from the CPU-profile diff), when profiles were compared. */
  functionChanges?: Readonly<Record<string, readonly FunctionChange[]>>
  /** The CI gate's result, when a gate was asked for. */
  gate?: GateResult
  /** Latency samples per run id (ns/op) for distribution charts, e.g. decoded from histograms; default samplesNs. */
  samples?: Readonly<Record<string, ArrayLike<number>>>
}

export interface ExportOptions {
  /** Report title; default "Hotpath comparison: <workload>". */
  title?: string
  /** Functions listed per direction (grown, shrunk); default 5. */
  maxFunctions?: number
  /** The "Notes / next steps" section (Markdown, from `--notes FILE` or the UI). */
  notes?: string
  /** The report's date (ISO); default the newest compared run's. */
  date?: string
}

export interface Exporter {
  format: ExportFormat
  /** File extension, without the dot. */
  extension: string
  mediaType: string
  serialize(input: ReportInput, options?: ExportOptions): string
}

export const exporters: Readonly<Record<ExportFormat, Exporter>> = {
  json: jsonExporter,
  csv: csvExporter,
  markdown: markdownExporter,
  html: htmlExporter,
  table: tableExporter,
}

/** The exporter for a format name; `md` is accepted for markdown. Undefined for unknown names. */
export function getExporter(name: string): Exporter | undefined {
  const key = name.toLowerCase() === 'md' ? 'markdown' : name.toLowerCase()
  return (EXPORT_FORMATS as readonly string[]).includes(key) ? exporters[key as ExportFormat] : undefined
}

/** The exporter a file name implies by its extension (.json, .csv, .md, .markdown, .html, .htm). */
export function exporterForFile(file: string): Exporter | undefined {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase()
  if (ext === 'htm') return htmlExporter
  return ext === undefined ? undefined : getExporter(ext)
}
