/**
 * The derived run index: every run's summary in one file, so `list`, `trend`, suites and the UI's Runs and
 * Trend views read one file instead of 100,000 summary.json files (3.1 s at 10,000 runs before).
 *
 *   <store>/.index/runs-v1.json       { version, runsMtimeMs, entries }   rewritten when stale
 *   <store>/.index/journal-v1.jsonl   one line per save/update/delete since, with runs/'s mtime after it
 *   <store>/.index/.gitignore         "*": the index is never committed, so it never needs merging
 *
 * The run files stay the truth; the index is rebuilt from them whenever it is missing, unreadable or stale.
 * Stale means runs/ changed (a run folder added or removed: a run elsewhere, a `git pull`, a copy) since the
 * last state the index recorded: then runs/ is listed and only the difference is read. Edits made by hand
 * to an existing run's files are not seen until the index is rebuilt (delete .index/).
 */
import { appendFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RunSummary } from '../core/model/run.js'
import { writeFileAtomic } from './atomic-write.js'

export const RUN_INDEX_VERSION = 1
/** Journal lines after which the next load rewrites the base file. */
const COMPACT_AFTER = 1000

export type IndexEntry = { ok: true; summary: RunSummary } | { ok: false; id: string; file: string; message: string }

interface IndexFile {
  version: number
  runsMtimeMs: number
  entries: IndexEntry[]
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

export interface RunIndex {
  /** Every run's entry, in no particular order; brought up to date with the run folders first. */
  entries(): Promise<IndexEntry[]>
  /** Records a saved or updated run (called by the store after it wrote the run's files). */
  notePut(summary: RunSummary): Promise<void>
  noteDelete(id: string): Promise<void>
}

async function mtimeOf(dir: string): Promise<number | undefined> {
  try {
    return (await stat(dir)).mtimeMs
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

const entryId = (e: IndexEntry): string => (e.ok ? e.summary.id : e.id)

export function openRunIndex(options: RunIndexOptions): RunIndex {
  const dir = path.join(options.root, '.index')
  const baseFile = path.join(dir, `runs-v${RUN_INDEX_VERSION}.json`)
  const journalFile = path.join(dir, `journal-v${RUN_INDEX_VERSION}.jsonl`)

  async function readBase(): Promise<IndexFile | undefined> {
    try {
      const parsed = JSON.parse(await readFile(baseFile, 'utf8')) as IndexFile
      return parsed.version === RUN_INDEX_VERSION && Array.isArray(parsed.entries) && typeof parsed.runsMtimeMs === 'number' ? parsed : undefined
    } catch {
      return undefined
    }
  }

  async function readJournal(): Promise<JournalLine[]> {
    let text: string
    try {
      text = await readFile(journalFile, 'utf8')
    } catch {
      return []
    }
    const lines: JournalLine[] = []
    for (const line of text.split('\n')) {
      if (!line) continue
      try {
        lines.push(JSON.parse(line) as JournalLine)
      } catch {
        // A torn last line (a crash mid-append): the mtime check below then finds the index stale.
      }
    }
    return lines
  }

  async function writeBase(entries: IndexEntry[], runsMtimeMs: number): Promise<void> {
    try {
      await mkdir(dir, { recursive: true })
      await writeFile(path.join(dir, '.gitignore'), '# Derived from runs/ by hotpath; never commit it.\n*\n')
      const body: IndexFile = { version: RUN_INDEX_VERSION, runsMtimeMs, entries }
      await writeFileAtomic(baseFile, JSON.stringify(body))
      await rm(journalFile, { force: true })
    } catch {
      // A read-only store still lists (from the run files); it just cannot keep the index.
    }
  }

  async function rebuildFrom(known: Map<string, IndexEntry>, runsMtimeMs: number): Promise<IndexEntry[]> {
    let names: string[]
    try {
      names = await readdir(options.runsDir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    const ids = names.filter(options.isRunId)
    const missing = ids.filter((id) => !known.has(id))
    const read = await mapLimit(missing, 32, options.readEntry)
    const present = new Set(ids)
    const entries: IndexEntry[] = []
    for (const [id, e] of known) if (present.has(id)) entries.push(e)
    for (const e of read) if (e) entries.push(e)
    await writeBase(entries, runsMtimeMs)
    return entries
  }

  return {
    async entries() {
      const runsMtimeMs = await mtimeOf(options.runsDir)
      if (runsMtimeMs === undefined) return []
      const base = await readBase()
      const known = new Map<string, IndexEntry>()
      if (!base) return rebuildFrom(known, runsMtimeMs)
      for (const e of base.entries) known.set(entryId(e), e)
      let recorded = base.runsMtimeMs
      const journal = await readJournal()
      for (const line of journal) {
        if (line.op === 'put') known.set(line.summary.id, { ok: true, summary: line.summary })
        else known.delete(line.id)
        recorded = line.runsMtimeMs
      }
      if (recorded !== runsMtimeMs) return rebuildFrom(known, runsMtimeMs)
      const entries = [...known.values()]
      if (journal.length > COMPACT_AFTER) await writeBase(entries, runsMtimeMs)
      return entries
    },
    async notePut(summary) {
      await append({ op: 'put', summary, runsMtimeMs: (await mtimeOf(options.runsDir)) ?? 0 })
    },
    async noteDelete(id) {
      await append({ op: 'delete', id, runsMtimeMs: (await mtimeOf(options.runsDir)) ?? 0 })
    },
  }

  async function append(line: JournalLine): Promise<void> {
    // Only an index that exists is journaled; a missing one is rebuilt in full by the next list.
    try {
      await stat(baseFile)
      await appendFile(journalFile, JSON.stringify(line) + '\n')
    } catch {
      // No index yet, or a read-only store: nothing to keep up to date.
    }
  }
}
