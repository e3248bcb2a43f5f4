/**
 * The flame graph of a call tree (CPU time or allocated bytes): toolbar (orientation, aggregated or
 * time-ordered layout, search, reset), breadcrumb of the focused frame, the canvas, and a legend.
 * Selection is controlled by the parent so it stays linked with the call tree table.
 */
import { type KeyboardEvent, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import type { FlameRows } from '../../../../core/analysis/flame-graph.js'
import { FUNCTION_CATEGORIES } from '../../../../core/analysis/categories.js'
import { formatDurationMs } from '../../../../core/format/duration.js'
import { formatInteger, formatPct } from '../../../../core/format/number.js'
import {
  type CallTree,
  type CallTreeUnit,
  type FunctionIndex,
  getFunctionLocation,
  getFunctionName,
  getNodePath,
  getTreeTotal,
} from '../../../../core/model/call-tree.js'
import type { NodeIndex } from '../../../../core/model/units.js'
import type { DrawStats } from './draw-flame-graph.js'
import { FlameCanvas, type FlameCanvasHandle, type TooltipContent } from './FlameCanvas.js'
import { CATEGORY_LABELS, type FlameTheme, PALETTES, categorySwatch, computeFunctionColors } from './flame-colors.js'
import { formatShare, formatTreeValue } from './format-value.js'
import type { FlameBox } from './hit-test.js'
import { searchTree } from './search.js'
import { useFlameTheme } from './use-flame-theme.js'
import type { FlameOrientation } from './viewport.js'
import './flame-graph.css'

/** How to zoom, shown in the toolbar: a plain wheel scrolls the page. */
const ZOOM_HINT = /Mac|iPhone|iPad/.test(typeof navigator === 'undefined' ? '' : navigator.platform) ? '⌘+wheel zooms' : 'Ctrl+wheel zooms'

export interface FlameGraphProps {
  tree: CallTree
  /** computeFlameRows(tree): the aggregated, left-heavy layout. */
  rows: FlameRows
  /** computeStackChart(tree): the time-ordered layout, when already at hand. */
  stackChart?: FlameRows | null
  /**
   * Loads the time-ordered layout when it is first asked for, e.g.
   * `() => client.stackChart({ profileId }).then((r) => r.view)`. Without this or `stackChart`, or when
   * the tree has no sample timeline (allocation profiles), the layout toggle is hidden.
   */
  loadStackChart?: () => Promise<FlameRows | null>
  /** 'ms' for CPU profiles, 'bytes' for allocation profiles. */
  unit: CallTreeUnit
  selectedNode: NodeIndex | null
  onSelect: (node: NodeIndex | null) => void
  /** Defaults to the system preference. */
  theme?: FlameTheme
  initialOrientation?: FlameOrientation
  /** Right click (or Shift+F10) on a frame, after it is selected: e.g. open the transforms menu there. */
  onNodeContextMenu?: (node: NodeIndex, at: { x: number; y: number }) => void
  /** Called after each frame is drawn (benchmarks). */
  onFrameDrawn?: (stats: DrawStats) => void
  /** Opens the source view of a function (CPU profiles): a "Source" button for the selected frame, and the `o` key. */
  onOpenSource?: (fn: FunctionIndex) => void
}

type Layout = 'aggregated' | 'time'

export function FlameGraph(props: FlameGraphProps) {
  const { tree, unit, selectedNode, onSelect } = props
  const theme = useFlameTheme(props.theme)
  const palette = PALETTES[theme]
  const [orientation, setOrientation] = useState<FlameOrientation>(props.initialOrientation ?? 'icicle')
  const [layout, setLayout] = useState<Layout>('aggregated')
  const [query, setQuery] = useState('')
  // The focused (zoomed-onto) frame belongs to one layout: switching layouts or trees drops it.
  const [focus, setFocus] = useState<{ rows: FlameRows; node: NodeIndex } | null>(null)
  const canvasRef = useRef<FlameCanvasHandle>(null)
  const searchRef = useRef<HTMLInputElement>(null)

  // A loaded stack chart belongs to the tree it was loaded for; null means the load gave nothing.
  const [loadedChart, setLoadedChart] = useState<{ tree: CallTree; rows: FlameRows | null } | null>(null)
  const { loadStackChart } = props
  const chartLoaded = loadedChart !== null && loadedChart.tree === tree
  const stackChart = props.stackChart ?? (chartLoaded ? loadedChart.rows : undefined)
  const canShowTime = tree.timeline !== undefined && (props.stackChart ? true : loadStackChart !== undefined && stackChart !== null)
  useEffect(() => {
    if (layout !== 'time' || props.stackChart || !loadStackChart || chartLoaded) return
    let cancelled = false
    loadStackChart().then(
      (rows) => !cancelled && setLoadedChart({ tree, rows }),
      () => !cancelled && setLoadedChart({ tree, rows: null }),
    )
    return () => {
      cancelled = true
    }
  }, [layout, tree, props.stackChart, loadStackChart, chartLoaded])
  const timeRows = layout === 'time' && stackChart ? stackChart : null
  const timeLoading = layout === 'time' && canShowTime && stackChart === undefined
  const rows = timeRows ?? props.rows
  const total = getTreeTotal(tree)
  const { nodes, functions } = tree

  const colors = useMemo(() => computeFunctionColors(functions, theme), [functions, theme])
  const colorOf = useCallback((node: NodeIndex) => colors.normal(nodes.func[node]!), [colors, nodes])
  const dimmedColorOf = useCallback((node: NodeIndex) => colors.dimmed(nodes.func[node]!), [colors, nodes])
  const labelOf = useCallback((node: NodeIndex) => getFunctionName(functions, nodes.func[node]!), [functions, nodes])
  const depthOf = useCallback((node: NodeIndex) => nodes.depth[node]!, [nodes])

  // Typing stays responsive on big trees: the search runs on the deferred query.
  const deferredQuery = useDeferredValue(query)
  const search = useMemo(() => searchTree(tree, deferredQuery), [tree, deferredQuery])

  const describeBox = useCallback(
    (box: FlameBox): TooltipContent => {
      const n = box.node
      const fn = nodes.func[n]!
      const bytes = unit === 'bytes'
      const lines: TooltipContent['lines'] = [
        [bytes ? 'Self size' : 'Self', `${formatTreeValue(nodes.self[n]!, unit)} (${formatShare(nodes.self[n]!, total)})`],
        [bytes ? 'Total size' : 'Total', `${formatTreeValue(nodes.total[n]!, unit)} (${formatShare(nodes.total[n]!, total)})`],
        [
          bytes ? 'Allocations sampled' : 'Samples',
          `${formatInteger(nodes.selfSamples[n]!)} self, ${formatInteger(nodes.totalSamples[n]!)} total`,
        ],
      ]
      if (timeRows) {
        const row = timeRows.rows[box.depth]!
        const start = (timeRows.startMs ?? 0) + row.start[box.index]! * timeRows.span
        const duration = (row.end[box.index]! - row.start[box.index]!) * timeRows.span
        lines.push(['This stretch', `${formatDurationMs(duration)} from ${formatDurationMs(start)}`])
      }
      lines.push(['Category', CATEGORY_LABELS[functions.category[fn]!] ?? functions.category[fn]!])
      lines.push(['Location', getFunctionLocation(functions, fn) || '(no script)'])
      if (props.onOpenSource && functions.url[fn]) lines.push(['Source', 'click to select, then Source (o)'])
      return { title: getFunctionName(functions, fn), swatch: colors.normal(fn), lines }
    },
    [nodes, functions, unit, total, timeRows, colors, props.onOpenSource],
  )

  const onCanvasSelect = useCallback((node: NodeIndex | null) => onSelect(node), [onSelect])
  const onFocusBox = useCallback((box: FlameBox | null) => setFocus(box ? { rows, node: box.node } : null), [rows])
  const focusNode = (node: NodeIndex): void => {
    if (canvasRef.current?.focusNode(node, nodes.depth[node]!)) setFocus({ rows, node })
  }

  const focusPath = focus && focus.rows === rows && focus.node < nodes.length ? getNodePath(tree, focus.node) : []

  const jumpToHeaviestMatch = (): void => {
    if (!search || search.heaviest < 0) return
    onSelect(search.heaviest)
    focusNode(search.heaviest)
  }

  const sourceFn =
    props.onOpenSource && selectedNode !== null && selectedNode < nodes.length && functions.url[nodes.func[selectedNode]!] ? nodes.func[selectedNode]! : null

  const onRootKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === '/' && event.target !== searchRef.current) {
      event.preventDefault()
      searchRef.current?.focus()
    }
    if (event.key === 'o' && sourceFn !== null && event.target !== searchRef.current) {
      event.preventDefault()
      props.onOpenSource?.(sourceFn)
    }
  }

  const selectedSummary =
    selectedNode !== null && selectedNode < nodes.length
      ? `${getFunctionName(functions, nodes.func[selectedNode]!)}: ${formatTreeValue(nodes.total[selectedNode]!, unit)} total (${formatShare(
          nodes.total[selectedNode]!,
          total,
        )}), ${formatTreeValue(nodes.self[selectedNode]!, unit)} self`
      : null

  return (
    <div
      className="hp-flame"
      data-theme={theme}
      data-layout={timeRows ? 'time' : timeLoading ? 'loading' : 'aggregated'}
      onKeyDown={onRootKeyDown}
    >
      <div className="hp-flame-toolbar" role="toolbar" aria-label="Flame graph controls">
        <div className="hp-segmented" role="group" aria-label="Orientation">
          <button type="button" aria-pressed={orientation === 'icicle'} onClick={() => setOrientation('icicle')} title="Root at the top">
            Icicle
          </button>
          <button type="button" aria-pressed={orientation === 'flame'} onClick={() => setOrientation('flame')} title="Root at the bottom">
            Flame
          </button>
        </div>
        {canShowTime ? (
          <div className="hp-segmented" role="group" aria-label="Layout">
            <button
              type="button"
              aria-pressed={layout === 'aggregated'}
              onClick={() => setLayout('aggregated')}
              title="Identical stacks merged, heaviest first"
            >
              Aggregated
            </button>
            <button
              type="button"
              aria-pressed={layout === 'time'}
              onClick={() => setLayout('time')}
              title="Stack chart: samples in time order"
            >
              {timeLoading ? 'Time order…' : 'Time order'}
            </button>
          </div>
        ) : null}
        <input
          ref={searchRef}
          className="hp-flame-search"
          type="search"
          placeholder="Search functions or files ( / )"
          aria-label="Search functions"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') jumpToHeaviestMatch()
            if (e.key === 'Escape') setQuery('')
          }}
        />
        {search ? (
          <span className="hp-flame-matches" aria-live="polite">
            {search.nodeCount === 0
              ? 'No matches'
              : `${formatInteger(search.nodeCount)} ${search.nodeCount === 1 ? 'match' : 'matches'}, ${formatPct(search.totalShare)} of total`}
          </span>
        ) : null}
        <span className="hp-flame-spacer" />
        <span className="hp-flame-hint">{ZOOM_HINT}</span>
        <button type="button" onClick={() => canvasRef.current?.resetZoom()} title="Show the whole graph (0)">
          Reset zoom
        </button>
      </div>
      <nav className="hp-flame-breadcrumb" aria-label="Focused frame">
        <button type="button" onClick={() => canvasRef.current?.resetZoom()} aria-current={focusPath.length === 0 ? 'true' : undefined}>
          All ({formatTreeValue(total, unit)})
        </button>
        {focusPath.slice(1).map((node, i, path) => (
          <span key={node} className="hp-flame-crumb">
            <span aria-hidden="true">›</span>
            <button type="button" aria-current={i === path.length - 1 ? 'true' : undefined} onClick={() => focusNode(node)}>
              {getFunctionName(functions, nodes.func[node]!)}
            </button>
          </span>
        ))}
      </nav>
      <FlameCanvas
        ref={canvasRef}
        rows={rows}
        orientation={orientation}
        palette={palette}
        colorOf={colorOf}
        dimmedColorOf={dimmedColorOf}
        labelOf={labelOf}
        depthOf={depthOf}
        matches={search ? search.nodeMatches : null}
        selectedNode={selectedNode}
        onSelect={onCanvasSelect}
        onFocusBox={onFocusBox}
        describeBox={describeBox}
        {...(props.onNodeContextMenu
          ? { onContextMenuBox: (box: FlameBox, at: { x: number; y: number }) => props.onNodeContextMenu?.(box.node, at) }
          : {})}
        onFrameDrawn={props.onFrameDrawn}
        ariaLabel={`${unit === 'bytes' ? 'Allocation' : 'CPU'} flame graph. Arrow keys move the selection, + and − zoom, 0 resets, Enter focuses, Escape clears.`}
      />
      <div className="hp-flame-footer">
        <ul className="hp-flame-legend" aria-label="Colours">
          {FUNCTION_CATEGORIES.map((c) => (
            <li key={c}>
              <span className="hp-swatch" style={{ background: categorySwatch(c, theme) }} />
              {CATEGORY_LABELS[c]}
            </li>
          ))}
        </ul>
        {selectedSummary ? <span className="hp-flame-selected">{selectedSummary}</span> : null}
        {sourceFn !== null ? (
          <button
            type="button"
            className="hp-flame-source"
            onClick={() => props.onOpenSource?.(sourceFn)}
            title="Open the source with self time per line (o)"
            aria-label={`Source of ${getFunctionName(functions, sourceFn)}`}
          >
            Source
          </button>
        ) : null}
      </div>
    </div>
  )
}
