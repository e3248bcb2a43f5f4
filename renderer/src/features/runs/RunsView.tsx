/**
 * The runs library: search, filters, sortable columns, a virtualized list (thousands of runs), multi-
 * select with checkboxes and shift-click, and the actions on runs: open, edit, delete, import, export.
 * Keyboard: arrows/PageUp/PageDown/Home/End move, Space selects, Enter opens, Delete deletes, / searches.
 */
import { type KeyboardEvent, type MouseEvent, type ReactNode, memo, useCallback, useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatDuration } from '../../../../core/format/duration.js'
import { formatOpsPerSec } from '../../../../core/format/number.js'
import type { RunId, RunStatus, RunSummary } from '../../../../core/model/run.js'
import { ConfirmDialog } from '../../components/Dialog.js'
import { Icon } from '../../components/Icon.js'
import { EmptyState, ErrorBox, StatusBadge, Tags } from '../../components/StatusBadge.js'
import { VirtualList, type VirtualListHandle } from '../../components/VirtualList.js'
import { downloadBytes, exportFileName } from '../../lib/download.js'
import { errorMessage } from '../../lib/errors.js'
import { formatRelativeDate, formatRunDate } from '../../lib/progress.js'
import { type ListKey, moveFocus } from '../../lib/windowing.js'
import { formatHash } from '../../lib/route.js'
import { defaultSortDir, isFiltered, selectFacets, selectVisibleRuns } from '../../state/selectors.js'
import type { SortKey } from '../../state/slices/view.js'
import { useWorkbench, useWorkbenchStore } from '../../state/store.js'
import { oldestFirst } from '../compare/compare-model.js'
import { EditRunDialog } from './EditRunDialog.js'
import { IMPORT_ACCEPT } from './import-files.js'
import { useImportFiles } from './use-import.js'

const ROW_HEIGHT = 40
const NAV_KEYS = new Set<string>(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'])

/** Whether a key event comes from a text field (where "/" and Delete mean typing, not commands). */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
}

export function RunsView(): ReactNode {
  const store = useWorkbenchStore()
  const s = useWorkbench(
    useShallow((st) => ({
      allCount: st.runs.length,
      total: st.runsTotal,
      loadingMore: st.loadingMoreRuns,
      visible: selectVisibleRuns(st),
      facets: selectFacets(st),
      query: st.runsQuery,
      status: st.runsStatus,
      error: st.runsError,
      selectedIds: st.selectedIds,
      focusedId: st.focusedId,
      importing: st.importing,
    })),
  )
  const importFiles = useImportFiles()
  const list = useRef<VirtualListHandle>(null)
  const search = useRef<HTMLInputElement>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const [editing, setEditing] = useState<RunSummary | null>(null)
  const [deleting, setDeleting] = useState<RunId[] | null>(null)
  const [deleteBusy, setDeleteBusy] = useState(false)
  const [deleteError, setDeleteError] = useState<string | null>(null)
  const [exporting, setExporting] = useState(false)

  const selected = new Set(s.selectedIds)
  const focusedIndex = s.focusedId ? s.visible.findIndex((r) => r.id === s.focusedId) : -1
  const actions = store.getState()

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent): void => {
      if (e.key === '/' && !isTyping(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault()
        search.current?.focus()
        search.current?.select()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  // Search and filters run in the engine (listRunPage's RunFilter); typing waits for a pause first.
  const filterKey = JSON.stringify([s.query.text, s.query.workload, s.query.variant, s.query.tag, s.query.machine, s.query.status])
  useEffect(() => {
    const t = setTimeout(() => void store.getState().syncRunsFilter(), 200)
    return () => clearTimeout(t)
  }, [filterKey, store])
  const onWindowEnd = useCallback(
    (end: number) => {
      const st = store.getState()
      if (end >= st.runs.length - 60 && st.runs.length < st.runsTotal) void st.loadMoreRuns()
    },
    [store],
  )

  const open = (id: RunId): void => actions.navigate({ view: 'run', runId: id })
  const focusIndex = (i: number): void => {
    const run = s.visible[i]
    if (!run) return
    actions.focusRun(run.id)
    list.current?.scrollToRow(i)
  }
  const askDelete = (ids: RunId[]): void => {
    if (ids.length === 0) return
    setDeleteError(null)
    setDeleting(ids)
  }
  const askDeleteOne = (run: RunSummary): void => askDelete([run.id])
  const targetIds = (): RunId[] => (s.selectedIds.length > 0 ? s.selectedIds : s.focusedId ? [s.focusedId] : [])

  const onListKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (isTyping(e.target)) return
    if (NAV_KEYS.has(e.key)) {
      e.preventDefault()
      // End (and Ctrl+End) at the last loaded row also fetches the next page.
      if (e.key === 'End') void store.getState().loadMoreRuns()
      const next = moveFocus(e.key as ListKey, focusedIndex, s.visible.length, list.current?.pageSize() ?? 10)
      if (next >= 0) {
        if (e.shiftKey && s.visible[next]) {
          // Shift+arrows extend the selection like shift-click.
          if (!store.getState().anchorId && s.visible[focusedIndex]) actions.toggleSelected(s.visible[focusedIndex].id)
          actions.selectRange(
            s.visible.map((r) => r.id),
            s.visible[next].id,
          )
        }
        focusIndex(next)
      }
      return
    }
    const focused = s.visible[focusedIndex]
    if (e.key === 'Enter' && focused) {
      e.preventDefault()
      open(focused.id)
    } else if (e.key === ' ' && focused) {
      e.preventDefault()
      if (e.shiftKey)
        actions.selectRange(
          s.visible.map((r) => r.id),
          focused.id,
        )
      else actions.toggleSelected(focused.id)
    } else if (e.key === 'Delete' || (e.key === 'Backspace' && (e.metaKey || e.ctrlKey))) {
      e.preventDefault()
      askDelete(targetIds())
    } else if ((e.key === 'a' || e.key === 'A') && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      actions.setSelection(s.visible.map((r) => r.id))
    } else if (e.key === 'Escape' && s.selectedIds.length > 0) {
      e.preventDefault()
      actions.clearSelection()
    } else if ((e.key === 'e' || e.key === 'F2') && focused && !e.ctrlKey && !e.metaKey) {
      e.preventDefault()
      setEditing(focused)
    }
  }

  const onRowClick = (e: MouseEvent, run: RunSummary): void => {
    actions.focusRun(run.id)
    if (e.shiftKey) {
      e.preventDefault()
      actions.selectRange(
        s.visible.map((r) => r.id),
        run.id,
      )
    } else if (e.ctrlKey || e.metaKey) {
      actions.toggleSelected(run.id)
    } else {
      open(run.id)
    }
  }

  const onCheckbox = (e: MouseEvent<HTMLInputElement>, run: RunSummary): void => {
    e.stopPropagation()
    actions.focusRun(run.id)
    if (e.shiftKey) {
      e.preventDefault()
      actions.selectRange(
        s.visible.map((r) => r.id),
        run.id,
      )
    } else actions.toggleSelected(run.id)
  }

  const doExport = async (): Promise<void> => {
    const ids = s.selectedIds
    if (ids.length === 0) return
    setExporting(true)
    try {
      const bytes = await actions.exportRuns(ids)
      downloadBytes(bytes, exportFileName(`hotpath-${ids.length}-run${ids.length === 1 ? '' : 's'}`, 'tgz'), 'application/gzip')
      actions.showNotice({ kind: 'success', text: `Exported ${ids.length} run${ids.length === 1 ? '' : 's'} as a bundle.` })
    } catch (err) {
      actions.showNotice({ kind: 'error', text: `Export failed: ${errorMessage(err)}` })
    } finally {
      setExporting(false)
    }
  }

  const doDelete = async (): Promise<void> => {
    if (!deleting) return
    setDeleteBusy(true)
    setDeleteError(null)
    const outcome = await actions.deleteRuns(deleting)
    setDeleteBusy(false)
    if (outcome.failed.length > 0) {
      setDeleting(outcome.failed.map((f) => f.id))
      setDeleteError(
        `${outcome.deleted.length} deleted; ${outcome.failed.length} could not be: ${outcome.failed.map((f) => f.message).join('; ')}`,
      )
      return
    }
    setDeleting(null)
    actions.showNotice({ kind: 'success', text: `Deleted ${outcome.deleted.length} run${outcome.deleted.length === 1 ? '' : 's'}.` })
  }

  const sortBy = (key: SortKey): void => {
    const current = s.query.sort
    actions.setRunsQuery({ sort: { key, dir: current.key === key ? (current.dir === 'asc' ? 'desc' : 'asc') : defaultSortDir(key) } })
  }

  const filtered = isFiltered(s.query)
  // Compare: the oldest selected run is the baseline (the compare view lets you pick another).
  const compareSelected = (): void => {
    const byId = new Map(s.visible.map((r) => [r.id, r]))
    const runs = s.selectedIds.map((id) => byId.get(id) ?? store.getState().runs.find((r) => r.id === id)).filter((r): r is RunSummary => !!r)
    actions.navigate({ view: 'compare', ids: oldestFirst(runs).map((r) => r.id).slice(0, 20) })
  }
  // The sweep the button opens, without filtering first: the selected runs' group, else the focused run's,
  // else the newest group in the list.
  const sweepGroup = sweepGroupFor(s.visible, s.selectedIds, s.focusedId)
  const allVisibleSelected = s.visible.length > 0 && s.visible.every((r) => selected.has(r.id))

  return (
    <section className="view view-runs" aria-labelledby="runs-title">
      <header className="view-header">
        <div>
          <h1 id="runs-title">Runs</h1>
          <p className="view-subtitle">Every run saved in this store. Click to open; select several to compare, export or delete.</p>
        </div>
        <div className="view-actions">
          <input
            ref={fileInput}
            type="file"
            accept={IMPORT_ACCEPT}
            multiple
            hidden
            data-testid="import-input"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? [])
              e.target.value = ''
              if (files.length > 0) void importFiles(files)
            }}
          />
          <button type="button" className="btn" onClick={() => fileInput.current?.click()} disabled={s.importing}>
            <Icon name="upload" /> {s.importing ? 'Importing…' : 'Import…'}
          </button>
          {sweepGroup ? (
            <button
              type="button"
              className="btn"
              title={`Open the sweep view of ${sweepGroup}`}
              onClick={() => actions.navigate({ view: 'sweep', group: sweepGroup })}
            >
              <Icon name="live" /> Sweep
            </button>
          ) : null}
          <button
            type="button"
            className="btn btn-primary"
            onClick={compareSelected}
            disabled={s.selectedIds.length < 2 || s.selectedIds.length > 20}
            title={s.selectedIds.length < 2 ? 'Select two or more runs to compare' : undefined}
          >
            <Icon name="copy" /> Compare{s.selectedIds.length >= 2 ? ` ${s.selectedIds.length}` : ''}
          </button>
          <button type="button" className="btn" onClick={() => void doExport()} disabled={s.selectedIds.length === 0 || exporting}>
            <Icon name="download" /> {exporting ? 'Exporting…' : `Export${s.selectedIds.length > 0 ? ` ${s.selectedIds.length}` : ''}`}
          </button>
          <button
            type="button"
            className="btn btn-danger-ghost"
            onClick={() => askDelete(s.selectedIds)}
            disabled={s.selectedIds.length === 0}
          >
            <Icon name="trash" /> Delete{s.selectedIds.length > 0 ? ` ${s.selectedIds.length}` : ''}
          </button>
        </div>
      </header>

      <div className="toolbar" role="search">
        <div className="search">
          <Icon name="search" />
          <input
            ref={search}
            type="search"
            placeholder="Search label, workload, tag or id"
            aria-label="Search runs"
            value={s.query.text}
            onChange={(e) => actions.setRunsQuery({ text: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' && s.visible.length > 0) {
                e.preventDefault()
                list.current?.element()?.focus()
                focusIndex(Math.max(0, focusedIndex))
              } else if (e.key === 'Escape') {
                actions.setRunsQuery({ text: '' })
              }
            }}
          />
          <kbd className="search-key">/</kbd>
        </div>
        <FilterSelect
          label="Workload"
          all="All workloads"
          value={s.query.workload}
          options={s.facets.workloads}
          onChange={(workload) => actions.setRunsQuery({ workload, variant: null })}
        />
        <FilterSelect
          label="Variant"
          all="All variants"
          value={s.query.variant}
          options={s.facets.variants}
          onChange={(variant) => actions.setRunsQuery({ variant })}
        />
        <FilterSelect
          label="Tag"
          all="All tags"
          value={s.query.tag}
          options={s.facets.tags}
          onChange={(tag) => actions.setRunsQuery({ tag })}
        />
        <FilterSelect
          label="Machine"
          all="All machines"
          value={s.query.machine}
          options={s.facets.machines}
          onChange={(machine) => actions.setRunsQuery({ machine })}
        />
        <FilterSelect
          label="Status"
          all="Any status"
          value={s.query.status}
          options={s.facets.statuses}
          onChange={(status) => actions.setRunsQuery({ status: status as RunStatus | null })}
        />
        {filtered ? (
          <button type="button" className="link-btn" onClick={actions.resetRunsFilters}>
            Clear filters
          </button>
        ) : null}
      </div>

      {s.status === 'error' && s.allCount === 0 ? (
        <div className="view-body">
          <ErrorBox title="Could not load the runs" onRetry={() => void actions.loadRuns()}>
            {s.error}
          </ErrorBox>
        </div>
      ) : (
        <div className="table runs-table" role="grid" aria-label="Runs" aria-rowcount={s.visible.length + 1} aria-multiselectable="true">
          <div className="table-head runs-grid" role="row" aria-rowindex={1}>
            <span role="columnheader" className="cell-check">
              <input
                type="checkbox"
                aria-label={allVisibleSelected ? 'Unselect all shown runs' : 'Select all shown runs'}
                checked={allVisibleSelected}
                ref={(el) => {
                  if (el) el.indeterminate = !allVisibleSelected && s.visible.some((r) => selected.has(r.id))
                }}
                onChange={() =>
                  allVisibleSelected ? actions.clearSelection() : actions.setSelection([...s.selectedIds, ...s.visible.map((r) => r.id)])
                }
                disabled={s.visible.length === 0}
              />
            </span>
            <span role="columnheader">Status</span>
            <span role="columnheader">Label</span>
            <SortHeader label="Workload" sortKey="workload" sort={s.query.sort} onSort={sortBy} />
            <SortHeader label="Throughput" sortKey="opsPerSec" sort={s.query.sort} onSort={sortBy} numeric />
            <SortHeader label="p99" sortKey="p99" sort={s.query.sort} onSort={sortBy} numeric />
            <span role="columnheader">Machine</span>
            <SortHeader label="Date" sortKey="date" sort={s.query.sort} onSort={sortBy} />
            <span role="columnheader" className="sr-only">
              Actions
            </span>
          </div>
          <VirtualList
            ref={list}
            className="table-body"
            role="rowgroup"
            ariaLabel="Run rows"
            tabIndex={0}
            rowCount={s.visible.length}
            rowHeight={ROW_HEIGHT}
            rowKey={(i) => s.visible[i]?.id ?? String(i)}
            onKeyDown={onListKeyDown}
            onWindowEnd={onWindowEnd}
            onFocus={(e) => {
              if (e.target === e.currentTarget && focusedIndex < 0 && s.visible.length > 0) focusIndex(0)
            }}
            empty={
              s.status !== 'ready' ? (
                <p className="muted pad">Loading runs…</p>
              ) : s.allCount === 0 ? (
                <EmptyState title="No runs yet. Launch a workload, or import a bundle.">
                  <div className="empty-actions">
                    <button type="button" className="btn btn-primary" onClick={() => actions.navigate({ view: 'launch' })}>
                      <Icon name="launch" /> Launch a workload
                    </button>
                    <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
                      <Icon name="upload" /> Import a bundle
                    </button>
                  </div>
                  <p className="muted">You can also drop .tgz, .cpuprofile, .heapsnapshot or .heapprofile files anywhere on this window.</p>
                </EmptyState>
              ) : (
                <EmptyState title="No runs match.">
                  <button type="button" className="btn" onClick={actions.resetRunsFilters}>
                    Clear search and filters
                  </button>
                </EmptyState>
              )
            }
            renderRow={(i) => {
              const run = s.visible[i] as RunSummary
              return (
                <RunRow
                  run={run}
                  index={i}
                  selected={selected.has(run.id)}
                  focused={run.id === s.focusedId}
                  onClick={onRowClick}
                  onCheckbox={onCheckbox}
                  onEdit={setEditing}
                  onDelete={askDeleteOne}
                />
              )
            }}
          />
          <div className="table-foot" aria-live="polite">
            <span data-testid="runs-count">
              {s.allCount < s.total
                ? `${s.allCount.toLocaleString('en-US')} of ${s.total.toLocaleString('en-US')} ${filtered ? 'matching ' : ''}runs loaded${s.loadingMore ? ', loading more…' : ''}`
                : `${s.total.toLocaleString('en-US')} ${filtered ? 'matching ' : ''}runs`}
              {(s.query.sort.key !== 'date' || s.query.sort.dir !== 'desc') && s.allCount < s.total ? ' · sorted among loaded runs' : ''}
            </span>
            {s.selectedIds.length > 0 ? (
              <span>
                {s.selectedIds.length} selected ·{' '}
                <button type="button" className="link-btn" onClick={actions.clearSelection}>
                  clear
                </button>
              </span>
            ) : null}
            <span className="muted keys-hint">
              <kbd>↑</kbd>
              <kbd>↓</kbd> move · <kbd>Space</kbd> select · <kbd>Enter</kbd> open · <kbd>E</kbd> edit · <kbd>Del</kbd> delete
            </span>
          </div>
        </div>
      )}

      {editing ? <EditRunDialog run={editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <ConfirmDialog
          title={deleting.length === 1 ? 'Delete this run?' : `Delete ${deleting.length} runs?`}
          confirmLabel={deleting.length === 1 ? 'Delete run' : `Delete ${deleting.length} runs`}
          danger
          busy={deleteBusy}
          error={deleteError}
          onCancel={() => setDeleting(null)}
          onConfirm={() => void doDelete()}
        >
          <p>
            {deleting.length === 1 ? 'Its folder (run.json, profiles, snapshots) is' : 'Their folders (run.json, profiles, snapshots) are'}{' '}
            removed from the store. This cannot be undone; export a bundle first to keep a copy.
          </p>
          <ul className="delete-list">
            {deleting.slice(0, 6).map((id) => {
              const run = store.getState().runs.find((r) => r.id === id)
              return (
                <li key={id}>
                  <strong>{run?.label || id}</strong> <span className="muted mono small">{id}</span>
                </li>
              )
            })}
            {deleting.length > 6 ? <li className="muted">…and {deleting.length - 6} more</li> : null}
          </ul>
        </ConfirmDialog>
      ) : null}
    </section>
  )
}

function FilterSelect(props: {
  label: string
  all: string
  value: string | null
  options: readonly { value: string; count: number }[]
  onChange(v: string | null): void
}): ReactNode {
  const stale = props.value !== null && !props.options.some((o) => o.value === props.value)
  return (
    <select
      className={`filter ${props.value !== null ? 'active' : ''}`}
      aria-label={`Filter by ${props.label.toLowerCase()}`}
      value={props.value ?? ''}
      onChange={(e) => props.onChange(e.target.value === '' ? null : e.target.value)}
    >
      <option value="">{props.all}</option>
      {stale ? <option value={props.value ?? ''}>{props.value} (0)</option> : null}
      {props.options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.value} ({o.count})
        </option>
      ))}
    </select>
  )
}

function SortHeader(props: {
  label: string
  sortKey: SortKey
  sort: { key: SortKey; dir: 'asc' | 'desc' }
  onSort(k: SortKey): void
  numeric?: boolean
}): ReactNode {
  const active = props.sort.key === props.sortKey
  return (
    <span
      role="columnheader"
      aria-sort={active ? (props.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      className={props.numeric ? 'num' : ''}
    >
      <button type="button" className={`sort-btn ${active ? 'active' : ''}`} onClick={() => props.onSort(props.sortKey)}>
        {props.label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (props.sort.dir === 'asc' ? '↑' : '↓') : ''}
        </span>
      </button>
    </span>
  )
}

/** The group the Sweep button opens: the selected runs' (when they share one), the focused run's, else the newest in the list. */
export function sweepGroupFor(visible: readonly RunSummary[], selectedIds: readonly RunId[], focusedId: RunId | null): string | null {
  const byId = new Map(visible.map((r) => [r.id, r]))
  const selectedGroups = new Set(selectedIds.map((id) => byId.get(id)?.group))
  const [onlySelected] = selectedGroups
  if (selectedGroups.size === 1 && onlySelected) return onlySelected
  const focused = focusedId ? byId.get(focusedId)?.group : undefined
  if (focused) return focused
  // Run ids sort by time: the newest grouped run, whatever the list's sort.
  let newest: RunSummary | undefined
  for (const r of visible) if (r.group && (!newest || r.id > newest.id)) newest = r
  return newest?.group ?? null
}

/** The sweep (or other group) a run belongs to: a link to the sweep view of its group. */
function GroupChip({ group }: { group: string }): ReactNode {
  const navigate = useWorkbench((st) => st.navigate)
  return (
    <a
      className="tag tag-group"
      href={formatHash({ view: 'sweep', group })}
      title={`Part of ${group}: open the sweep view`}
      onClick={(e) => {
        e.preventDefault()
        e.stopPropagation()
        navigate({ view: 'sweep', group })
      }}
    >
      <Icon name="live" /> {group.startsWith('sweep-') ? 'sweep' : group}
    </a>
  )
}

interface RunRowProps {
  run: RunSummary
  index: number
  selected: boolean
  focused: boolean
  onClick(e: MouseEvent, run: RunSummary): void
  onCheckbox(e: MouseEvent<HTMLInputElement>, run: RunSummary): void
  onEdit(run: RunSummary): void
  onDelete(run: RunSummary): void
}

/**
 * Memoized: while scrolling, the rows that stay in view keep their props (the callbacks come from the
 * last render of the view, not from the scroll), so only rows entering the window render.
 */
const RunRow = memo(function RunRow({ run, index, selected, focused, onClick, onCheckbox, onEdit, onDelete }: RunRowProps): ReactNode {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`runs-grid run-row ${selected ? 'selected' : ''} ${focused ? 'focused' : ''}`}
      onClick={(e) => onClick(e, run)}
      onMouseDown={(e) => {
        // Shift-click extends the selection; it should not also select the row's text.
        if (e.shiftKey) e.preventDefault()
      }}
      data-run-id={run.id}
    >
      <span role="gridcell" className="cell-check">
        <input
          type="checkbox"
          checked={selected}
          aria-label={`Select ${run.label || run.id}`}
          onClick={(e) => onCheckbox(e, run)}
          onChange={() => {}}
          tabIndex={-1}
        />
      </span>
      <span role="gridcell">
        <StatusBadge status={run.status} />
      </span>
      <span role="gridcell" className="cell-label">
        <span className="run-label" title={run.label}>
          {run.label || <span className="muted">(no label)</span>}
        </span>
        {/* The kind first (tags that do not fit fade out after it), and not again as a tag of the same name. */}
        {run.kind === 'imported' ? <span className="tag tag-kind">imported</span> : null}
        <Tags tags={run.kind === 'imported' ? run.tags.filter((t) => t !== 'imported') : run.tags} />
        {run.group ? <GroupChip group={run.group} /> : null}
      </span>
      <span role="gridcell" className="cell-workload" title={`${run.workload.id} · ${run.workload.variant}`}>
        {run.workload.id} <span className="muted">· {run.workload.variant}</span>
      </span>
      <span role="gridcell" className="num">
        {run.opsPerSec !== undefined ? formatOpsPerSec(run.opsPerSec) : <span className="muted">–</span>}
      </span>
      <span role="gridcell" className="num">
        {run.p99Ns !== undefined ? formatDuration(run.p99Ns) : <span className="muted">–</span>}
      </span>
      <span role="gridcell" className="cell-machine muted" title={`${run.machine}, Node ${run.node}`}>
        {run.machine}
      </span>
      <span role="gridcell" className="cell-date" title={formatRunDate(run.createdAt)}>
        {formatRelativeDate(run.createdAt)}
      </span>
      <span role="gridcell" className="cell-actions">
        <button
          type="button"
          className="icon-btn"
          aria-label={`Edit ${run.label || run.id}`}
          title="Edit label, tags and notes (E)"
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation()
            onEdit(run)
          }}
        >
          <Icon name="edit" />
        </button>
        <button
          type="button"
          className="icon-btn danger"
          aria-label={`Delete ${run.label || run.id}`}
          title="Delete (Del)"
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation()
            onDelete(run)
          }}
        >
          <Icon name="trash" />
        </button>
      </span>
    </div>
  )
})
