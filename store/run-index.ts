/**
 * The derived run index: every run's summary in one file, so `list`, `trend`, suites and the UI's Runs and
 * Trend views read one file instead of 100,000 summary.json files.
 *
 *   <store>/.index/runs-v2.ndjson     line 1: a header { version, runsMtimeMs, gitSignature, journalBytes,
 *                                     pending, problems, dirMtimes }; then one summary per line, newest first
 *   <store>/.index/journal-v2.jsonl   one line per save/update/delete by any hotpath process since, with runs/'s
 *                                     mtime after it; appended, never rewritten in place
 *   <store>/.index/.gitignore         "*": the index is never committed, so it never needs merging
 *
 * Why this shape (16 s at 100,000 runs before, most of it JSON.parse of one 58 MB document and formatting
 * every row): a warm query reads the file as bytes, in 1 MB pieces, finds candidate lines with Buffer.indexOf on the filter's
 * values (a value that is not in a line's bytes cannot match it) and parses only those lines, or, with no
 * filter, only the page asked for. The run files stay the truth; the index is rebuilt from them when it is
 * missing, unreadable or stale:
 * - runs/'s mtime differs from the one recorded (a run folder added or removed: a run elsewhere, a copy,
 *   `git pull`/`checkout`): runs/ is listed and only the difference is read, so a deleted run is never served
 *   and a new one never missed;
 * - the enclosing git repository's index file changed (a checkout can rewrite a run's files without adding or
 *   removing a folder): every run folder's mtime is compared with the one recorded and changed runs re-read;
 * - folders that held no readable run yet (a run being written) are re-read on every query until they do.
 * Saves, updates and deletes by hotpath itself (in this process or another) are journal lines; the base file
 * records how many journal bytes it already holds, so a compaction never drops a line another process
 * appended meanwhile. Hand edits made in place to an existing run's files, outside git, are not seen until
 * the index is rebuilt (delete .index/).
 */
import { type FileHandle, mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import type { RunFilter } from '../core/api/schemas.js'
import type { RunSummary } from '../core/model/run.js'
import { matchesRunFilter } from '../core/model/run-filter.js'
import { writeFileAtomic } from './atomic-write.js'

export const RUN_INDEX_VERSION = 2
/** Journal lines after which the next query rewrites the base file. */
const COMPACT_AFTER = 1000

export type IndexEntry = { ok: true; summary: RunSummary } | { ok: false; id: string; file: string; message: string }
export type IndexProblem = Extract<IndexEntry, { ok: false }>

interface Header {
  version: number
  runsMtimeMs: number
  gitSignature: string
  /** Bytes of the journal already folded into this file. */
  journalBytes: number
  /** Run folders with no readable run yet: re-read on every query. */
  pending: string[]
  problems: IndexProblem[]
  /** Summary lines after the header. */
  count: number
  /** Ids of the `running` summaries among them (the store checks that their owners live). */
  running: string[]
  /** Random per write; dirs-v2.json carries the same, so a torn pair is detected. */
  generation: string
}

/** Each run folder's mtime when it was read (compared after a git operation), in dirs-v2.json. */
interface DirsFile {
  generation: string
  dirMtimes: Record<string, number>
}

type JournalLine = { op: 'put'; summary: RunSummary; runsMtimeMs: number } | { op: 'delete'; id: string; runsMtimeMs: number }

export interface RunIndexOptions {
  root: string
  runsDir: string
  /** Run folder names that are runs (not staging or trash folders). */
  isRunId(name: string): boolean
  /** Reads one run's summary (summary.json, else run.json); "not a run yet" comes back as undefined. */
  readEntry(id: string): Promise<IndexEntry | undefined>
}

export interface IndexQuery {
  filter?: RunFilter | undefined
  /** Matches to skip (newest first) and the most to return; all when limit is undefined. */
  offset?: number
  limit?: number | undefined
}

export interface IndexPage {
  /** The page of matching summaries, newest first. */
  runs: RunSummary[]
  /** How many runs match in all. */
  total: number
  problems: IndexProblem[]
  /** Ids of every `running` entry (matching or not), for the store's owner check. */
  running: string[]
}

export interface RunIndex {
  /** A page of the runs that match, brought up to date with the run folders first. */
  query(q?: IndexQuery): Promise<IndexPage>
  /** Records a saved or updated run (called by the store after it wrote the run's files). */
  notePut(summary: RunSummary): Promise<void>
  noteDelete(id: string): Promise<void>
}

async function mtimeOf(p: string): Promise<number | undefined> {
  try {
    return (await stat(p)).mtimeMs
  } catch {
    return undefined
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await fn(items[i] as T)
      }
    }),
  )
  return out
}

/** The git index file of the repository holding the store, if any: any checkout, commit or reset rewrites it. */
async function gitSignature(root: string): Promise<string> {
  let dir = path.resolve(root)
  for (let depth = 0; depth < 40; depth++) {
    const dotGit = path.join(dir, '.git')
    try {
      const s = await stat(dotGit)
      let gitDir = dotGit
      if (s.isFile()) {
        const m = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8'))
        if (!m) return ''
        gitDir = path.resolve(dir, (m[1] as string).trim())
      }
      const idx = await stat(path.join(gitDir, 'index')).catch(() => undefined)
      const head = await stat(path.join(gitDir, 'HEAD')).catch(() => undefined)
      return `${idx?.mtimeMs ?? 0}:${idx?.size ?? 0}:${head?.mtimeMs ?? 0}`
    } catch {
      // no .git here; look in the parent
    }
    const parent = path.dirname(dir)
    if (parent === dir) return ''
    dir = parent
  }
  return ''
}

const NL = 0x0a
const ID_PREFIX = '{"id":"'

/** One summary as an index line: id first, so ids can be read without parsing. */
function lineOf(summary: RunSummary): string {
  const { id, ...rest } = summary
  return JSON.stringify({ id, ...rest })
}

function idOfLine(buf: Buffer, start: number): string {
  const from = start + ID_PREFIX.length
  const end = buf.indexOf(0x22, from)
  return buf.toString('latin1', from, end)
}

/**
 * Byte strings every matching line must contain (each filter value as JSON text), for a fast pre-filter;
 * the exact match is then matchesRunFilter on the parsed line.
 */
export function filterNeedles(filter: RunFilter | undefined): Buffer[] {
  if (!filter) return []
  const out: string[] = []
  if (filter.commit) out.push(`"commit":"${filter.commit}`)
  for (const v of [filter.branch, filter.workload, filter.variant, filter.tag, filter.group, filter.status]) {
    if (v) out.push(JSON.stringify(v))
  }
  return out.map((s) => Buffer.from(s, 'utf8'))
}

function checkHeader(raw: unknown): Header {
  const h = raw as Header
  if (h.version !== RUN_INDEX_VERSION || typeof h.runsMtimeMs !== 'number' || !Array.isArray(h.pending) || !Array.isArray(h.problems) || typeof h.count !== 'number' || !Array.isArray(h.running) || typeof h.generation !== 'string') {
    throw new Error('not a current run index header')
  }
  return h
}

/** The base file as opened: its header, and its bytes read on demand (the file as it was when opened). */
interface Base {
  header: Header
  /** Byte offset of the first summary line. */
  bodyStart: number
  size: number
  read(buf: Buffer, offset: number, length: number, position: number): Promise<number>
  close(): Promise<void>
}

/** Bytes per read of the base file: one buffer, reused for every piece (see scanBase). */
const SCAN_CHUNK = 1 << 20

/**
 * Calls `each` for every base line that contains `needle` (every line without one), in file order. The file
 * is read in 1 MB pieces into one reused buffer, never whole: on this machine first touching fresh memory
 * costs more than reading (a 56 MB index: 280 ms read whole and searched, 40 ms in pieces). Buffer.indexOf
 * jumps from one occurrence of the needle to the next, so lines without it cost nothing; needles hold no
 * newline, so searching only the whole lines of each piece misses none. `buf` is valid during the call only.
 */
async function scanBase(base: Base, needle: Buffer | undefined, each: (buf: Buffer, start: number, end: number) => void): Promise<void> {
  let buf = Buffer.allocUnsafe(Math.min(SCAN_CHUNK, Math.max(1, base.size - base.bodyStart)))
  let filled = 0
  let pos = base.bodyStart
  for (;;) {
    // A line longer than the buffer: grow it, keeping what is there.
    if (filled === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2)
      buf.copy(bigger, 0, 0, filled)
      buf = bigger
    }
    const n = pos < base.size ? await base.read(buf, filled, Math.min(buf.length - filled, base.size - pos), pos) : 0
    pos += n
    filled += n
    const eof = n === 0
    const lastNl = filled > 0 ? buf.lastIndexOf(NL, filled - 1) : -1
    const cut = eof ? filled : lastNl + 1
    if (cut > 0) {
      if (!needle) {
        let start = 0
        while (start < cut) {
          let end = buf.indexOf(NL, start)
          if (end < 0 || end >= cut) end = cut
          if (end > start) each(buf, start, end)
          start = end + 1
        }
      } else {
        let from = 0
        while (from < cut) {
          const hit = buf.indexOf(needle, from)
          if (hit < 0 || hit >= cut) break
          const start = hit === 0 ? 0 : buf.lastIndexOf(NL, hit) + 1
          let end = buf.indexOf(NL, hit)
          if (end < 0 || end >= cut) end = cut
          each(buf, start, end)
          from = end + 1
        }
      }
      buf.copy(buf, 0, cut, filled)
      filled -= cut
    }
    if (eof) return
  }
}

const parseSummary = (buf: Buffer, start: number, end: number): RunSummary => JSON.parse(buf.toString('utf8', start, end)) as RunSummary

export function openRunIndex(options: RunIndexOptions): RunIndex {
  const dir = path.join(options.root, '.index')
  const baseFile = path.join(dir, `runs-v${RUN_INDEX_VERSION}.ndjson`)
  const journalFile = path.join(dir, `journal-v${RUN_INDEX_VERSION}.jsonl`)
  const dirsFile = path.join(dir, `dirs-v${RUN_INDEX_VERSION}.json`)

  async function readDirMtimes(generation: string): Promise<Record<string, number>> {
    try {
      const parsed = JSON.parse(await readFile(dirsFile, 'utf8')) as DirsFile
      // Another generation's mtimes would hide changes: then every folder counts as changed.
      return parsed.generation === generation ? parsed.dirMtimes : {}
    } catch {
      return {}
    }
  }

  /** The header line of an open base file (undefined when it has none or it is not ours). */
  async function headerOf(fh: FileHandle): Promise<{ header: Header; bodyStart: number } | undefined> {
    let size = 4096
    for (;;) {
      const buf = Buffer.alloc(size)
      const { bytesRead } = await fh.read(buf, 0, size, 0)
      const nl = buf.subarray(0, bytesRead).indexOf(NL)
      if (nl >= 0) return { header: checkHeader(JSON.parse(buf.toString('utf8', 0, nl))), bodyStart: nl + 1 }
      if (bytesRead < size) return undefined
      size *= 4
    }
  }

  /** Only the header line, without reading the summaries. */
  async function readHeader(): Promise<{ header: Header; bodyStart: number } | undefined> {
    try {
      const fh = await open(baseFile, 'r')
      try {
        return await headerOf(fh)
      } finally {
        await fh.close()
      }
    } catch {
      return undefined
    }
  }

  /** Opens the base file; the caller closes it. Its summaries are read by scanBase, piece by piece. */
  async function readBase(): Promise<Base | undefined> {
    let fh: FileHandle
    try {
      fh = await open(baseFile, 'r')
    } catch {
      return undefined
    }
    try {
      const head = await headerOf(fh)
      const { size } = await fh.stat()
      if (head) {
        // A torn file (it is written atomically, so only a foreign write could do this) is rebuilt.
        const last = Buffer.alloc(1)
        if (size > head.bodyStart) await fh.read(last, 0, 1, size - 1)
        if (size <= head.bodyStart || last[0] === NL) {
          return { ...head, size, read: async (b, o, l, p) => (await fh.read(b, o, l, p)).bytesRead, close: () => fh.close() }
        }
      }
    } catch {
      // Unreadable or not ours: rebuilt below by the caller.
    }
    await fh.close()
    return undefined
  }

  async function readJournal(from: number): Promise<{ lines: JournalLine[]; bytes: number } | undefined> {
    let buf: Buffer
    try {
      const fh = await open(journalFile, 'r')
      try {
        const { size } = await fh.stat()
        if (size < from) return undefined // replaced by someone else: rebuild
        buf = Buffer.alloc(size - from)
        if (buf.length > 0) await fh.read(buf, 0, buf.length, from)
      } finally {
        await fh.close()
      }
    } catch {
      return from === 0 ? { lines: [], bytes: 0 } : undefined
    }
    // Only whole lines count; a line being appended right now is read next time.
    const end = buf.lastIndexOf(NL) + 1
    const lines: JournalLine[] = []
    if (end > 0) {
      for (const line of buf.toString('utf8', 0, end).split('\n')) {
        if (!line) continue
        try {
          lines.push(JSON.parse(line) as JournalLine)
        } catch {
          // A torn line from a crash mid-append: the runs/ mtime check then finds the index stale.
        }
      }
    }
    return { lines, bytes: from + end }
  }

  async function writeBase(entries: Map<string, IndexEntry>, pending: string[], dirMtimes: Record<string, number>, runsMtimeMs: number, signature: string, journalBytes: number): Promise<void> {
    const ok: RunSummary[] = []
    const problems: IndexProblem[] = []
    for (const e of entries.values()) {
      if (e.ok) ok.push(e.summary)
      else problems.push(e)
    }
    ok.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    const generation = randomBytes(8).toString('hex')
    const header: Header = { version: RUN_INDEX_VERSION, runsMtimeMs, gitSignature: signature, journalBytes, pending, problems, count: ok.length, running: ok.filter((r) => r.status === 'running').map((r) => r.id), generation }
    try {
      await mkdir(dir, { recursive: true })
      await writeFile(path.join(dir, '.gitignore'), '# Derived from runs/ by hotpath; never commit it.\n*\n')
      const dirs: DirsFile = { generation, dirMtimes }
      await writeFileAtomic(dirsFile, JSON.stringify(dirs))
      const parts = [JSON.stringify(header)]
      for (const s of ok) parts.push(lineOf(s))
      await writeFileAtomic(baseFile, parts.join('\n') + '\n')
    } catch {
      // A read-only store still lists (from the run files); it just cannot keep the index.
    }
  }

  async function dirMtime(id: string): Promise<number> {
    return (await mtimeOf(path.join(options.runsDir, id))) ?? 0
  }

  /**
   * The slow path: brings the index up to date with runs/ (reading only what changed when a base exists)
   * and writes it back. Returns nothing; the caller reads the new base.
   */
  async function refresh(base: Base | undefined, journal: JournalLine[], journalBytes: number, runsMtimeMs: number, signature: string): Promise<void> {
    let names: string[]
    try {
      names = await readdir(options.runsDir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') names = []
      else throw err
    }
    const ids = names.filter(options.isRunId)
    const known = new Map<string, IndexEntry>()
    const dirMtimes: Record<string, number> = {}
    if (base) {
      await scanBase(base, undefined, (buf, start, end) => known.set(idOfLine(buf, start), { ok: true, summary: parseSummary(buf, start, end) }))
      for (const p of base.header.problems) known.set(p.id, p)
      Object.assign(dirMtimes, await readDirMtimes(base.header.generation))
    }
    for (const line of journal) {
      if (line.op === 'put') known.set(line.summary.id, { ok: true, summary: line.summary })
      else known.delete(line.id)
    }
    const present = new Set(ids)
    for (const id of [...known.keys()]) if (!present.has(id)) known.delete(id)
    const mtimes = await mapLimit(ids, 64, dirMtime)
    const reread: string[] = []
    const gitChanged = !base || base.header.gitSignature !== signature
    const pendingBefore = new Set(base?.header.pending ?? [])
    ids.forEach((id, i) => {
      const m = mtimes[i] as number
      if (!known.has(id) || pendingBefore.has(id) || (gitChanged && dirMtimes[id] !== m)) reread.push(id)
      dirMtimes[id] = m
    })
    for (const id of Object.keys(dirMtimes)) if (!present.has(id)) delete dirMtimes[id]
    const read = await mapLimit(reread, 32, options.readEntry)
    const pending: string[] = []
    reread.forEach((id, i) => {
      const e = read[i]
      if (e) known.set(id, e)
      else {
        known.delete(id)
        pending.push(id)
      }
    })
    await writeBase(known, pending, dirMtimes, runsMtimeMs, signature, journalBytes)
  }

  /** The base, up to date with runs/; `head` only (no summaries read) when that is all a page needs. */
  async function load(headOnly: boolean): Promise<{ base: Base | undefined; head?: { header: Header; bodyStart: number }; journal: JournalLine[] }> {
    const runsMtimeMs = await mtimeOf(options.runsDir)
    if (runsMtimeMs === undefined) return { base: undefined, journal: [] }
    const signature = await gitSignature(options.root)
    const head = await readHeader()
    const journal = head ? await readJournal(head.header.journalBytes) : undefined
    if (head && journal) {
      const recorded = journal.lines.length > 0 ? (journal.lines[journal.lines.length - 1] as JournalLine).runsMtimeMs : head.header.runsMtimeMs
      const fresh = recorded === runsMtimeMs && head.header.gitSignature === signature
      if (fresh && journal.lines.length <= COMPACT_AFTER) {
        if (headOnly && journal.lines.length === 0) return { base: undefined, head, journal: [] }
        const base = await readBase()
        // The file changed between the two reads (another process rewrote it): take the slow path once.
        if (base && base.header.generation === head.header.generation) return { base, journal: journal.lines }
        await base?.close()
      }
      const base = await readBase()
      try {
        const rest = base ? await readJournal(base.header.journalBytes) : undefined
        await refresh(base && rest ? base : undefined, rest?.lines ?? [], rest?.bytes ?? 0, runsMtimeMs, signature)
      } finally {
        await base?.close()
      }
    } else {
      const all = await readJournal(0)
      await refresh(undefined, [], all?.bytes ?? 0, runsMtimeMs, signature)
    }
    const again = await readBase()
    const rest = again ? await readJournal(again.header.journalBytes) : undefined
    if (again && rest) return { base: again, journal: rest.lines }
    await again?.close()
    // A store where the index cannot be written (read only): read the run folders directly every time.
    return { base: await direct(), journal: [] }
  }

  /** The first `n` summary lines after the header, reading no more of the file than they need. */
  async function readFirstLines(bodyStart: number, n: number): Promise<RunSummary[]> {
    const out: RunSummary[] = []
    if (n <= 0) return out
    const fh = await open(baseFile, 'r')
    try {
      let pos = bodyStart
      let carry = Buffer.alloc(0)
      const chunk = Buffer.alloc(1 << 20)
      while (out.length < n) {
        const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos)
        if (bytesRead === 0) break
        pos += bytesRead
        const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead)
        let start = 0
        for (let nl = buf.indexOf(NL, start); nl >= 0 && out.length < n; nl = buf.indexOf(NL, start)) {
          if (nl > start) out.push(JSON.parse(buf.toString('utf8', start, nl)) as RunSummary)
          start = nl + 1
        }
        carry = Buffer.from(buf.subarray(start))
      }
    } finally {
      await fh.close()
    }
    return out
  }

  /** An in-memory base built straight from the run folders (read-only stores). */
  async function direct(): Promise<Base> {
    const names = await readdir(options.runsDir).catch(() => [] as string[])
    const ids = names.filter(options.isRunId)
    const read = await mapLimit(ids, 32, options.readEntry)
    const ok = read.filter((e): e is Extract<IndexEntry, { ok: true }> => e?.ok === true).map((e) => e.summary)
    ok.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    const problems = read.filter((e): e is IndexProblem => e !== undefined && !e.ok)
    const header: Header = { version: RUN_INDEX_VERSION, runsMtimeMs: 0, gitSignature: '', journalBytes: 0, pending: [], problems, count: ok.length, running: [], generation: '' }
    const body = Buffer.from(ok.map((s) => `${lineOf(s)}\n`).join(''))
    return { header, bodyStart: 0, size: body.length, read: async (b, o, l, p) => body.copy(b, o, p, p + l), close: async () => undefined }
  }

  return {
    async query(q = {}) {
      const filter = q.filter
      const offset = q.offset ?? 0
      const limit = q.limit ?? Number.POSITIVE_INFINITY
      const needParse = filter !== undefined && Object.values(filter).some((v) => v !== undefined)
      const loaded = await load(!needParse && Number.isFinite(limit))
      if (loaded.head) {
        // Fresh, nothing journaled, no filter, a page: read only the lines it needs (the newest first).
        const { header, bodyStart } = loaded.head
        if (header.pending.length === 0) {
          const runs = (await readFirstLines(bodyStart, offset + limit)).slice(offset)
          return { runs, total: header.count, problems: header.problems, running: header.running }
        }
      }
      const { base, journal } = loaded.head ? await load(false) : loaded
      if (!base) return { runs: [], total: 0, problems: [], running: [] }
      try {
        return await queryBase(base, journal, filter, offset, limit, needParse)
      } finally {
        await base.close()
      }
    },
    async notePut(summary) {
      await append({ op: 'put', summary, runsMtimeMs: (await mtimeOf(options.runsDir)) ?? 0 })
    },
    async noteDelete(id) {
      await append({ op: 'delete', id, runsMtimeMs: (await mtimeOf(options.runsDir)) ?? 0 })
    },
  }

  /** One query over an open base and the journal lines after it. */
  async function queryBase(base: Base, journal: JournalLine[], filter: RunFilter | undefined, offset: number, limit: number, needParse: boolean): Promise<IndexPage> {
    // The journal's effect: latest put or delete per id, applied over the base lines.
    const overlay = new Map<string, RunSummary | null>()
    const problems = new Map(base.header.problems.map((p) => [p.id, p]))
    for (const line of journal) {
      if (line.op === 'put') {
        overlay.set(line.summary.id, line.summary)
        problems.delete(line.summary.id)
      } else {
        overlay.set(line.id, null)
        problems.delete(line.id)
      }
    }
    const extra = [...overlay.values()].filter((s): s is RunSummary => s !== null && matchesRunFilter(s, filter))
    extra.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    const runningIds = new Set<string>()
    for (const s of overlay.values()) if (s?.status === 'running') runningIds.add(s.id)

    // Folders that held no run yet at the last refresh: read again now (a run being written elsewhere).
    if (base.header.pending.length > 0) {
      const read = await mapLimit(base.header.pending, 32, options.readEntry)
      for (const e of read) {
        if (!e || overlay.has(e.ok ? e.summary.id : e.id)) continue
        if (e.ok) {
          overlay.set(e.summary.id, e.summary)
          if (matchesRunFilter(e.summary, filter)) extra.push(e.summary)
          if (e.summary.status === 'running') runningIds.add(e.summary.id)
        } else problems.set(e.id, e)
      }
      extra.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    }
    const needles = filterNeedles(filter)
    const runs: RunSummary[] = []
    let total = 0
    let x = 0
    const take = (s: RunSummary | (() => RunSummary)): void => {
      if (total >= offset && total < offset + limit) runs.push(typeof s === 'function' ? s() : s)
      total++
    }
    for (const id of base.header.running) if (!overlay.has(id)) runningIds.add(id)
    const [first, ...others] = needles
    await scanBase(base, first, (buf, start, end) => {
      if (extra.length > 0 || overlay.size > 0) {
        const id = idOfLine(buf, start)
        while (x < extra.length && (extra[x] as RunSummary).id > id) take(extra[x++] as RunSummary)
        if (overlay.has(id)) return
      }
      if (others.length > 0) {
        const line = buf.subarray(start, end)
        if (others.some((n) => line.indexOf(n) < 0)) return
      }
      if (needParse) {
        const s = parseSummary(buf, start, end)
        if (matchesRunFilter(s, filter)) take(s)
      } else {
        // Parsed now or never: the buffer is reused for the next piece.
        take(() => parseSummary(buf, start, end))
      }
    })
    while (x < extra.length) take(extra[x++] as RunSummary)
    return { runs, total, problems: [...problems.values()], running: [...runningIds] }
  }

  async function append(line: JournalLine): Promise<void> {
    // Only an index that exists is journaled; a missing one is rebuilt in full by the next query.
    try {
      await stat(baseFile)
      // One write() of a whole line with O_APPEND: lines from concurrent processes never interleave.
      const fh = await open(journalFile, 'a')
      try {
        await fh.write(JSON.stringify(line) + '\n')
      } finally {
        await fh.close()
      }
    } catch {
      // No index yet, or a read-only store: nothing to keep up to date.
    }
  }
}
