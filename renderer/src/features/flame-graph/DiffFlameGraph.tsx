/**
 * The differential flame graph (Brendan Gregg's red/blue differential flame graphs): boxes sized by
 * the candidate, coloured by how each call path's share changed from the baseline, a toggle to size
 * them by the baseline so paths that disappeared show, and the table of functions that changed most.
 */
import { useCallback, useDeferredValue, useMemo, useRef, useState } from 'react'
import type { FlameRows } from '../../../../core/analysis/flame-graph.js'
import type { FunctionDiff, ProfileDiff } from '../../../../core/compare/call-tree-diff.js'
import { formatDurationMs } from '../../../../core/format/duration.js'
import { formatPct, formatSignificant } from '../../../../core/format/number.js'
import type { FunctionCategory } from '../../../../core/model/call-tree.js'
import type { NodeIndex } from '../../../../core/model/units.js'
import { type DiffSide, computeDiffFlameRows, computeNodeChanges, getNodeChange } from './diff-layout.js'
import type { DrawStats } from './draw-flame-graph.js'
import { FlameCanvas, type FlameCanvasHandle, type TooltipContent } from './FlameCanvas.js'
import { CATEGORY_LABELS, type DiffKind, type FlameTheme, PALETTES, diffColor, diffSwatch, mixColors } from './flame-colors.js'
import { shortLocation } from './format-value.js'
import type { FlameBox } from './hit-test.js'
import { matchFunctions, matchNodes } from './search.js'
import { useFlameTheme } from './use-flame-theme.js'
import type { FlameOrientation } from './viewport.js'
import './flame-graph.css'

export interface DiffFlameGraphProps {
  diff: ProfileDiff
  /** computeDiffFlameRows(diff.tree, 'candidate'), e.g. from the profile worker; computed here when absent. */
  candidateRows?: FlameRows
  /** computeDiffFlameRows(diff.tree, 'baseline'). */
  baselineRows?: FlameRows
  /** A node of diff.tree; the component keeps its own selection when this is left out. */
  selectedNode?: NodeIndex | null
  onSelect?: (node: NodeIndex | null) => void
  theme?: FlameTheme
  /** Names of the two sides in the tooltip and table headers. */
  labels?: { baseline: string; candidate: string }
  /** Rows of the changed-functions table (default 50). */
  tableLimit?: number
  initialOrientation?: FlameOrientation
  onFrameDrawn?: (stats: DrawStats) => void
}

const LEGEND: { kind: DiffKind; label: string }[] = [
  { kind: 'grown', label: 'Grown' },
  { kind: 'shrunk', label: 'Shrunk' },
  { kind: 'new', label: 'New' },
  { kind: 'gone', label: 'Gone' },
  { kind: 'same', label: 'Unchanged' },
]

/** A change in share of the total, in percentage points: 0.012 → "+1.2 pts". */
function formatPoints(delta: number): string {
  const text = formatPct(delta, { signed: true })
  return text === 'n/a' ? text : `${text.slice(0, -1)} pts`
}

function formatPValue(p: number | undefined): string {
  if (p === undefined || Number.isNaN(p)) return '–'
  return p < 0.001 ? '< 0.001' : formatSignificant(p, 2)
}

export function DiffFlameGraph(props: DiffFlameGraphProps) {
  const { diff } = props
  const tree = diff.tree
  const theme = useFlameTheme(props.theme)
  const palette = PALETTES[theme]
  const labels = props.labels ?? { baseline: 'Baseline', candidate: 'Candidate' }
  const [orientation, setOrientation] = useState<FlameOrientation>(props.initialOrientation ?? 'icicle')
  const [side, setSide] = useState<DiffSide>('candidate')
  const [query, setQuery] = useState('')
  const [highlightKey, setHighlightKey] = useState<string | null>(null)
  const [ownSelection, setOwnSelection] = useState<NodeIndex | null>(null)
  const selectedNode = props.selectedNode !== undefined ? props.selectedNode : ownSelection
  const canvasRef = useRef<FlameCanvasHandle>(null)

  const candidateRows = useMemo(() => props.candidateRows ?? computeDiffFlameRows(tree, 'candidate'), [props.candidateRows, tree])
  const baselineRows = useMemo(() => props.baselineRows ?? computeDiffFlameRows(tree, 'baseline'), [props.baselineRows, tree])
  const rows = side === 'candidate' ? candidateRows : baselineRows

  const changes = useMemo(() => computeNodeChanges(tree), [tree])
  // One colour string per node, built once per diff and theme: drawing only looks them up.
  const colors = useMemo(() => {
    const normal = new Array<string>(tree.length)
    const dimmed = new Array<string>(tree.length)
    const cache = new Map<string, [string, string]>()
    for (let i = 0; i < tree.length; i++) {
      const change = getNodeChange(changes, i)
      const c = diffColor(change, theme)
      let pair = cache.get(c)
      if (!pair) {
        pair = [c, mixColors(c, palette.background, palette.dimAmount)]
        cache.set(c, pair)
      }
      normal[i] = pair[0]
      dimmed[i] = pair[1]
    }
    return { normal, dimmed }
  }, [tree, changes, theme, palette])

  const fnIndexByKey = useMemo(() => new Map(tree.functions.key.map((k, i) => [k, i])), [tree])
  const deferredQuery = useDeferredValue(query)
  const matches = useMemo(() => {
    let fnMatches: Uint8Array | null
    if (highlightKey !== null) {
      const f = fnIndexByKey.get(highlightKey)
      fnMatches = new Uint8Array(tree.functions.length)
      if (f !== undefined) fnMatches[f] = 1
    } else {
      fnMatches = matchFunctions(tree.functions, deferredQuery)
    }
    return fnMatches ? matchNodes(tree.func, fnMatches) : null
  }, [tree, highlightKey, deferredQuery, fnIndexByKey])

  const colorOf = useCallback((node: NodeIndex) => colors.normal[node]!, [colors])
  const dimmedColorOf = useCallback((node: NodeIndex) => colors.dimmed[node]!, [colors])
  const labelOf = useCallback((node: NodeIndex) => tree.functions.name[tree.func[node]!] || '(anonymous)', [tree])
  const depthOf = useCallback((node: NodeIndex) => tree.depth[node]!, [tree])

  const describeBox = useCallback(
    (box: FlameBox): TooltipContent => {
      const n = box.node
      const fn = tree.func[n]!
      const b = tree.baselineTotal[n]!
      const c = tree.candidateTotal[n]!
      const change = getNodeChange(changes, n)
      const lines: TooltipContent['lines'] = [
        [`${labels.baseline} total`, formatPct(b)],
        [`${labels.candidate} total`, formatPct(c)],
        ['Change', `${formatPoints(c - b)} (${change.kind === 'same' ? 'within noise' : change.kind})`],
        ['Self', `${formatPct(tree.baselineSelf[n]!)} → ${formatPct(tree.candidateSelf[n]!)}`],
      ]
      if (tree.baselineTotalMsPerOp && tree.candidateTotalMsPerOp) {
        lines.push([
          'Total per op',
          `${formatDurationMs(tree.baselineTotalMsPerOp[n]!)} → ${formatDurationMs(tree.candidateTotalMsPerOp[n]!)}`,
        ])
      }
      const category = tree.functions.category[fn] as FunctionCategory
      lines.push(['Category', CATEGORY_LABELS[category] ?? category])
      const url = tree.functions.url[fn] ?? ''
      const line = tree.functions.line[fn] ?? 0
      lines.push(['Location', url === '' ? '(no script)' : line > 0 ? `${url}:${line}` : url])
      return { title: tree.functions.name[fn] || '(anonymous)', swatch: colors.normal[n], lines }
    },
    [tree, changes, colors, labels.baseline, labels.candidate],
  )

  const onSelectProp = props.onSelect
  const onSelect = useCallback(
    (node: NodeIndex | null) => {
      setOwnSelection(node)
      onSelectProp?.(node)
    },
    [onSelectProp],
  )

  const onRowClick = (f: FunctionDiff): void => {
    const next = highlightKey === f.key ? null : f.key
    setHighlightKey(next)
    if (next === null) return
    // Select and bring the heaviest call path of that function on screen.
    const fn = fnIndexByKey.get(f.key)
    if (fn === undefined) return
    const total = side === 'candidate' ? tree.candidateTotal : tree.baselineTotal
    let best = -1
    for (let i = 0; i < tree.length; i++) if (tree.func[i] === fn && total[i]! > 0 && (best < 0 || total[i]! > total[best]!)) best = i
    if (best < 0) return
    onSelect(best)
    // Zoom onto the caller's box, so the function is seen next to its siblings.
    const context = best > 0 ? tree.parent[best]! : best
    canvasRef.current?.focusNode(context, tree.depth[context]!)
  }

  const limit = props.tableLimit ?? 50
  const listed = diff.functions.slice(0, limit)
  const perOp = diff.method.perOp
  const tested = diff.method.test !== 'none'

  return (
    <div className="hp-flame" data-theme={theme}>
      <div className="hp-flame-toolbar" role="toolbar" aria-label="Differential flame graph controls">
        <div className="hp-segmented" role="group" aria-label="Orientation">
          <button type="button" aria-pressed={orientation === 'icicle'} onClick={() => setOrientation('icicle')}>
            Icicle
          </button>
          <button type="button" aria-pressed={orientation === 'flame'} onClick={() => setOrientation('flame')}>
            Flame
          </button>
        </div>
        <label
          className="hp-flame-toggle"
          title="Size boxes by the baseline, so call paths that disappeared in the candidate show (in blue)"
        >
          <input type="checkbox" checked={side === 'baseline'} onChange={(e) => setSide(e.target.checked ? 'baseline' : 'candidate')} />
          Show what disappeared
        </label>
        <input
          className="hp-flame-search"
          type="search"
          placeholder="Search functions or files"
          aria-label="Search functions"
          value={query}
          onChange={(e) => {
            setHighlightKey(null)
            setQuery(e.target.value)
          }}
        />
        <span className="hp-flame-spacer" />
        <span className="hp-muted">
          Width: {side === 'candidate' ? labels.candidate : labels.baseline} · {diff.runsPerSide[0]} vs {diff.runsPerSide[1]} run
          {diff.runsPerSide[0] + diff.runsPerSide[1] > 2 ? 's' : ''}
        </span>
        <button type="button" onClick={() => canvasRef.current?.resetZoom()}>
          Reset zoom
        </button>
      </div>
      <div className="hp-diff-body">
        <FlameCanvas
          ref={canvasRef}
          rows={rows}
          orientation={orientation}
          palette={palette}
          colorOf={colorOf}
          dimmedColorOf={dimmedColorOf}
          labelOf={labelOf}
          depthOf={depthOf}
          matches={matches}
          selectedNode={selectedNode}
          onSelect={onSelect}
          describeBox={describeBox}
          onFrameDrawn={props.onFrameDrawn}
          ariaLabel="Differential flame graph: red grew, blue shrank, purple is new. Arrow keys move the selection, + and − zoom, 0 resets."
        />
        <div className="hp-diff-changes">
          <table aria-label="Functions that changed most">
            <thead>
              <tr>
                <th scope="col">Function</th>
                <th scope="col">Change</th>
                <th scope="col" title="Self time as a share of each run's CPU time">
                  Self {labels.baseline}
                </th>
                <th scope="col">Self {labels.candidate}</th>
                <th scope="col">Δ self</th>
                {perOp ? <th scope="col">Δ per op</th> : null}
                <th scope="col">Total</th>
                {tested ? (
                  <th scope="col" title={`Welch's t-test, Benjamini–Hochberg adjusted; significant below ${diff.method.alpha}`}>
                    p
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {listed.length === 0 ? (
                <tr>
                  <td colSpan={8} className="hp-muted">
                    No function holds enough of either profile to compare.
                  </td>
                </tr>
              ) : null}
              {listed.map((f) => (
                <tr key={f.key} aria-selected={highlightKey === f.key} onClick={() => onRowClick(f)}>
                  <td title={`${f.name || '(anonymous)'} ${f.url}${f.line > 0 ? `:${f.line}` : ''}`}>
                    {f.name || '(anonymous)'}
                    <span className="hp-loc">
                      {shortLocation(f.url)}
                      {f.url && f.line > 0 ? `:${f.line}` : ''}
                    </span>
                  </td>
                  <td>
                    <span className="hp-status" data-status={f.status}>
                      {f.status === 'same' ? 'same' : f.status}
                    </span>
                  </td>
                  <td>{formatPct(f.baselineSelfShare)}</td>
                  <td>{formatPct(f.candidateSelfShare)}</td>
                  <td className={f.deltaSelfShare > 0 ? 'hp-delta-up' : f.deltaSelfShare < 0 ? 'hp-delta-down' : undefined}>
                    {formatPoints(f.deltaSelfShare)}
                  </td>
                  {perOp ? (
                    <td className={(f.deltaSelfPct ?? 0) > 0 ? 'hp-delta-up' : (f.deltaSelfPct ?? 0) < 0 ? 'hp-delta-down' : undefined}>
                      {f.deltaSelfPct !== undefined ? formatPct(f.deltaSelfPct / 100, { signed: true }) : '–'}
                    </td>
                  ) : null}
                  <td>
                    {formatPct(f.baselineTotalShare)} → {formatPct(f.candidateTotalShare)}
                  </td>
                  {tested ? (
                    <td title={f.significant ? 'significant' : 'not significant'}>
                      {formatPValue(f.pValue)}
                      {f.significant ? ' *' : ''}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div className="hp-flame-footer">
        <ul className="hp-flame-legend" aria-label="Colours">
          {LEGEND.map(({ kind, label }) => (
            <li key={kind}>
              <span className="hp-swatch" style={{ background: diffSwatch(kind, theme) }} />
              {label}
            </li>
          ))}
          <li>Colour strength: relative change of the path's share</li>
        </ul>
      </div>
    </div>
  )
}
