/**
 * The one sniffing index of profile formats (speedscope's import/index.ts idea): recognizes a file by its
 * name and its content, converts every format Hotpath reads into a modern `.cpuprofile` or a sampling heap
 * profile (the two shapes the call tree importers take), and names the format of files it does not read.
 * Heap snapshots are only recognized here; core/import/heap-snapshot.ts parses them.
 *
 * Formats (one importer each): `.cpuprofile` (cpuprofile.ts, and from bytes cpuprofile-stream.ts), the
 * legacy `head`/`timestamps` layout (legacy-cpuprofile.ts), `.heapprofile` with or without node ids
 * (heap-profile.ts), Chrome/Edge trace-event JSON (chrome-trace.ts), speedscope JSON (speedscope.ts), pprof
 * (pprof.ts) and V8 `--prof` tick logs preprocessed as 0x does (v8-tick-log.ts).
 */
import type { CallTree } from '../model/call-tree.js'
import { convertChromeTrace, describeTraceThread, isChromeTrace } from './chrome-trace.js'
import { type CpuProfileRaw, ProfileFormatError, importCpuProfile, isCpuProfile } from './cpuprofile.js'
import { type ByteSource, bytesSource, importCpuProfileBytes } from './cpuprofile-stream.js'

export { type ByteSource, bytesSource, importCpuProfileBytes } from './cpuprofile-stream.js'
import { type HeapProfileRaw, importHeapProfile, isHeapProfile } from './heap-profile.js'
import { convertLegacyCpuProfile, isLegacyCpuProfile } from './legacy-cpuprofile.js'
import { convertPprof } from './pprof.js'
import { convertSpeedscope, isSpeedscopeFile } from './speedscope.js'
import { convertV8TickJson, isV8TickJson, looksLikeV8IsolateLog } from './v8-tick-log.js'

export { ProfileFormatError, importCpuProfile, isCpuProfile, validateCpuProfile } from './cpuprofile.js'
export type { CpuProfileRaw, CpuProfileNode, CpuProfileCallFrame, CpuProfileImportOptions } from './cpuprofile.js'
export { importHeapProfile, isHeapProfile } from './heap-profile.js'
export type { HeapProfileRaw, HeapProfileNode, HeapProfileSample } from './heap-profile.js'

/** The profile formats Hotpath reads (heap snapshots by the heap snapshot parser, the rest here). */
export type ProfileFormat =
  'cpuprofile' | 'cpuprofile-legacy' | 'heapprofile' | 'heapsnapshot' | 'chrome-trace' | 'speedscope' | 'pprof' | 'v8-tick-log'

/** What each format is called in messages. */
export const FORMAT_NAMES: Record<ProfileFormat, string> = {
  cpuprofile: 'V8 CPU profile (.cpuprofile)',
  'cpuprofile-legacy': 'V8 CPU profile in the legacy head/timestamps layout',
  heapprofile: 'V8 sampling heap profile (.heapprofile)',
  heapsnapshot: 'V8 heap snapshot',
  'chrome-trace': 'Chrome trace-event JSON (DevTools Performance recording)',
  speedscope: 'speedscope JSON',
  pprof: 'pprof profile',
  'v8-tick-log': 'V8 --prof tick log (preprocessed JSON)',
}

/** Decompresses gzip bytes: core has no zlib, so the caller passes zlib.gunzipSync or fflate's gunzipSync. */
export type Gunzip = (bytes: Uint8Array) => Uint8Array

/** The format a file name promises, from its extension (case-insensitive), or undefined. */
export function sniffFormatByName(fileName: string): ProfileFormat | undefined {
  const name = fileName.trim().toLowerCase()
  const m = /\.(cpuprofile|heapprofile|heapsnapshot)$/.exec(name)
  if (m) return m[1] as ProfileFormat
  if (/\.(pb|pprof)(\.gz)?$/.test(name) || /\.pb\.gz$/.test(name)) return 'pprof'
  if (name.endsWith('.speedscope.json')) return 'speedscope'
  return undefined
}

const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b

/** The first non-space characters of a text, without whitespace, for prefix checks. */
function compactHead(text: string): string {
  return text.slice(0, 4096).replace(/\s+/g, '')
}

/**
 * The format of a file from its name and the start of its text; undefined when the start does not say
 * (then sniffProfileFormat parses it). Content beats the name when they disagree about a JSON kind, since
 * a DevTools trace saved as `.cpuprofile` or a legacy profile is still what its content says.
 */
function sniffHead(head: string): ProfileFormat | undefined {
  if (head.startsWith('{"snapshot":{')) return 'heapsnapshot'
  if (head.startsWith('{"nodes":[{"id":')) return 'cpuprofile'
  if (head.startsWith('{"$schema":"https://www.speedscope.app/file-format-schema.json"')) return 'speedscope'
  if (head.startsWith('{"traceEvents":[') || /^\[\{"(?:args|cat|name|ph|pid|tid|ts)"/.test(head) || head.startsWith('[{"')) {
    if (/"ph":"/.test(head) || head.startsWith('{"traceEvents":[')) return 'chrome-trace'
  }
  if (head.startsWith('{"code":[')) return 'v8-tick-log'
  return undefined
}

/**
 * The format of a file: by the start of its content, then by name, then (when `content` is the whole
 * file) by parsing it. Heap snapshots are recognized from their first bytes only (`{"snapshot":{`),
 * since they are too large to parse just to sniff.
 */
export function sniffProfileFormat(fileName: string, content: string): ProfileFormat | undefined {
  const head = compactHead(content)
  const byHead = sniffHead(head)
  if (byHead) return byHead
  const byName = sniffFormatByName(fileName)
  if (byName === 'heapsnapshot' || byName === 'pprof') return byName
  if (!/^\s*[[{]/.test(content.slice(0, 4096))) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(content)
  } catch {
    // Truncated or invalid JSON: trust the name, so the error names the JSON problem.
    return byName
  }
  return formatOfParsed(parsed) ?? byName
}

/** The format of parsed JSON, or undefined. */
export function formatOfParsed(parsed: unknown): ProfileFormat | undefined {
  if (isCpuProfile(parsed)) return 'cpuprofile'
  if (isHeapProfile(parsed)) return 'heapprofile'
  if (isLegacyCpuProfile(parsed)) return 'cpuprofile-legacy'
  if (isSpeedscopeFile(parsed)) return 'speedscope'
  if (isV8TickJson(parsed)) return 'v8-tick-log'
  if (isChromeTrace(parsed)) return 'chrome-trace'
  if (typeof parsed === 'object' && parsed !== null && 'snapshot' in parsed && 'nodes' in parsed) return 'heapsnapshot'
  return undefined
}

/**
 * Names the format of a file Hotpath does not read, from the start of its bytes (or text), for the error
 * message: Firefox/Gecko profiles, folded stacks, perf, raw V8 isolate logs, and so on.
 */
export function describeUnreadFormat(head: string, bytes?: Uint8Array): string | undefined {
  if (bytes && bytes.length >= 8 && String.fromCharCode(...bytes.subarray(0, 8)) === 'PERFILE2') {
    return 'a Linux perf.data file; convert it with `perf script` and a flame graph tool, or record with `hotpath run --profile cpu`'
  }
  if (looksLikeV8IsolateLog(head)) {
    return 'a raw V8 --prof isolate log; convert it with `node --prof-process --preprocess isolate.log > ticks.json` and open ticks.json'
  }
  const compact = compactHead(head)
  if (compact.startsWith('{"meta":{') && /"threads":\[|"interval":|"product":/.test(compact)) return 'a Firefox Profiler (Gecko) profile'
  if (/"preprocessedProfile"|"processed_profile"|"profile":\{"meta":/.test(compact)) return 'a Firefox Profiler processed profile'
  if (compact.startsWith('{"traceEvents":[]') || compact === '[]') return 'a trace-event file with no events'
  if (compact.startsWith('{"nodes":[') && compact.includes('"edges"')) return 'a heap snapshot without its `snapshot` header'
  if (/^[^\s;{[]+(;[^\s;]+)*\s\d+\s*$/m.test(head.split('\n', 1)[0] ?? '')) return "folded stacks (Brendan Gregg's collapsed format)"
  if (/^\S+\s+\d+\s+(\[\d+\]\s+)?\d+\.\d+:/.test(head)) return 'Linux `perf script` output'
  if (compact.startsWith('{') || compact.startsWith('[')) return 'JSON that is none of the profile formats Hotpath reads'
  return undefined
}

/** One of several profiles in a file (trace threads, speedscope profiles), for listing and choosing. */
export interface ProfileChoice {
  key: string
  label: string
  kind: 'cpuprofile' | 'heapprofile'
}

/** A file converted into one of the two shapes the call tree importers take. */
export type ConvertedProfile = ({ kind: 'cpuprofile'; raw: CpuProfileRaw } | { kind: 'heapprofile'; raw: HeapProfileRaw }) & {
  sourceFormat: ProfileFormat
  /** Every profile in the file (one for most formats), the one chosen by default first. */
  choices: ProfileChoice[]
  /** Key of the converted profile among the choices. */
  chosen: string
}

export interface ConvertOptions {
  /** Which profile of a multi-profile file: a choice key (`pid:tid` for traces, an index for speedscope), a thread name or a 1-based number. */
  profile?: string
  gunzip?: Gunzip
}

function pickChoice<T extends { key: string }>(fileName: string, list: T[], labels: string[], wanted: string | undefined): T {
  if (wanted === undefined) return list[0] as T
  const byKey = list.findIndex((c) => c.key === wanted)
  const byNumber = /^\d+$/.test(wanted) ? Number(wanted) - 1 : -1
  const byLabel = labels.findIndex((l) => l === wanted || l.startsWith(`${wanted} `))
  const k = byKey >= 0 ? byKey : byLabel >= 0 ? byLabel : byNumber >= 0 && byNumber < list.length ? byNumber : -1
  if (k < 0)
    throw new ProfileFormatError(`${fileName} has no profile "${wanted}"; it has: ${labels.map((l, i) => `${i + 1}. ${l}`).join('; ')}`)
  return list[k] as T
}

/** Converts parsed JSON of a known format; the error names the file. */
export function convertParsed(fileName: string, parsed: unknown, format: ProfileFormat, options: ConvertOptions = {}): ConvertedProfile {
  const single = (kind: 'cpuprofile' | 'heapprofile', label: string): { choices: ProfileChoice[]; chosen: string } => ({
    choices: [{ key: '1', label, kind }],
    chosen: '1',
  })
  try {
    switch (format) {
      case 'cpuprofile':
        return { kind: 'cpuprofile', raw: parsed as CpuProfileRaw, sourceFormat: format, ...single('cpuprofile', 'CPU profile') }
      case 'heapprofile':
        return { kind: 'heapprofile', raw: parsed as HeapProfileRaw, sourceFormat: format, ...single('heapprofile', 'allocation profile') }
      case 'cpuprofile-legacy':
        return { kind: 'cpuprofile', raw: convertLegacyCpuProfile(parsed), sourceFormat: format, ...single('cpuprofile', 'CPU profile') }
      case 'v8-tick-log':
        return { kind: 'cpuprofile', raw: convertV8TickJson(parsed), sourceFormat: format, ...single('cpuprofile', 'ticks') }
      case 'chrome-trace': {
        const threads = convertChromeTrace(parsed)
        const labels = threads.map(describeTraceThread)
        const t = pickChoice(
          fileName,
          threads,
          threads.map((x) => x.threadName),
          options.profile,
        )
        const choices = threads.map((x, i) => ({ key: x.key, label: labels[i] as string, kind: 'cpuprofile' as const }))
        return { kind: 'cpuprofile', raw: t.profile, sourceFormat: format, choices, chosen: t.key }
      }
      case 'speedscope': {
        const profiles = convertSpeedscope(parsed)
        const p = pickChoice(
          fileName,
          profiles,
          profiles.map((x) => x.name),
          options.profile,
        )
        const choices = profiles.map((x) => ({ key: x.key, label: x.name, kind: x.kind }))
        return {
          ...(p.kind === 'cpuprofile' ? { kind: p.kind, raw: p.raw } : { kind: p.kind, raw: p.raw }),
          sourceFormat: format,
          choices,
          chosen: p.key,
        }
      }
      case 'heapsnapshot':
        throw new ProfileFormatError('is a heap snapshot, not a CPU or allocation profile; open it with `hotpath heap`')
      case 'pprof':
        throw new ProfileFormatError('is a pprof profile: convert it from its bytes (convertProfileBytes)')
    }
  } catch (err) {
    if (err instanceof ProfileFormatError)
      throw new ProfileFormatError(`${fileName}${err.message.startsWith('is ') ? ' ' : ': '}${err.message}`)
    throw err
  }
}

/** Parses JSON text; a syntax error becomes a ProfileFormatError that names the file and suggests truncation. */
export function parseProfileJson(fileName: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new ProfileFormatError(`${fileName} is not valid JSON (${(err as Error).message}); the file may be truncated`)
  }
}

/** A CPU or allocation profile, converted and imported. `format` is the tree's kind, `sourceFormat` the file's. */
export type ImportedProfile = (
  { format: 'cpuprofile'; raw: CpuProfileRaw; tree: CallTree } | { format: 'heapprofile'; raw: HeapProfileRaw; tree: CallTree }
) & {
  sourceFormat: ProfileFormat
  choices: ProfileChoice[]
  chosen: string
}

function notRead(fileName: string, head: string, bytes?: Uint8Array): ProfileFormatError {
  const detected = describeUnreadFormat(head, bytes)
  return new ProfileFormatError(
    detected
      ? `${fileName} is ${detected}, which Hotpath does not read (it reads .cpuprofile, .heapprofile, Chrome traces, speedscope, pprof and V8 tick logs)`
      : `${fileName} is not a recognized profile (expected a .cpuprofile, .heapprofile, Chrome trace, speedscope, pprof or V8 tick log file)`,
  )
}

function importConverted(fileName: string, c: ConvertedProfile): ImportedProfile {
  try {
    const base = { sourceFormat: c.sourceFormat, choices: c.choices, chosen: c.chosen }
    if (c.kind === 'cpuprofile') return { format: 'cpuprofile', raw: c.raw, tree: importCpuProfile(c.raw), ...base }
    return { format: 'heapprofile', raw: c.raw, tree: importHeapProfile(c.raw), ...base }
  } catch (err) {
    if (err instanceof ProfileFormatError) throw new ProfileFormatError(`${fileName}: ${err.message}`)
    throw err
  }
}

/**
 * Sniffs, parses and imports a profile from its text (the object path: JSON.parse, then the importer).
 * Throws a ProfileFormatError for heap snapshots (use the heap snapshot parser), unknown formats (naming
 * the format detected) and invalid files.
 */
export function importProfileText(fileName: string, text: string, options: ConvertOptions = {}): ImportedProfile {
  const format = sniffProfileFormat(fileName, text)
  if (format === 'heapsnapshot') {
    throw new ProfileFormatError(`${fileName} is a heap snapshot, not a CPU or allocation profile; open it with \`hotpath heap\``)
  }
  if (format === undefined) throw notRead(fileName, text.slice(0, 4096))
  if (format === 'pprof') throw new ProfileFormatError(`${fileName} is a pprof profile (binary): import it from its bytes`)
  const parsed = parseProfileJson(fileName, text)
  return importConverted(fileName, convertParsed(fileName, parsed, format, options))
}

declare const TextDecoder: new (label?: string) => { decode(input: Uint8Array): string }

/** The format of a file from its bytes (gunzipped when a gunzip is given), with the bytes to read it from. */
export function sniffProfileBytes(
  fileName: string,
  input: Uint8Array,
  gunzip?: Gunzip,
): { format: ProfileFormat | undefined; bytes: Uint8Array; head: string } {
  let bytes = input
  if (isGzip(bytes)) {
    if (!gunzip) throw new ProfileFormatError(`${fileName} is gzip-compressed; decompress it first`)
    try {
      bytes = gunzip(bytes)
    } catch (err) {
      throw new ProfileFormatError(`${fileName}: the gzip data is corrupt or truncated (${(err as Error).message})`)
    }
  }
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 4096))
  const byHead = sniffHead(compactHead(head))
  if (byHead) return { format: byHead, bytes, head }
  const byName = sniffFormatByName(fileName.replace(/\.gz$/i, ''))
  if (byName) return { format: byName, bytes, head }
  // pprof is a protobuf whose first field is sample_type (field 1, length-delimited: byte 0x0a).
  if (bytes[0] === 0x0a && !/^\s*[[{]/.test(head)) return { format: 'pprof', bytes, head }
  return { format: undefined, bytes, head }
}

/**
 * Converts a file from its bytes without importing it: what the run store keeps for a foreign format
 * (a modern `.cpuprofile` or `.heapprofile`). JSON formats are parsed with JSON.parse.
 */
export function convertProfileBytes(fileName: string, input: Uint8Array, options: ConvertOptions = {}): ConvertedProfile {
  const { format, bytes, head } = sniffProfileBytes(fileName, input, options.gunzip)
  if (format === 'pprof') {
    try {
      const c = convertPprof(bytes)
      return {
        ...(c.kind === 'cpuprofile' ? { kind: c.kind, raw: c.raw } : { kind: c.kind, raw: c.raw }),
        sourceFormat: 'pprof',
        choices: [{ key: '1', label: c.sampleType, kind: c.kind }],
        chosen: '1',
      }
    } catch (err) {
      if (err instanceof ProfileFormatError) throw new ProfileFormatError(`${fileName}: ${err.message}`)
      throw err
    }
  }
  if (format === 'heapsnapshot') {
    throw new ProfileFormatError(`${fileName} is a heap snapshot, not a CPU or allocation profile; open it with \`hotpath heap\``)
  }
  const text = new TextDecoder('utf-8').decode(bytes)
  const guess = format ?? sniffProfileFormat(fileName, text)
  if (guess === undefined) throw notRead(fileName, head, bytes)
  const parsed = parseProfileJson(fileName, text)
  // The content decides over the name (a legacy profile or a trace saved as .cpuprofile).
  return convertParsed(fileName, parsed, formatOfParsed(parsed) ?? guess, options)
}

export interface ImportBytesOptions extends ConvertOptions {
  /** Called with bytes consumed so far and the total, while a `.cpuprofile` streams in. */
  onProgress?: (done: number, total: number) => void
}

/** Largest input read whole for the formats that are converted through JSON.parse (V8's string limit is ~512 MB). */
export const MAX_CONVERTED_BYTES = 500 * 1024 * 1024

/**
 * Memory an import needs, in bytes, estimated from the file size before reading it (measured on the bench's
 * generated profiles and the fixtures, rounded up): the byte importer keeps the call tree and the sample
 * columns (~1.6x the file for V8-shaped profiles, plus its 8 MB window); the formats converted through
 * JSON.parse hold the text, the object tree and the converted profile (~8x the file).
 */
export function estimateImportBytes(format: ProfileFormat | undefined, fileBytes: number): number {
  if (format === 'cpuprofile') return Math.round(fileBytes * 1.6) + (16 << 20)
  if (format === 'pprof') return fileBytes * 40 + (16 << 20)
  return fileBytes * 8 + (16 << 20)
}

/**
 * Imports a profile from its bytes or a ByteSource: modern `.cpuprofile` files stream through the byte
 * tokenizer (no JSON object tree, no string of the whole file, so files past V8's string limit load, and
 * from a ByteSource only an 8 MB window is in memory), every other format is read whole and converted
 * first. The entry point of the CLI, the service and the worker. `raw` is absent for the streamed path.
 */
export function importProfileBytes(
  fileName: string,
  input: Uint8Array | ByteSource,
  options: ImportBytesOptions = {},
): ImportedProfile | StreamedProfile {
  const source = input instanceof Uint8Array ? bytesSource(input) : input
  const headBytes = new Uint8Array(Math.min(source.size, 4096))
  source.read(headBytes, 0, headBytes.length, 0)
  if (!isGzip(headBytes)) {
    const head = new TextDecoder('utf-8').decode(headBytes)
    const byHead = sniffHead(compactHead(head))
    if (byHead === 'cpuprofile' || (byHead === undefined && sniffFormatByName(fileName) === 'cpuprofile' && /^\s*\{/.test(head))) {
      try {
        const tree = importCpuProfileBytes(input, { fileName, ...(options.onProgress ? { onProgress: options.onProgress } : {}) })
        return {
          format: 'cpuprofile',
          tree,
          sourceFormat: 'cpuprofile',
          choices: [{ key: '1', label: 'CPU profile', kind: 'cpuprofile' }],
          chosen: '1',
        }
      } catch (err) {
        // Named .cpuprofile but another layout (the legacy `head` tree, keys in another order): convert it instead.
        if (!(err instanceof ProfileFormatError && /no `nodes` array/.test(err.message) && byHead === undefined)) throw err
      }
    }
  }
  if (source.size > MAX_CONVERTED_BYTES) {
    throw new ProfileFormatError(
      `${fileName} is ${(source.size / 1024 ** 2).toFixed(0)} MB; only .cpuprofile files are read in pieces, other formats up to ${MAX_CONVERTED_BYTES / 1024 ** 2} MB`,
    )
  }
  let bytes: Uint8Array
  if (input instanceof Uint8Array) bytes = input
  else {
    bytes = new Uint8Array(source.size)
    source.read(bytes, 0, bytes.length, 0)
  }
  return importConverted(fileName, convertProfileBytes(fileName, bytes, options))
}

/** A `.cpuprofile` imported by the byte tokenizer: the tree, without the raw object (never built). */
export interface StreamedProfile {
  format: 'cpuprofile'
  raw?: undefined
  tree: CallTree
  sourceFormat: 'cpuprofile'
  choices: ProfileChoice[]
  chosen: string
}
