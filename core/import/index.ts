/**
 * Recognizes profile files, by file name first and then by content (speedscope's import/index.ts idea),
 * and dispatches CPU and allocation profiles to their importers. Heap snapshots are only recognized here;
 * core/import/heap-snapshot.ts parses them.
 */
import type { CallTree } from '../model/call-tree.js'
import { type CpuProfileRaw, ProfileFormatError, importCpuProfile, isCpuProfile } from './cpuprofile.js'
import { type HeapProfileRaw, importHeapProfile, isHeapProfile } from './heap-profile.js'

export { ProfileFormatError, importCpuProfile, isCpuProfile, validateCpuProfile } from './cpuprofile.js'
export type { CpuProfileRaw, CpuProfileNode, CpuProfileCallFrame, CpuProfileImportOptions } from './cpuprofile.js'
export { importHeapProfile, isHeapProfile } from './heap-profile.js'
export type { HeapProfileRaw, HeapProfileNode, HeapProfileSample } from './heap-profile.js'

/** The profile formats Hotpath reads. */
export type ProfileFormat = 'cpuprofile' | 'heapprofile' | 'heapsnapshot'

/** The format a file name promises, from its extension (case-insensitive), or undefined. */
export function sniffFormatByName(fileName: string): ProfileFormat | undefined {
  const m = /\.(cpuprofile|heapprofile|heapsnapshot)$/i.exec(fileName.trim())
  return m ? (m[1]!.toLowerCase() as ProfileFormat) : undefined
}

/**
 * The format of a file: by name, then by the start of its content, then (when `content` is the whole
 * file) by parsing it. Heap snapshots are recognized from their first bytes only (`{"snapshot":{`),
 * since they are too large to parse just to sniff.
 */
export function sniffProfileFormat(fileName: string, content: string): ProfileFormat | undefined {
  const byName = sniffFormatByName(fileName)
  if (byName) return byName
  const head = content.slice(0, 4096)
  if (/^\s*\{\s*"snapshot"\s*:\s*\{/.test(head)) return 'heapsnapshot'
  if (/^\s*\{\s*"nodes"\s*:\s*\[\s*\{\s*"id"\s*:/.test(head)) return 'cpuprofile'
  if (/^\s*\{\s*"head"\s*:\s*\{\s*"callFrame"\s*:/.test(head)) return 'heapprofile'
  if (!/^\s*\{/.test(head)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(content)
  } catch {
    return undefined
  }
  if (isCpuProfile(parsed)) return 'cpuprofile'
  if (isHeapProfile(parsed)) return 'heapprofile'
  if (typeof parsed === 'object' && parsed !== null && 'snapshot' in parsed && 'nodes' in parsed) return 'heapsnapshot'
  return undefined
}

/** Parses JSON text; a syntax error becomes a ProfileFormatError that names the file and suggests truncation. */
export function parseProfileJson(fileName: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new ProfileFormatError(`${fileName} is not valid JSON (${(err as Error).message}); the file may be truncated`)
  }
}

/** A CPU or allocation profile, parsed and imported. */
export type ImportedProfile =
  { format: 'cpuprofile'; raw: CpuProfileRaw; tree: CallTree } | { format: 'heapprofile'; raw: HeapProfileRaw; tree: CallTree }

/**
 * Sniffs, parses and imports a CPU profile or allocation profile from its text. Throws a
 * ProfileFormatError for heap snapshots (use the heap snapshot parser), unknown formats and invalid files.
 */
export function importProfileText(fileName: string, text: string): ImportedProfile {
  const format = sniffProfileFormat(fileName, text)
  if (format === 'heapsnapshot') {
    throw new ProfileFormatError(`${fileName} is a heap snapshot, not a CPU or allocation profile; open it with \`hotpath heap\``)
  }
  if (format === undefined) {
    throw new ProfileFormatError(`${fileName} is not a recognized profile (expected a .cpuprofile or .heapprofile JSON file)`)
  }
  const parsed = parseProfileJson(fileName, text)
  try {
    if (format === 'cpuprofile') return { format, raw: parsed as CpuProfileRaw, tree: importCpuProfile(parsed) }
    return { format, raw: parsed as HeapProfileRaw, tree: importHeapProfile(parsed) }
  } catch (err) {
    if (err instanceof ProfileFormatError) throw new ProfileFormatError(`${fileName}: ${err.message}`)
    throw err
  }
}
