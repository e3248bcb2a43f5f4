/**
 * The run store on disk: <root>/runs/<runId>/{run.json, summary.json, artifacts...}. Plain JSON with
 * stable key order, atomic writes, schema upgrades on read, clear errors naming the file for corrupt runs.
 * summary.json is a small derived copy so listing thousands of runs does not parse every run.json.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { RunFilter, RunPatch } from '../core/api/schemas.js'
import {
  type Artifact,
  type RunId,
  type RunRecord,
  type RunSummary,
  runIdSchema,
  runRecordSchema,
  runSummarySchema,
  summarizeRun,
} from '../core/model/run.js'
import { stableJson, writeFileAtomic } from './atomic-write.js'
import { resolveInside } from './paths.js'
import { UnsupportedVersionError, upgradeRun } from './upgrade-run.js'
import { matchesRunFilter } from '../core/model/run-filter.js'
import { openRunIndex } from './run-index.js'

export { resolveStoreDir, defaultStoreDir } from './paths.js'

export type StoreErrorCode = 'not-found' | 'corrupt' | 'invalid' | 'exists'

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message)
    this.name = 'StoreError'
  }
}

export interface RunStore {
  readonly root: string
  readonly runsDir: string
  /** Summaries, newest first; runs that cannot be read are reported through `problems`, not dropped silently. */
  list(filter?: RunFilter): Promise<RunSummary[]>
  /** Like list, plus the runs that could not be read and why. */
  listWithProblems(filter?: RunFilter): Promise<{ runs: RunSummary[]; problems: { id: string; file: string; message: string }[] }>
  get(id: RunId): Promise<RunRecord>
  has(id: RunId): Promise<boolean>
  /** Creates the run folder (for artifacts written while the run is in progress). */
  createRunDir(id: RunId): Promise<string>
  /** Validates and writes run.json and summary.json atomically. */
  save(run: RunRecord): Promise<void>
  update(id: RunId, patch: RunPatch): Promise<RunRecord>
  delete(id: RunId): Promise<boolean>
  runDir(id: RunId): string
  /** The absolute path of a file inside a run's folder; throws if the name would leave it. */
  artifactPath(id: RunId, file: string): string
  /** Size and sha256 of a file in a run's folder, as an artifact entry. */
  describeArtifact(id: RunId, kind: Artifact['kind'], file: string, label?: string): Promise<Artifact>
}

export function openRunStore(root: string): RunStore {
  const runsDir = path.join(root, 'runs')

  const runDir = (id: RunId): string => {
    const parsed = runIdSchema.safeParse(id)
    if (!parsed.success) throw new StoreError('invalid', `not a run id: ${JSON.stringify(id)} (${parsed.error.issues[0]?.message})`)
    return path.join(runsDir, id)
  }

  async function readRunFile(id: RunId): Promise<RunRecord> {
    const file = path.join(runDir(id), 'run.json')
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreError('not-found', `no run ${id} in ${root}`, file)
      throw err
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (err) {
      throw new StoreError('corrupt', `${file} is not valid JSON (${(err as Error).message}); the file may be truncated`, file)
    }
    let upgraded: unknown
    try {
      upgraded = upgradeRun(raw).record
    } catch (err) {
      if (err instanceof UnsupportedVersionError) throw new StoreError('corrupt', `${file}: ${err.message}`, file)
      throw err
    }
    const result = runRecordSchema.safeParse(upgraded)
    if (!result.success) {
      const issues = result.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')
      throw new StoreError('corrupt', `${file} is not a valid run record: ${issues}`, file)
    }
    if (result.data.id !== id) throw new StoreError('corrupt', `${file} holds run ${result.data.id}, not ${id}`, file)
    return result.data
  }

  async function readSummary(id: RunId): Promise<RunSummary> {
    const file = path.join(runDir(id), 'summary.json')
    try {
      const parsed = runSummarySchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
      if (parsed.success && parsed.data.id === id) return parsed.data
    } catch {
      // Missing or stale summary: fall back to the full record below (summary.json is derived data).
    }
    return summarizeRun(await readRunFile(id))
  }

  // The derived index (store/run-index.ts): one file instead of a summary.json per run.
  const index = openRunIndex({
    root,
    runsDir,
    isRunId: (n) => runIdSchema.safeParse(n).success,
    readEntry: async (id) => {
      try {
        return { ok: true as const, summary: await readSummary(id) }
      } catch (err) {
        if ((err as StoreError).code === 'not-found') return undefined
        return { ok: false as const, id, file: (err as StoreError).file ?? path.join(runsDir, id), message: (err as Error).message }
      }
    },
  })

  async function listWithProblems(filter?: RunFilter) {
    const runs: RunSummary[] = []
    const problems: { id: string; file: string; message: string }[] = []
    const results = await index.entries()
    for (const r of results) {
      if (r.ok) {
        if (matchesFilter(r.summary, filter)) runs.push(r.summary)
      } else if (!(r.message.startsWith('no run '))) {
        problems.push({ id: r.id, file: r.file, message: r.message })
      }
    }
    runs.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    return { runs, problems }
  }

  return {
    root,
    runsDir,
    list: async (filter) => (await listWithProblems(filter)).runs,
    listWithProblems,
    get: readRunFile,
    has: async (id) => {
      try {
        await stat(path.join(runDir(id), 'run.json'))
        return true
      } catch {
        return false
      }
    },
    createRunDir: async (id) => {
      const dir = runDir(id)
      await mkdir(dir, { recursive: true })
      return dir
    },
    save: async (run) => {
      const checked = runRecordSchema.safeParse(run)
      if (!checked.success) {
        throw new StoreError(
          'invalid',
          `refusing to save an invalid run record: ${checked.error.issues
            .slice(0, 5)
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ')}`,
        )
      }
      const dir = runDir(run.id)
      await mkdir(dir, { recursive: true })
      await writeFileAtomic(path.join(dir, 'run.json'), stableJson(checked.data))
      await writeFileAtomic(path.join(dir, 'summary.json'), stableJson(summarizeRun(checked.data)))
      await index.notePut(summarizeRun(checked.data))
    },
    update: async (id, patch) => {
      const run = await readRunFile(id)
      const next: RunRecord = {
        ...run,
        ...(patch.label !== undefined ? { label: patch.label } : {}),
        ...(patch.tags !== undefined ? { tags: [...new Set(patch.tags)] } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      }
      const dir = runDir(id)
      await writeFileAtomic(path.join(dir, 'run.json'), stableJson(next))
      await writeFileAtomic(path.join(dir, 'summary.json'), stableJson(summarizeRun(next)))
      await index.notePut(summarizeRun(next))
      return next
    },
    delete: async (id) => {
      const dir = runDir(id)
      try {
        await stat(dir)
      } catch {
        return false
      }
      // Rename first so a half-deleted folder never looks like a run.
      const trash = path.join(runsDir, `.deleting-${id}-${process.pid}`)
      await rename(dir, trash)
      await rm(trash, { recursive: true, force: true })
      await index.noteDelete(id)
      return true
    },
    runDir,
    artifactPath: (id, file) => resolveInside(runDir(id), file),
    describeArtifact: async (id, kind, file, label) => {
      const abs = resolveInside(runDir(id), file)
      const { size } = await stat(abs)
      return { kind, file: file.split(path.sep).join('/'), bytes: size, sha256: await sha256File(abs), ...(label ? { label } : {}) }
    },
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** The one run filter (core/model/run-filter.ts); kept under this name for the store's callers. */
export const matchesFilter = matchesRunFilter

