/**
 * The one run filter: which runs a RunFilter keeps. The store's list (CLI `hotpath list`, the API's
 * listRuns), the renderer's library filters and the tests' fake workbench all match through it, so a
 * "machine" or a search word means the same thing everywhere.
 */
import type { RunFilter } from '../api/schemas.js'
import type { RunSummary } from './run.js'

/** Lower-case words of a search box; every word must match. */
export function searchWords(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean)
}

/** What a search word is matched against: id, label, workload, variant, machine, group and tags. */
export function runHaystack(run: RunSummary): string {
  return [run.id, run.label, run.workload.id, run.workload.variant, run.machine, run.group ?? '', ...run.tags].join(' ').toLowerCase()
}

/**
 * Whether a run passes every field set in the filter. Workload, variant, tag, status and group match
 * exactly; label and machine match case-insensitively as substrings (a machine is "AMD EPYC 7B13 (2 cores)":
 * `--machine epyc` finds it, and the library's facet, the whole name, finds exactly it); since/until compare
 * creation times (ISO 8601, inclusive); commit matches
 * as a prefix of the run's git commit and branch exactly; text matches when every word is in the run's haystack.
 */
export function matchesRunFilter(run: RunSummary, filter: RunFilter | undefined): boolean {
  if (!filter) return true
  if (filter.workload && run.workload.id !== filter.workload) return false
  if (filter.variant && run.workload.variant !== filter.variant) return false
  if (filter.tag && !run.tags.includes(filter.tag)) return false
  if (filter.status && run.status !== filter.status) return false
  if (filter.group && run.group !== filter.group) return false
  if (filter.label && !run.label.toLowerCase().includes(filter.label.toLowerCase())) return false
  // "machine" matches the salted machine fingerprint exactly, or the CPU description as text.
  if (filter.machine && run.machineFingerprint !== filter.machine && !run.machine.toLowerCase().includes(filter.machine.toLowerCase())) return false
  if (filter.commit && !run.git?.commit.startsWith(filter.commit)) return false
  if (filter.branch && run.git?.branch !== filter.branch) return false
  if (filter.since && run.createdAt < filter.since) return false
  if (filter.until && run.createdAt > filter.until) return false
  if (filter.text) {
    const words = searchWords(filter.text)
    if (words.length > 0) {
      const hay = runHaystack(run)
      if (!words.every((w) => hay.includes(w))) return false
    }
  }
  return true
}

/** The runs that pass the filter, in their order. */
export function filterRunSummaries(runs: readonly RunSummary[], filter: RunFilter | undefined): RunSummary[] {
  return filter ? runs.filter((r) => matchesRunFilter(r, filter)) : [...runs]
}
