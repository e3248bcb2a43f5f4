/**
 * The file name of a comparison report: "hotpath-book-naive-vs-book-optimized.md", from the runs' labels
 * (or workload/variant when a run has none), safe on every file system and at most ~100 characters.
 */
import type { Comparison } from '../compare/comparison.js'
import { runName } from './phrases.js'

const MAX_NAME_CHARS = 90

/** A slug of one run's name: lower case, runs of anything but letters, digits, '.' and '_' become one '-'. */
function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
}

export function reportFileName(comparison: Pick<Comparison, 'runs'>, extension: string): string {
  const names = comparison.runs.map((r) => slug(runName(r))).filter((n) => n.length > 0)
  let body = names.length > 0 ? names.join('-vs-') : 'comparison'
  if (body.length > MAX_NAME_CHARS) body = `${names[0]?.slice(0, 40) ?? 'comparison'}-vs-${names.length - 1}-runs`.slice(0, MAX_NAME_CHARS)
  return `hotpath-${body.replace(/-+$/, '')}.${extension}`
}
