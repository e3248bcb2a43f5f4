/**
 * Which files the library accepts for import (bundles and standalone profiles) and how dropped or
 * picked files become the {name, bytes} pairs importFile takes.
 */

/**
 * By name only, before any byte is sent: bundles, V8's own profiles, and JSON or pprof files, which the
 * service sniffs by content (Chrome/Edge traces, speedscope, V8 tick logs, the legacy .cpuprofile
 * layout: core/import/index.ts) and, when a .json is none of them, refuses naming what it found.
 */
export const IMPORT_EXTENSIONS = [
  '.tgz',
  '.cpuprofile',
  '.heapsnapshot',
  '.heapprofile',
  '.json',
  '.pb',
  '.pb.gz',
  '.pprof',
  '.pprof.gz',
] as const

/** The `accept` attribute of the file input. */
export const IMPORT_ACCEPT = IMPORT_EXTENSIONS.join(',')

export function isImportable(name: string): boolean {
  const lower = name.toLowerCase()
  return IMPORT_EXTENSIONS.some((ext) => lower.endsWith(ext)) || lower.endsWith('.tar.gz')
}

/**
 * The profiles a single chosen or dropped file is shown from at once (#/open) while it imports: those the
 * profile worker opens as a flame graph. Bundles hold runs, and heap snapshots open in the heap view of
 * their run, so those import first.
 */
const OPENS_AT_ONCE = ['.cpuprofile', '.heapprofile', '.json', '.pb', '.pb.gz', '.pprof', '.pprof.gz'] as const

export function opensAtOnce(name: string): boolean {
  const lower = name.toLowerCase()
  return OPENS_AT_ONCE.some((ext) => lower.endsWith(ext))
}

/** Splits files into those to import and those refused by name (reported, not silently dropped). */
export function partitionImportable<T extends { name: string }>(files: readonly T[]): { accepted: T[]; refused: T[] } {
  const accepted: T[] = []
  const refused: T[] = []
  for (const f of files) (isImportable(f.name) ? accepted : refused).push(f)
  return { accepted, refused }
}

/** Whether a drag carries files (not text or a link dragged from the page itself). */
export function dragHasFiles(event: { dataTransfer: DataTransfer | null }): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files')
}

/** The notice shown after an import: counts first, then one line per skipped run or refused file. */
export function describeImportOutcome(
  outcome: {
    imported: readonly string[]
    skipped: readonly { id: string; reason: string }[]
    failed: readonly { name: string; message: string }[]
  },
  refusedNames: readonly string[] = [],
): { kind: 'success' | 'error' | 'info'; text: string; details: string[] } {
  const n = outcome.imported.length
  const parts = [n === 1 ? 'Imported 1 run' : `Imported ${n} runs`]
  if (outcome.skipped.length > 0) parts.push(`skipped ${outcome.skipped.length}`)
  const problems = outcome.failed.length + refusedNames.length
  if (problems > 0) parts.push(`${problems} file${problems === 1 ? '' : 's'} not imported`)
  const details = [
    ...outcome.skipped.map((s) => `Skipped ${s.id}: ${s.reason}`),
    // The engine's messages often start with the file's name already.
    ...outcome.failed.map((f) => (f.message.startsWith(`${f.name}:`) ? f.message : `${f.name}: ${f.message}`)),
    ...refusedNames.map(
      (name) =>
        `${name}: not a bundle (.tgz) or a profile (.cpuprofile, .heapsnapshot, .heapprofile; Chrome trace, speedscope or tick log .json; pprof .pb.gz)`,
    ),
  ]
  const kind = n > 0 ? 'success' : problems > 0 ? 'error' : 'info'
  return { kind, text: `${parts.join(', ')}.`, details }
}
