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
import { effectiveStatus } from './run-liveness.js'
import { discoverArtifacts, migrateStore, removeStaleStaging } from './store-open.js'

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
  /** Like list, plus the runs that could not be read and why; a page of them (newest first) when asked. */
  listWithProblems(filter?: RunFilter, page?: RunPage): Promise<RunListing>
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

/** Which slice of the matching runs (newest first) to return: `offset` skipped, at most `limit`. */
export interface RunPage {
  offset?: number
  limit?: number
}

export interface RunListing {
  runs: RunSummary[]
  /** How many runs match the filter in all (runs holds at most page.limit of them). */
  total: number
  problems: { id: string; file: string; message: string }[]
}

export function openRunStore(root: string): RunStore {
  const runsDir = path.join(root, 'runs')
  // Opening is lazy (openRunStore stays synchronous): the first operation removes staging folders left
  // by killed imports and exports, and migrates run.json files older than this build (store/store-open.ts).
  let opening: Promise<void> | undefined
  const opened = (): Promise<void> => {
    opening ??= (async () => {
      await removeStaleStaging(root, runsDir)
      await migrateStore(root, runsDir, (id) => readRunFile(id, false).then(() => undefined))
    })()
    return opening
  }

  const runDir = (id: RunId): string => {
    const parsed = runIdSchema.safeParse(id)
    if (!parsed.success) throw new StoreError('invalid', `not a run id: ${JSON.stringify(id)} (${parsed.error.issues[0]?.message})`)
    return path.join(runsDir, id)
  }

  async function readRunFile(id: RunId, waitOpen = true): Promise<RunRecord> {
    if (waitOpen) await opened()
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
    let upgradedFrom: number | undefined
    try {
      ;({ record: upgraded, upgradedFrom } = upgradeRun(raw))
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
    let record = result.data
    // A `running` record whose owner died is finished here as `interrupted`, with the artifacts it left.
    if (record.status === 'running' && effectiveStatus(record) === 'interrupted') {
      const { owner: _owner, ...rest } = record
      const found = await discoverArtifacts(runDir(id), record.artifacts, (kind, f, label) => describeArtifactOf(id, kind, f, label))
      record = {
        ...rest,
        status: 'interrupted',
        error: record.error ?? 'interrupted: the Hotpath process recording this run ended before the run finished (killed, crashed or the machine stopped)',
        artifacts: found,
      }
      await writeRecord(record)
    } else if (upgradedFrom !== undefined) {
      // Migrated records are written back, so identifiers a v1 record held do not stay on disk.
      await writeRecord(record)
    }
    return record
  }

  async function writeRecord(record: RunRecord): Promise<void> {
    const dir = runDir(record.id)
    await writeFileAtomic(path.join(dir, 'run.json'), stableJson(record))
    await writeFileAtomic(path.join(dir, 'summary.json'), stableJson(summarizeRun(record)))
    await index.notePut(summarizeRun(record))
  }

  async function describeArtifactOf(id: RunId, kind: Artifact['kind'], file: string, label?: string): Promise<Artifact> {
    const abs = resolveInside(runDir(id), file)
    const { size } = await stat(abs)
    return { kind, file: file.split(path.sep).join('/'), bytes: size, sha256: await sha256File(abs), ...(label ? { label } : {}) }
  }

  async function readSummary(id: RunId): Promise<RunSummary> {
    const file = path.join(runDir(id), 'summary.json')
    try {
      const parsed = runSummarySchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
      // A `running` summary is only trusted while its owner lives; else the record is read (and finished).
      if (parsed.success && parsed.data.id === id && (parsed.data.status !== 'running' || (await readOwnerAlive(id)))) return parsed.data
    } catch {
      // Missing or stale summary: fall back to the full record below (summary.json is derived data).
    }
    return summarizeRun(await readRunFile(id))
  }

  async function readOwnerAlive(id: RunId): Promise<boolean> {
    const raw = JSON.parse(await readFile(path.join(runDir(id), 'run.json'), 'utf8')) as Pick<RunRecord, 'status' | 'owner'>
    return effectiveStatus(raw) === 'running'
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

  async function listWithProblems(filter?: RunFilter, page?: RunPage): Promise<RunListing> {
    await opened()
    const q = { filter, offset: page?.offset ?? 0, limit: page?.limit }
    let result = await index.query(q)
    // A `running` entry is only trusted while its owner lives; else it is read again, which finishes it as
    // interrupted and journals the new summary, and the page is asked for again.
    let finished = 0
    for (const id of result.running) {
      if (await readOwnerAlive(id).catch(() => false)) continue
      await readSummary(id).catch(() => undefined)
      finished++
    }
    if (finished > 0) result = await index.query(q)
    const problems = result.problems.filter((p) => !p.message.startsWith('no run ')).map((p) => ({ id: p.id, file: p.file, message: p.message }))
    return { runs: result.runs, total: result.total, problems }
  }

  return {
    root,
    runsDir,
    list: async (filter) => (await listWithProblems(filter)).runs,
    listWithProblems,
    get: readRunFile,
    has: async (id) => {
      await opened()
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
      await opened()
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
      await mkdir(runDir(run.id), { recursive: true })
      await writeRecord(checked.data)
    },
    update: async (id, patch) => {
      const run = await readRunFile(id)
      const next: RunRecord = {
        ...run,
        ...(patch.label !== undefined ? { label: patch.label } : {}),
        ...(patch.tags !== undefined ? { tags: [...new Set(patch.tags)] } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      }
      await writeRecord(next)
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
    describeArtifact: describeArtifactOf,
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** The one run filter (core/model/run-filter.ts); kept under this name for the store's callers. */
export const matchesFilter = matchesRunFilter

