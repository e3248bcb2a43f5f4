/**
 * What is on screen: the route, the runs library's search, filters and sort, the API connection
 * state, and one app-wide notice (import results, background errors).
 */
import type { StateCreator } from 'zustand'
import type { RunStatus } from '../../../../core/model/run.js'
import { DEFAULT_ROUTE, type Route, sameRoute } from '../../lib/route.js'
import type { ConnectionState } from '../client.js'
import type { WorkbenchState } from '../store.js'

export type SortKey = 'date' | 'opsPerSec' | 'p99' | 'workload'
export type SortDir = 'asc' | 'desc'

export interface RunsQuery {
  /** Words matched against label, workload, variant, tags and id; every word must match. */
  text: string
  workload: string | null
  variant: string | null
  tag: string | null
  machine: string | null
  status: RunStatus | null
  sort: { key: SortKey; dir: SortDir }
}

export const DEFAULT_RUNS_QUERY: RunsQuery = {
  text: '',
  workload: null,
  variant: null,
  tag: null,
  machine: null,
  status: null,
  sort: { key: 'date', dir: 'desc' },
}

export interface Notice {
  kind: 'info' | 'success' | 'error'
  text: string
  /** Lines under the text (skipped runs, per-file errors). */
  details?: string[]
}

export interface ViewSlice {
  route: Route
  runsQuery: RunsQuery
  connection: ConnectionState
  notice: Notice | null
  navigate(route: Route): void
  setRunsQuery(patch: Partial<RunsQuery>): void
  resetRunsFilters(): void
  setConnection(state: ConnectionState): void
  showNotice(notice: Notice): void
  dismissNotice(): void
}

export const createViewSlice =
  (initialRoute: Route = DEFAULT_ROUTE): StateCreator<WorkbenchState, [], [], ViewSlice> =>
  (set, get) => ({
    route: initialRoute,
    runsQuery: DEFAULT_RUNS_QUERY,
    connection: 'connected',
    notice: null,
    navigate(route) {
      if (sameRoute(route, get().route)) return
      // A success notice is about the view it was shown on; errors stay until dismissed.
      set({ route, ...(get().notice?.kind === 'success' ? { notice: null } : {}) })
    },
    setRunsQuery: (patch) => set({ runsQuery: { ...get().runsQuery, ...patch } }),
    resetRunsFilters: () => set({ runsQuery: { ...DEFAULT_RUNS_QUERY, sort: get().runsQuery.sort } }),
    setConnection: (connection) => set({ connection }),
    showNotice: (notice) => set({ notice }),
    dismissNotice: () => set({ notice: null }),
  })
