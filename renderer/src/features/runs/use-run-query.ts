/**
 * The runs a view needs, asked of the engine rather than taken from the Runs view's loaded page: since the
 * library pages (listRunPage), its `runs` hold only the newest rows under its own search and filters. A
 * sweep's group, a workload's trend choices or the target groups are their own query: the newest
 * RUN_PAGE_MAX matching runs, asked again whenever the library reloads (runs saved, renamed, deleted).
 */
import type { RunFilter } from '../../../../core/api/schemas.js'
import { RUN_PAGE_MAX } from '../../../../core/api/schemas.js'
import type { RunSummary } from '../../../../core/model/run.js'
import { useApi, useWorkbench } from '../../state/store.js'
import { useAsync } from '../compare/use-async.js'

export interface RunQuery {
  runs: RunSummary[]
  /** How many runs match in all (more than `runs.length` when over RUN_PAGE_MAX). */
  total: number
  status: 'loading' | 'ready' | 'error'
}

export function useRunQuery(filter: RunFilter | null): RunQuery {
  const api = useApi()
  // The library's list is replaced on every reload: a cheap signal that the store changed.
  const changed = useWorkbench((s) => s.runs)
  const key = filter === null ? null : JSON.stringify(filter)
  const state = useAsync(filter === null ? null : () => api.listRunPage(filter, { offset: 0, limit: RUN_PAGE_MAX }), [key, changed])
  if (state.status !== 'ready') return { runs: [], total: 0, status: state.status }
  return { runs: state.value.runs, total: state.value.total, status: 'ready' }
}
