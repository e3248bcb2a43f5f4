/**
 * Plain functions over WorkbenchState (and over plain run lists): filtering, sorting, facets and the
 * derived flags views need. Outside components so they are unit-tested on plain objects; the few
 * that build new arrays are memoized on their inputs so zustand sees stable results.
 */
import type { RunFilter } from '../../../core/api/schemas.js'
import type { RunId, RunStatus, RunSummary } from '../../../core/model/run.js'
import { filterRunSummaries, searchWords } from '../../../core/model/run-filter.js'
import type { WorkloadDescriptor } from '../../../core/model/workload.js'
import type { LaunchDraft } from '../features/launch/launch-form.js'
import type { LiveRun } from './slices/live-run.js'
import type { RunsQuery, SortDir, SortKey } from './slices/view.js'
import type { WorkbenchState } from './store.js'

/** Splits a search box into lower-case words; quotes are not special (ids and tags have no spaces). */
export const searchTerms = searchWords

/** The library's query as the one run filter (core/model/run-filter.ts) reads it. */
export function toRunFilter(query: RunsQuery): RunFilter {
  return {
    ...(query.workload !== null ? { workload: query.workload } : {}),
    ...(query.variant !== null ? { variant: query.variant } : {}),
    ...(query.tag !== null ? { tag: query.tag } : {}),
    ...(query.machine !== null ? { machine: query.machine } : {}),
    ...(query.status !== null ? { status: query.status } : {}),
    ...(query.text.trim() !== '' ? { text: query.text } : {}),
  }
}

/** Runs matching every word of the search and every set filter. */
export function filterRuns(runs: readonly RunSummary[], query: RunsQuery): RunSummary[] {
  return filterRunSummaries(runs, toRunFilter(query))
}

/** The direction a column sorts in when first chosen: newest, fastest, lowest latency, A to Z. */
export function defaultSortDir(key: SortKey): SortDir {
  return key === 'date' || key === 'opsPerSec' ? 'desc' : 'asc'
}

const byDate = (a: RunSummary, b: RunSummary): number =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/**
 * Sorts a copy. Runs without the sorted metric (failed, cancelled, imported profiles) go last in either
 * direction: they have nothing to rank by. Ties fall back to newest first.
 */
export function sortRuns(runs: readonly RunSummary[], sort: { key: SortKey; dir: SortDir }): RunSummary[] {
  const sign = sort.dir === 'asc' ? 1 : -1
  const metric = (r: RunSummary): number | undefined => (sort.key === 'opsPerSec' ? r.opsPerSec : sort.key === 'p99' ? r.p99Ns : undefined)
  return [...runs].sort((a, b) => {
    if (sort.key === 'date') return sign * byDate(a, b)
    if (sort.key === 'workload') {
      const c = a.workload.id.localeCompare(b.workload.id) || a.workload.variant.localeCompare(b.workload.variant)
      return c !== 0 ? sign * c : -byDate(a, b)
    }
    const ma = metric(a)
    const mb = metric(b)
    if (ma === undefined || mb === undefined) return ma === mb ? -byDate(a, b) : ma === undefined ? 1 : -1
    return ma !== mb ? sign * (ma - mb) : -byDate(a, b)
  })
}

/** One-entry memo keyed on argument identity: enough for selectors read by one view at a time. */
function memoize<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let lastArgs: A | null = null
  let last: R
  return (...args: A) => {
    if (lastArgs && lastArgs.length === args.length && lastArgs.every((a, i) => a === args[i])) return last
    lastArgs = args
    last = fn(...args)
    return last
  }
}

const visibleRuns = memoize((runs: readonly RunSummary[], query: RunsQuery) => sortRuns(filterRuns(runs, query), query.sort))

/** The library as displayed: filtered, then sorted. Same array while runs and query are unchanged. */
export const selectVisibleRuns = (s: Pick<WorkbenchState, 'runs' | 'runsQuery'>): RunSummary[] => visibleRuns(s.runs, s.runsQuery)

export interface Facet<T extends string = string> {
  value: T
  count: number
}

export interface RunFacets {
  workloads: Facet[]
  variants: Facet[]
  tags: Facet[]
  machines: Facet[]
  statuses: Facet<RunStatus>[]
}

function countBy<T extends string>(values: Iterable<T>): Facet<T>[] {
  const counts = new Map<T, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => a.value.localeCompare(b.value))
}

/** The values each filter can take, with how many runs have each. Variants follow the workload filter. */
export function computeFacets(runs: readonly RunSummary[], workload: string | null = null): RunFacets {
  return {
    workloads: countBy(runs.map((r) => r.workload.id)),
    variants: countBy(runs.filter((r) => workload === null || r.workload.id === workload).map((r) => r.workload.variant)),
    tags: countBy(runs.flatMap((r) => r.tags)),
    machines: countBy(runs.map((r) => r.machine)),
    statuses: countBy(runs.map((r) => r.status)),
  }
}

const facets = memoize(computeFacets)
export const selectFacets = (s: Pick<WorkbenchState, 'runs' | 'runsQuery'>): RunFacets => facets(s.runs, s.runsQuery.workload)

/** Whether any filter or search narrows the list (the empty state then says so, rather than "no runs"). */
export function isFiltered(query: RunsQuery): boolean {
  return (
    query.text.trim() !== '' ||
    query.workload !== null ||
    query.variant !== null ||
    query.tag !== null ||
    query.machine !== null ||
    query.status !== null
  )
}

export function getRunById(s: Pick<WorkbenchState, 'runs'>, id: RunId | null): RunSummary | undefined {
  return id === null ? undefined : s.runs.find((r) => r.id === id)
}

/** Selected runs in selection order, skipping ids no longer in the library. */
export function selectSelectedRuns(s: Pick<WorkbenchState, 'runs' | 'selectedIds'>): RunSummary[] {
  const byId = new Map(s.runs.map((r) => [r.id, r]))
  return s.selectedIds.map((id) => byId.get(id)).filter((r): r is RunSummary => r !== undefined)
}

/**
 * Two runs can be compared when exactly two distinct runs are selected, both finished ok with metrics,
 * and both measure the same workload (comparing an order book with a backtest says nothing).
 */
export function canCompare(s: Pick<WorkbenchState, 'runs' | 'selectedIds'>): boolean {
  const selected = selectSelectedRuns(s)
  if (selected.length !== 2) return false
  const [a, b] = selected as [RunSummary, RunSummary]
  return (
    a.id !== b.id &&
    a.status === 'ok' &&
    b.status === 'ok' &&
    a.opsPerSec !== undefined &&
    b.opsPerSec !== undefined &&
    a.workload.id === b.workload.id
  )
}

const liveList = memoize((order: readonly RunId[], runs: Record<RunId, LiveRun>) =>
  order.map((id) => runs[id]).filter((r): r is LiveRun => r !== undefined),
)

/** Live runs, newest first. */
export const selectLiveRuns = (s: Pick<WorkbenchState, 'liveOrder' | 'liveRuns'>): LiveRun[] => liveList(s.liveOrder, s.liveRuns)

/** How many runs are still going (the nav badge). */
export function countActiveRuns(s: Pick<WorkbenchState, 'liveRuns'>): number {
  let n = 0
  for (const r of Object.values(s.liveRuns)) if (r.status === 'running') n++
  return n
}

export function selectLaunchWorkload(s: Pick<WorkbenchState, 'workloads' | 'launchWorkloadId'>): WorkloadDescriptor | undefined {
  return s.workloads.find((w) => w.id === s.launchWorkloadId)
}

export function selectLaunchDraft(s: Pick<WorkbenchState, 'drafts' | 'launchWorkloadId'>): LaunchDraft | undefined {
  return s.launchWorkloadId ? s.drafts[s.launchWorkloadId] : undefined
}
