/**
 * The runs library: summaries from listRuns, full records loaded on demand for the detail view, and
 * the actions that change the store (update, delete, import, export). Errors are returned or stored
 * where the view that caused them can show them.
 */
import type { StateCreator } from 'zustand'
import type { RunFilter, RunPatch } from '../../../../core/api/schemas.js'
import type { RunId, RunRecord, RunSummary } from '../../../../core/model/run.js'
import { summarizeRun } from '../../../../core/model/run.js'
import { errorMessage } from '../../lib/errors.js'
import type { WorkbenchClient } from '../client.js'
import type { LoadStatus, WorkbenchState } from '../store.js'
import { toRunFilter } from '../selectors.js'

/** Rows the Runs view asks the engine for at once: the first page, and each further page as the list scrolls. */
export const RUNS_PAGE_SIZE = 300

export type RunDetailEntry =
  | { status: 'loading'; record?: RunRecord }
  | { status: 'ready'; record: RunRecord }
  | { status: 'error'; error: string; record?: RunRecord }

/** A file to import: its bytes, or a Blob (a chosen or dropped File) read only when it is sent. */
export type ImportSource = { name: string; bytes: Uint8Array } | { name: string; blob: Blob }

export interface ImportOutcome {
  imported: RunId[]
  skipped: { id: string; reason: string }[]
  /** Files the engine refused as a whole, with its reason. */
  failed: { name: string; message: string }[]
}

export interface DeleteOutcome {
  deleted: RunId[]
  failed: { id: RunId; message: string }[]
}

export interface RunsSlice {
  /** The loaded rows of the library query's engine filter, newest first (a prefix of what matches). */
  runs: RunSummary[]
  /** How many runs match that filter in the store (runs holds the first runs.length of them). */
  runsTotal: number
  /** The filter (as JSON) the loaded rows match. */
  runsFilterKey: string | null
  loadingMoreRuns: boolean
  /** Fetches the next page when more runs match than are loaded. */
  loadMoreRuns(): Promise<void>
  /** Reloads when the library query's filter differs from the loaded one. */
  syncRunsFilter(): Promise<void>
  runsStatus: LoadStatus
  runsError: string | null
  runDetails: Record<RunId, RunDetailEntry>
  importing: boolean
  loadRuns(): Promise<void>
  /** Loads a full record; a loaded one is kept unless `force`. */
  loadRun(id: RunId, options?: { force?: boolean }): Promise<void>
  /** Throws the engine's error so the editor that asked can show it. */
  updateRun(id: RunId, patch: RunPatch): Promise<RunRecord>
  deleteRuns(ids: readonly RunId[]): Promise<DeleteOutcome>
  /**
   * Imports each file through the store, one at a time: as a Blob where the client takes one (browser
   * mode), else read into bytes just before it is sent (so only one file's bytes are held at once).
   */
  importFiles(files: readonly ImportSource[]): Promise<ImportOutcome>
  exportRuns(ids: readonly RunId[]): Promise<Uint8Array>
}

export const createRunsSlice =
  (api: WorkbenchClient): StateCreator<WorkbenchState, [], [], RunsSlice> =>
  (set, get) => {
    // A reload started while another is in flight wins; the older answer is dropped.
    let loadSeq = 0
    return {
      runs: [],
      runsTotal: 0,
      runsFilterKey: null,
      loadingMoreRuns: false,
      runsStatus: 'idle',
      runsError: null,
      runDetails: {},
      importing: false,

      async loadRuns() {
        const seq = ++loadSeq
        const filter: RunFilter = toRunFilter(get().runsQuery)
        const key = JSON.stringify(filter)
        set({ runsStatus: get().runsStatus === 'ready' ? 'ready' : 'loading', runsError: null, loadingMoreRuns: false })
        const before = get()
        // A reload of the same filter (a run saved or deleted) covers the rows already loaded, so the list keeps
        // its place; a new filter starts from its first page.
        const sameFilter = before.runsFilterKey === key
        const want = sameFilter ? Math.max(RUNS_PAGE_SIZE, before.runs.length) : RUNS_PAGE_SIZE
        try {
          const runs: RunSummary[] = []
          let total = 0
          do {
            const page = await api.listRunPage(filter, { offset: runs.length, limit: Math.min(1000, want - runs.length) })
            if (seq !== loadSeq) return
            runs.push(...page.runs)
            total = page.total
            if (page.runs.length === 0) break
          } while (runs.length < want && runs.length < total)
          const ids = new Set(runs.map((r) => r.id))
          // Only runs known gone leave the selection: loaded before under this filter and missing now. Runs
          // selected under another filter, or beyond the loaded rows, stay selected.
          const gone = new Set(sameFilter ? before.runs.filter((r) => !ids.has(r.id)).map((r) => r.id) : [])
          const { selectedIds, focusedId, anchorId } = get()
          set({
            runs,
            runsTotal: total,
            runsFilterKey: key,
            runsStatus: 'ready',
            selectedIds: selectedIds.filter((id) => !gone.has(id)),
            focusedId: focusedId && !gone.has(focusedId) ? focusedId : null,
            anchorId: anchorId && !gone.has(anchorId) ? anchorId : null,
          })
        } catch (err) {
          if (seq !== loadSeq) return
          set({ runsStatus: 'error', runsError: errorMessage(err) })
        }
      },

      async loadMoreRuns() {
        const { runs, runsTotal, runsStatus, loadingMoreRuns, runsFilterKey } = get()
        if (runsStatus !== 'ready' || loadingMoreRuns || runs.length >= runsTotal || runsFilterKey === null) return
        const seq = loadSeq
        set({ loadingMoreRuns: true })
        try {
          const page = await api.listRunPage(JSON.parse(runsFilterKey) as RunFilter, { offset: runs.length, limit: RUNS_PAGE_SIZE })
          // A reload started meanwhile (a new filter, a run saved) owns the list now.
          if (seq !== loadSeq) return
          const have = new Set(runs.map((r) => r.id))
          set({ runs: [...get().runs, ...page.runs.filter((r) => !have.has(r.id))], runsTotal: page.total, loadingMoreRuns: false })
        } catch (err) {
          if (seq !== loadSeq) return
          set({ loadingMoreRuns: false, runsError: errorMessage(err) })
        }
      },

      async syncRunsFilter() {
        if (get().runsFilterKey !== JSON.stringify(toRunFilter(get().runsQuery))) await get().loadRuns()
      },

      async loadRun(id, options = {}) {
        const existing = get().runDetails[id]
        if (existing && !options.force && existing.status !== 'error') return
        set({ runDetails: { ...get().runDetails, [id]: { status: 'loading', ...(existing?.record ? { record: existing.record } : {}) } } })
        try {
          const record = await api.getRun(id)
          set({ runDetails: { ...get().runDetails, [id]: { status: 'ready', record } } })
        } catch (err) {
          set({ runDetails: { ...get().runDetails, [id]: { status: 'error', error: errorMessage(err) } } })
        }
      },

      async updateRun(id, patch) {
        const record = await api.updateRun(id, patch)
        const summary = summarizeRun(record)
        set({
          runs: get().runs.map((r) => (r.id === id ? summary : r)),
          runDetails: { ...get().runDetails, [id]: { status: 'ready', record } },
        })
        return record
      },

      async deleteRuns(ids) {
        const outcome: DeleteOutcome = { deleted: [], failed: [] }
        // One at a time: the store deletes folders, and a failure should not hide which ones went.
        for (const id of ids) {
          try {
            const { deleted } = await api.deleteRun(id)
            if (deleted) outcome.deleted.push(id)
            else outcome.failed.push({ id, message: 'the run was not found (already deleted?)' })
          } catch (err) {
            outcome.failed.push({ id, message: errorMessage(err) })
          }
        }
        const gone = new Set<RunId>([...outcome.deleted, ...outcome.failed.filter((f) => f.message.includes('not found')).map((f) => f.id)])
        const details = { ...get().runDetails }
        for (const id of gone) delete details[id]
        const { selectedIds, focusedId, anchorId } = get()
        set({
          runs: get().runs.filter((r) => !gone.has(r.id)),
          runsTotal: Math.max(0, get().runsTotal - outcome.deleted.length),
          runDetails: details,
          selectedIds: selectedIds.filter((id) => !gone.has(id)),
          focusedId: focusedId && gone.has(focusedId) ? null : focusedId,
          anchorId: anchorId && gone.has(anchorId) ? null : anchorId,
        })
        return outcome
      },

      async importFiles(files) {
        const outcome: ImportOutcome = { imported: [], skipped: [], failed: [] }
        set({ importing: true })
        try {
          for (const file of files) {
            try {
              const result =
                'bytes' in file
                  ? await api.importFile(file.name, file.bytes)
                  : api.importBlob
                    ? await api.importBlob(file.name, file.blob)
                    : await api.importFile(file.name, new Uint8Array(await file.blob.arrayBuffer()))
              outcome.imported.push(...result.imported)
              outcome.skipped.push(...result.skipped)
            } catch (err) {
              outcome.failed.push({ name: file.name, message: errorMessage(err) })
            }
          }
        } finally {
          set({ importing: false })
        }
        if (outcome.imported.length > 0) await get().loadRuns()
        return outcome
      },

      exportRuns: (ids) => api.exportRuns([...ids]),
    }
  }
