/**
 * The call tree table: top-down, bottom-up and sandwich (callers above, callees below) views of one
 * profile, with the selection shared with the flame graph through `selectedNode` / `onSelect`
 * (always a node of the top-down tree, so both views agree on what is selected).
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { type Sandwich, computeBottomUp, computeSandwich } from '../../../../core/analysis/call-tree.js'
import {
  type CallTree,
  type CallTreeUnit,
  type FunctionIndex,
  getFunctionLocation,
  getFunctionName,
  getTreeTotal,
} from '../../../../core/model/call-tree.js'
import type { NodeIndex } from '../../../../core/model/units.js'
import type { FlameTheme } from '../flame-graph/flame-colors.js'
import { formatShare, formatTreeValue } from '../flame-graph/format-value.js'
import { useFlameTheme } from '../flame-graph/use-flame-theme.js'
import { TreeTable } from './TreeTable.js'
import { bottomUpRowOf, heaviestNodeByFunction } from './tree-rows.js'
import '../flame-graph/flame-graph.css'

export type CallTreeView = 'top-down' | 'bottom-up' | 'sandwich'

export interface CallTreeTableProps {
  tree: CallTree
  /** Defaults to the tree's unit. */
  unit?: CallTreeUnit
  /** A node of `tree` (top-down), shared with the flame graph. */
  selectedNode: NodeIndex | null
  onSelect: (node: NodeIndex | null) => void
  /** computeBottomUp(tree), when already at hand. */
  bottomUp?: CallTree | null
  /**
   * Loads the bottom-up tree when the view is first shown, e.g.
   * `() => client.bottomUp({ profileId }).then((r) => r.view)`. Without it or `bottomUp`, core's
   * computeBottomUp runs on the main thread (seconds on very deep profiles).
   */
  loadBottomUp?: () => Promise<CallTree>
  /**
   * Loads the sandwich of a function, e.g. `(fn) => client.sandwich({ profileId, fn })`; computed on the
   * main thread with core's computeSandwich when absent.
   */
  loadSandwich?: (fn: FunctionIndex) => Promise<Sandwich>
  initialView?: CallTreeView
  theme?: FlameTheme
  /** Opens the source view of a function of `tree` (or of the bottom-up, callers or callees tree shown); rows get a Source button. */
  onOpenSource?: (tree: CallTree, fn: FunctionIndex) => void
  /** Right click (or Shift+F10) on a top-down row, after it is selected: e.g. open the transforms menu. */
  onNodeContextMenu?: (node: NodeIndex, at: { x: number; y: number }) => void
  /** Right click (or Shift+F10) on a bottom-up row: the row's function (bottom-up paths are not call paths). */
  onFunctionContextMenu?: (fn: FunctionIndex, at: { x: number; y: number }) => void
}

type Loaded<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string }

/** The bottom-up tree: given, loaded once when first needed, or computed here. */
function useBottomUp(
  tree: CallTree,
  given: CallTree | null | undefined,
  enabled: boolean,
  load: CallTreeTableProps['loadBottomUp'],
): Loaded<CallTree> {
  const computed = useMemo(() => (!given && !load && enabled ? computeBottomUp(tree) : null), [tree, given, load, enabled])
  const [loaded, setLoaded] = useState<{ tree: CallTree; state: Loaded<CallTree> } | null>(null)
  const have = loaded !== null && loaded.tree === tree
  useEffect(() => {
    if (given || !load || !enabled || have) return
    let cancelled = false
    load().then(
      (value) => !cancelled && setLoaded({ tree, state: { status: 'ready', value } }),
      (err: unknown) =>
        !cancelled && setLoaded({ tree, state: { status: 'error', message: err instanceof Error ? err.message : String(err) } }),
    )
    return () => {
      cancelled = true
    }
  }, [tree, given, load, enabled, have])
  if (given) return { status: 'ready', value: given }
  if (computed) return { status: 'ready', value: computed }
  if (have) return loaded.state
  return enabled ? { status: 'loading' } : { status: 'idle' }
}

type SandwichState = Loaded<Sandwich>

/** The sandwich of `fn`, computed synchronously or loaded, and dropped when the tree or function changes. */
function useSandwich(tree: CallTree, fn: FunctionIndex | null, enabled: boolean, load: CallTreeTableProps['loadSandwich']): SandwichState {
  const computed = useMemo(() => (!load && enabled && fn !== null ? computeSandwich(tree, fn) : null), [tree, fn, enabled, load])
  const [loaded, setLoaded] = useState<{ tree: CallTree; fn: FunctionIndex; state: SandwichState } | null>(null)
  useEffect(() => {
    if (!load || !enabled || fn === null) return
    let cancelled = false
    load(fn).then(
      (value) => !cancelled && setLoaded({ tree, fn, state: { status: 'ready', value } }),
      (err: unknown) =>
        !cancelled && setLoaded({ tree, fn, state: { status: 'error', message: err instanceof Error ? err.message : String(err) } }),
    )
    return () => {
      cancelled = true
    }
  }, [tree, fn, enabled, load])
  if (!enabled || fn === null) return { status: 'idle' }
  if (computed) return { status: 'ready', value: computed }
  return loaded && loaded.tree === tree && loaded.fn === fn ? loaded.state : { status: 'loading' }
}

export function CallTreeTable(props: CallTreeTableProps) {
  const { tree, selectedNode, onSelect } = props
  const unit = props.unit ?? tree.unit
  const theme = useFlameTheme(props.theme)
  const [view, setView] = useState<CallTreeView>(props.initialView ?? 'top-down')
  const total = getTreeTotal(tree)

  const bottomUpState = useBottomUp(tree, props.bottomUp, view === 'bottom-up', props.loadBottomUp)
  const bottomUp = bottomUpState.status === 'ready' ? bottomUpState.value : null
  const heaviestNode = useMemo(() => heaviestNodeByFunction(tree), [tree])
  const selectedFn = selectedNode !== null && selectedNode < tree.nodes.length ? tree.nodes.func[selectedNode]! : null

  /** Selecting a function anywhere but the top-down view selects its heaviest top-down node. */
  const selectFunction = useCallback(
    (fn: FunctionIndex) => {
      const node = heaviestNode[fn] ?? -1
      onSelect(node >= 0 ? node : null)
    },
    [heaviestNode, onSelect],
  )

  // The bottom-up row the user picked, kept while it still shows the selected function; otherwise the
  // function's root-level row.
  const [bottomUpPick, setBottomUpPick] = useState<{ tree: CallTree; node: NodeIndex } | null>(null)
  let bottomUpSelected: NodeIndex | null = null
  if (bottomUp && selectedFn !== null) {
    if (bottomUpPick && bottomUpPick.tree === bottomUp && bottomUp.nodes.func[bottomUpPick.node] === selectedFn)
      bottomUpSelected = bottomUpPick.node
    else {
      const row = bottomUpRowOf(bottomUp, selectedFn)
      bottomUpSelected = row >= 0 ? row : null
    }
  }

  const sandwich = useSandwich(tree, selectedFn, view === 'sandwich', props.loadSandwich)
  const [callerPick, setCallerPick] = useState<NodeIndex | null>(null)
  const [calleePick, setCalleePick] = useState<NodeIndex | null>(null)
  const openSandwich = (fn: FunctionIndex): void => {
    selectFunction(fn)
    setCallerPick(null)
    setCalleePick(null)
    setView('sandwich')
  }

  const { onOpenSource } = props
  /** The TreeTable prop that opens the source of a row's function, for the tree that row belongs to. */
  const sourceOf = (shown: CallTree): { onOpenSource?: (node: NodeIndex) => void } =>
    onOpenSource ? { onOpenSource: (node) => onOpenSource(shown, shown.nodes.func[node]!) } : {}

  return (
    <div className="hp-calltree" data-theme={theme}>
      <div className="hp-calltree-toolbar" role="toolbar" aria-label="Call tree view">
        <div className="hp-segmented" role="tablist" aria-label="View">
          {(['top-down', 'bottom-up', 'sandwich'] as const).map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} aria-pressed={view === v} onClick={() => setView(v)}>
              {v === 'top-down' ? 'Top-down' : v === 'bottom-up' ? 'Bottom-up' : 'Sandwich'}
            </button>
          ))}
        </div>
        <span className="hp-calltree-hint">
          ← → close/open · * or h: heaviest path · s: sandwich{props.onOpenSource ? ' · o: source' : ''} ·{' '}
          {unit === 'bytes' ? 'allocated bytes' : 'CPU time'}
        </span>
      </div>
      {view === 'top-down' ? (
        <div className="hp-calltree-pane">
          <TreeTable
            tree={tree}
            mode="top-down"
            unit={unit}
            basisTotal={total}
            selectedNode={selectedNode}
            onSelectNode={onSelect}
            onActivate={(node) => openSandwich(tree.nodes.func[node]!)}
            {...sourceOf(tree)}
            theme={theme}
            label="Top-down call tree"
            {...(props.onNodeContextMenu ? { onContextMenuNode: props.onNodeContextMenu } : {})}
          />
        </div>
      ) : null}
      {view === 'bottom-up' && bottomUp ? (
        <div className="hp-calltree-pane">
          <TreeTable
            tree={bottomUp}
            mode="bottom-up"
            unit={unit}
            basisTotal={total}
            selectedNode={bottomUpSelected}
            onSelectNode={(node) => {
              if (node === null) return onSelect(null)
              setBottomUpPick({ tree: bottomUp, node })
              selectFunction(bottomUp.nodes.func[node]!)
            }}
            onActivate={(node) => openSandwich(bottomUp.nodes.func[node]!)}
            {...sourceOf(bottomUp)}
            theme={theme}
            label="Bottom-up call tree"
            {...(props.onFunctionContextMenu
              ? {
                  onContextMenuNode: (node: NodeIndex, at: { x: number; y: number }) =>
                    props.onFunctionContextMenu?.(bottomUp.nodes.func[node]!, at),
                }
              : {})}
          />
        </div>
      ) : null}
      {view === 'bottom-up' && bottomUpState.status === 'loading' ? (
        <div className="hp-calltree-empty">Computing the bottom-up tree…</div>
      ) : null}
      {view === 'bottom-up' && bottomUpState.status === 'error' ? (
        <div className="hp-calltree-empty">Could not compute the bottom-up tree: {bottomUpState.message}</div>
      ) : null}
      {view === 'sandwich' ? (
        <SandwichView
          tree={tree}
          fn={selectedFn}
          state={sandwich}
          unit={unit}
          total={total}
          theme={theme}
          callerPick={callerPick}
          calleePick={calleePick}
          onPickCaller={setCallerPick}
          onPickCallee={setCalleePick}
          onRecentre={(fn) => openSandwich(fn)}
          sourceOf={sourceOf}
        />
      ) : null}
    </div>
  )
}

interface SandwichViewProps {
  tree: CallTree
  fn: FunctionIndex | null
  state: SandwichState
  unit: CallTreeUnit
  total: number
  theme: FlameTheme
  callerPick: NodeIndex | null
  calleePick: NodeIndex | null
  onPickCaller: (node: NodeIndex | null) => void
  onPickCallee: (node: NodeIndex | null) => void
  /** Double click on a caller or callee: make it the sandwiched function. */
  onRecentre: (fn: FunctionIndex) => void
  sourceOf: (shown: CallTree) => { onOpenSource?: (node: NodeIndex) => void }
}

function SandwichView(props: SandwichViewProps) {
  const { tree, fn, state, unit, total, theme } = props
  if (fn === null) {
    return <div className="hp-calltree-empty">Select a function in the flame graph or a table to see its callers and callees.</div>
  }
  if (state.status === 'loading' || state.status === 'idle') return <div className="hp-calltree-empty">Computing callers and callees…</div>
  if (state.status === 'error') return <div className="hp-calltree-empty">Could not compute the sandwich: {state.message}</div>
  const { callers, callees } = state.value
  const f = tree.functions
  return (
    <>
      <div className="hp-calltree-pane">
        <div className="hp-calltree-pane-title">Callers</div>
        <TreeTable
          tree={callers}
          mode="callers"
          unit={unit}
          basisTotal={total}
          selectedNode={props.callerPick}
          onSelectNode={props.onPickCaller}
          onActivate={(node) => props.onRecentre(callers.nodes.func[node]!)}
          {...props.sourceOf(callers)}
          activateOnDoubleClick
          expandHeaviestOnOpen
          theme={theme}
          emptyText="No callers: it is called from the profile root."
          label="Callers of the selected function"
        />
      </div>
      <div className="hp-calltree-focus" title={getFunctionLocation(f, fn)}>
        <span>{getFunctionName(f, fn)}</span>
        <span>
          self {formatTreeValue(f.self[fn]!, unit)} ({formatShare(f.self[fn]!, total)})
        </span>
        <span>
          total {formatTreeValue(f.total[fn]!, unit)} ({formatShare(f.total[fn]!, total)})
        </span>
      </div>
      <div className="hp-calltree-pane">
        <div className="hp-calltree-pane-title">Callees</div>
        <TreeTable
          tree={callees}
          mode="callees"
          unit={unit}
          basisTotal={total}
          selectedNode={props.calleePick}
          onSelectNode={props.onPickCallee}
          onActivate={(node) => props.onRecentre(callees.nodes.func[node]!)}
          {...props.sourceOf(callees)}
          activateOnDoubleClick
          expandHeaviestOnOpen
          theme={theme}
          emptyText="No callees: all of its time is its own."
          label="Callees of the selected function"
        />
      </div>
    </>
  )
}
