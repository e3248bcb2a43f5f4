/**
 * The lossless export: the whole comparison as one JSON document, with each warning and gate reason
 * also carrying its text, so consumers that cannot call describeWarning() still get the message.
 * `compare --json` prints exactly this.
 */
import { describeGateReason, type Comparison, type FunctionChange, type GateReason } from '../compare/comparison.js'
import { describeWarning, warningSeverity, type RunWarning, type WarningSeverity } from '../stats/warnings.js'
import type { Exporter, ReportInput } from './index.js'

/** Format tag and version of the document, bumped on incompatible changes. */
export const COMPARISON_JSON_FORMAT = 'hotpath-comparison'
export const COMPARISON_JSON_VERSION = 1

/** A warning as exported: its data plus severity and text. */
export type ExportedWarning = RunWarning & { severity: WarningSeverity; message: string }

/** The JSON document: the Comparison's fields, enriched warnings, and the optional gate and function changes. */
export interface ComparisonDocument extends Omit<Comparison, 'warnings' | 'candidates'> {
  format: typeof COMPARISON_JSON_FORMAT
  version: typeof COMPARISON_JSON_VERSION
  candidates: (Omit<Comparison['candidates'][number], 'warnings'> & { warnings: ExportedWarning[]; functions?: FunctionChange[] })[]
  warnings: ExportedWarning[]
  gate?: { tripped: boolean; reasons: (GateReason & { message: string })[] }
}

function exportWarning(w: RunWarning): ExportedWarning {
  return { ...w, severity: warningSeverity(w), message: describeWarning(w) }
}

/** Builds the JSON document (a plain object; serialize() stringifies it). */
export function toComparisonDocument(input: ReportInput): ComparisonDocument {
  const { comparison, functionChanges, gate } = input
  return {
    format: COMPARISON_JSON_FORMAT,
    version: COMPARISON_JSON_VERSION,
    baseline: comparison.baseline,
    runs: comparison.runs,
    settings: comparison.settings,
    candidates: comparison.candidates.map((c) => {
      const functions = functionChanges?.[c.id]
      return { ...c, warnings: c.warnings.map(exportWarning), ...(functions ? { functions: [...functions] } : {}) }
    }),
    relativeSpeeds: comparison.relativeSpeeds,
    environmentDiff: comparison.environmentDiff,
    warnings: comparison.warnings.map(exportWarning),
    ...(gate ? { gate: { tripped: gate.tripped, reasons: gate.reasons.map((r) => ({ ...r, message: describeGateReason(r) })) } } : {}),
  }
}

/** Non-finite numbers have no JSON form; they become null (as JSON.stringify does), stated here on purpose. */
function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value
}

export const jsonExporter: Exporter = {
  format: 'json',
  extension: 'json',
  mediaType: 'application/json',
  serialize: (input) => `${JSON.stringify(toComparisonDocument(input), replacer, 2)}\n`,
}
