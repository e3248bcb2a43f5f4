/**
 * One virtualized, sortable tree table over a CallTree (a WAI-ARIA treegrid): only the rows in view are
 * rendered, expansion is kept per tree, and the keyboard moves, opens and closes rows. CallTreeTable
 * uses it for the top-down, bottom-up, callers and callees views.
 */
import { type KeyboardEvent, type UIEvent, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react'
import { type CallTree, type CallTreeUnit, getFunctionLocation, getFunctionName } from '../../../../core/model/call-tree.js'
import type { NodeIndex } from '../../../../core/model/units.js'
import { type FlameTheme, categorySwatch } from '../flame-graph/flame-colors.js'
import { formatShare, formatTreeValue, shortLocation } from '../flame-graph/format-value.js'
import {
  type SortColumn,
  type TreeMode,
  type TreeSort,
  columnValues,
  defaultSort,
  expandHeaviestPath,
  expandTo,
  flattenTree,
  hasChildren,
  treeKeyAction,
} from './tree-rows.js'

/** Row height in CSS pixels (matches .hp-calltree-row). */
export const TREE_ROW_HEIGHT = 22
/** Rows rendered above and below the visible ones, so fast scrolling does not flash empty space. */
const OVERSCAN = 8
const INDENT_PX = 14

export interface TreeTableProps {
  tree: CallTree
  mode: TreeMode
  unit: CallTreeUnit
  /** The value 100% stands for (the whole profile's total). */
  basisTotal: number
  selectedNode: NodeIndex | null
  onSelectNode: (node: NodeIndex | null) => void
  /** The `s` key (and a double click with activateOnDoubleClick): e.g. open the sandwich of the row's function. */
  onActivate?: (node: NodeIndex) => void
  /** The row's "Source" button and the `o` key: open the source view of the row's function (CPU profiles). */
  onOpenSource?: (node: NodeIndex) => void
  /** Double click activates instead of opening or closing the row. */
  activateOnDoubleClick?: boolean
  /** Open the heaviest path when the tree first shows (sandwich panes). */
  expandHeaviestOnOpen?: boolean
  theme: FlameTheme
  label: string
  /** Shown when the tree has no rows. */
  emptyText?: string
  /** Right click on a row, or Shift+F10 on the selected one (after selecting it): where a menu should open. */
  onContextMenuNode?: (node: NodeIndex, at: { x: number; y: number }) => void
}

export function TreeTable(props: TreeTableProps) {
  const { tree, mode, unit, basisTotal, selectedNode, onSelectNode, theme } = props
  const values = useMemo(() => columnValues(tree, mode), [tree, mode])
  const [sort, setSort] = useState<TreeSort>(() => defaultSort(mode))
  // Expansion lives in a per-tree byte array mutated in place; `version` re-renders after a change.
  const expanded = useMemo(() => {
    const open = new Uint8Array(tree.nodes.length)
    if (tree.nodes.length > 0) open[0] = 1
    if (props.expandHeaviestOnOpen && tree.nodes.length > 1) expandHeaviestPath(tree, open, 0)
    return open
    // A new tree starts with only its root open (and its heaviest path when asked).
  }, [tree, props.expandHeaviestOnOpen])
  const [version, bump] = useReducer((v: number) => v + 1, 0)
  const rows = useMemo(
    () => flattenTree(tree, expanded, sort, values, false),
    // `version` stands for in-place changes of `expanded`.
    [tree, expanded, sort, values, version],
  )

  const bodyRef = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewHeight, setViewHeight] = useState(400)

  useEffect(() => {
    const body = bodyRef.current
    if (!body) return
    const observer = new ResizeObserver(() => setViewHeight(body.clientHeight))
    observer.observe(body)
    setViewHeight(body.clientHeight)
    return () => observer.disconnect()
  }, [])

  // A selection made elsewhere (the flame graph) opens the rows down to it.
  useLayoutEffect(() => {
    if (selectedNode === null || selectedNode >= tree.nodes.length) return
    let closed = false
    for (let p = tree.nodes.parent[selectedNode]!; p > 0; p = tree.nodes.parent[p]!) if (expanded[p] !== 1) closed = true
    if (closed) {
      expandTo(tree, expanded, selectedNode)
      bump()
    }
  }, [selectedNode, tree, expanded])

  const selectedRow = useMemo(() => {
    if (selectedNode === null) return -1
    for (let k = 0; k < rows.length; k++) if (rows.node[k] === selectedNode) return k
    return -1
  }, [rows, selectedNode])

  // Keep the selected row on screen when it changes.
  useLayoutEffect(() => {
    const body = bodyRef.current
    if (!body || selectedRow < 0) return
    const top = selectedRow * TREE_ROW_HEIGHT
    if (top < body.scrollTop) body.scrollTop = top
    else if (top + TREE_ROW_HEIGHT > body.scrollTop + body.clientHeight) body.scrollTop = top + TREE_ROW_HEIGHT - body.clientHeight
  }, [selectedRow])

  const toggle = (node: NodeIndex): void => {
    if (!hasChildren(tree, node)) return
    expanded[node] = expanded[node] === 1 ? 0 : 1
    bump()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if ((event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) && selectedNode !== null && props.onContextMenuNode) {
      event.preventDefault()
      const rect = event.currentTarget.getBoundingClientRect()
      const top = Math.max(0, selectedRow * TREE_ROW_HEIGHT - event.currentTarget.scrollTop)
      props.onContextMenuNode(selectedNode, { x: rect.left + 40, y: rect.top + Math.min(rect.height, top + TREE_ROW_HEIGHT) })
      return
    }
    if (event.key === 's' && selectedNode !== null) {
      props.onActivate?.(selectedNode)
      return
    }
    if (event.key === 'o' && selectedNode !== null && props.onOpenSource && tree.functions.url[tree.nodes.func[selectedNode]!]) {
      props.onOpenSource(selectedNode)
      return
    }
    if (event.key === 'Enter' || event.key === ' ') {
      if (selectedNode !== null) {
        event.preventDefault()
        toggle(selectedNode)
      }
      return
    }
    const pageSize = Math.max(1, Math.floor(viewHeight / TREE_ROW_HEIGHT) - 1)
    const action = treeKeyAction(event.key, rows, selectedNode, tree, expanded, pageSize, false)
    if (action.kind === 'none') return
    event.preventDefault()
    switch (action.kind) {
      case 'select':
        onSelectNode(action.node)
        break
      case 'expand':
        expanded[action.node] = 1
        bump()
        break
      case 'collapse':
        expanded[action.node] = 0
        bump()
        break
      case 'heaviest': {
        const leaf = expandHeaviestPath(tree, expanded, action.from)
        bump()
        onSelectNode(leaf === 0 ? null : leaf)
        break
      }
    }
  }

  const onSortClick = (column: SortColumn): void => {
    setSort((s) => (s.column === column ? { column, descending: !s.descending } : { column, descending: column !== 'name' }))
  }
  const sortMark = (column: SortColumn): string => (sort.column === column ? (sort.descending ? ' ▼' : ' ▲') : '')
  const ariaSort = (column: SortColumn): 'ascending' | 'descending' | 'none' =>
    sort.column === column ? (sort.descending ? 'descending' : 'ascending') : 'none'

  const first = Math.max(0, Math.floor(scrollTop / TREE_ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewHeight) / TREE_ROW_HEIGHT) + OVERSCAN)
  const { nodes, functions } = tree
  const selfLabel = mode === 'callers' ? '' : 'Self'
  const items = []
  for (let k = first; k < last; k++) {
    const node = rows.node[k]!
    const fn = nodes.func[node]!
    const self = values.self(node)
    const total = values.total(node)
    const open = expanded[node] === 1
    const parent = hasChildren(tree, node)
    const location = getFunctionLocation(functions, fn)
    items.push(
      <div
        key={node}
        className="hp-calltree-row"
        role="row"
        aria-level={rows.indent[k]! + 1}
        aria-expanded={parent ? open : undefined}
        aria-selected={node === selectedNode}
        style={{ top: k * TREE_ROW_HEIGHT }}
        onClick={() => onSelectNode(node)}
        onContextMenu={
          props.onContextMenuNode
            ? (e) => {
                e.preventDefault()
                onSelectNode(node)
                props.onContextMenuNode?.(node, { x: e.clientX, y: e.clientY })
              }
            : undefined
        }
        onDoubleClick={() => (props.onActivate && props.activateOnDoubleClick ? props.onActivate(node) : toggle(node))}
      >
        <span className="hp-calltree-num" role="gridcell">
          {self !== null ? formatTreeValue(self, unit) : ''}
        </span>
        <span className="hp-calltree-num hp-calltree-pct" role="gridcell">
          {self !== null ? formatShare(self, basisTotal) : ''}
        </span>
        <span className="hp-calltree-num" role="gridcell">
          {total !== null ? formatTreeValue(total, unit) : ''}
        </span>
        <span className="hp-calltree-num hp-calltree-pct" role="gridcell">
          {total !== null ? formatShare(total, basisTotal) : ''}
        </span>
        <span className="hp-calltree-name" role="gridcell" style={{ paddingLeft: 6 + rows.indent[k]! * INDENT_PX }}>
          <span
            className="hp-calltree-twisty"
            aria-hidden="true"
            onClick={(e) => {
              e.stopPropagation()
              toggle(node)
            }}
          >
            {parent ? (open ? '▾' : '▸') : ''}
          </span>
          <span className="hp-swatch" style={{ background: categorySwatch(functions.category[fn]!, theme) }} />
          <span className="hp-calltree-label">{getFunctionName(functions, fn)}</span>
        </span>
        <span role="gridcell" className="hp-muted hp-calltree-location" title={location}>
          <span className="hp-calltree-location-text">{shortLocation(location)}</span>
          {props.onOpenSource && functions.url[fn] ? (
            <button
              type="button"
              className="hp-calltree-source"
              aria-label={`Source of ${getFunctionName(functions, fn)}`}
              title="Open the source with self time per line (o)"
              onClick={(e) => {
                e.stopPropagation()
                onSelectNode(node)
                props.onOpenSource?.(node)
              }}
            >
              Source
            </button>
          ) : null}
        </span>
      </div>,
    )
  }

  return (
    <>
      <div className="hp-calltree-columns" role="row">
        <span className="hp-calltree-num" style={{ gridColumn: 'span 2' }} role="columnheader" aria-sort={ariaSort('self')}>
          {selfLabel ? (
            <button type="button" onClick={() => onSortClick('self')}>
              {selfLabel}
              {sortMark('self')}
            </button>
          ) : null}
        </span>
        <span className="hp-calltree-num" style={{ gridColumn: 'span 2' }} role="columnheader" aria-sort={ariaSort('total')}>
          <button type="button" onClick={() => onSortClick('total')}>
            Total{sortMark('total')}
          </button>
        </span>
        <span role="columnheader" aria-sort={ariaSort('name')}>
          <button type="button" onClick={() => onSortClick('name')}>
            Function{sortMark('name')}
          </button>
        </span>
        <span role="columnheader">Location</span>
      </div>
      <div
        ref={bodyRef}
        className="hp-calltree-body"
        role="treegrid"
        aria-label={props.label}
        aria-rowcount={rows.length}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop)}
      >
        {rows.length === 0 ? <div className="hp-calltree-empty">{props.emptyText ?? 'Nothing to show.'}</div> : null}
        <div style={{ height: rows.length * TREE_ROW_HEIGHT, position: 'relative' }}>{items}</div>
      </div>
    </>
  )
}
