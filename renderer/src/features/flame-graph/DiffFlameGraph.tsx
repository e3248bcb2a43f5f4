/**
 * The differential flame graph of the service's profile diff (WorkbenchApi.diffProfiles): one merged tree,
 * boxes sized by the larger side, coloured on a diverging scale by how each path's own time changed per
 * operation (red slower, blue faster, grey within noise), removed code hatched in place; a share-of-profile
 * toggle, the harness-frames toggle, side-by-side baseline and candidate graphs, and the table of
 * functions that changed most, whose rows focus the function in the graphs.
 */
import { useCallback, useDeferredValue, useMemo, useRef, useState } from 'react'
import type { FlameRows } from '../../../../core/analysis/flame-graph.js'
import type { DiffTree, FunctionDiff, ProfileDiff } from '../../../../core/compare/call-tree-diff.js'
import { type DiffNormalization, classifyDiffNodes, getNodeChangeKind, hasPerOpValues } from '../../../../core/compare/diff-nodes.js'
import { formatDuration } from '../../../../core/format/duration.js'
import { formatPct, formatSignificant } from '../../../../core/format/number.js'
import type { FunctionCategory } from '../../../../core/model/call-tree.js'
import type { NodeIndex } from '../../../../core/model/units.js'
import { computeDiffFlameRows, computeDiffSideRows, findHeaviestNodeOf } from './diff-layout.js'
import type { DrawStats } from './draw-flame-graph.js'
import { FlameCanvas, type FlameCanvasHandle, type TooltipContent } from './FlameCanvas.js'
import { CATEGORY_LABELS, type FlameTheme, PALETTES, diffColor, diffSwatch, hatchColor, mixColors } from './flame-colors.js'
import { shortLocation } from './format-value.js'
import type { FlameBox } from './hit-test.js'
import { matchFunctions, matchNodes } from './search.js'
import { useFlameTheme } from './use-flame-theme.js'
import { ROW_HEIGHT, type FlameOrientation } from './viewport.js'
import './flame-graph.css'

export interface DiffFlameGraphProps {
  diff: ProfileDiff
  /** Names of the two sides in the tooltip and table headers. */
  labels?: { baseline: string; candidate: string }
  /** The harness toggle's state as asked for (the diff shown may still be the previous one); default: the diff's. */
  harnessHidden?: boolean
  /** Asks the owner for a diff with harness frames hidden or shown. */
  onHarnessHiddenChange?: (hidden: boolean) => void
  /** Whether a new diff is on its way (the toggle is disabled meanwhile). */
  busy?: boolean
  theme?: FlameTheme
  /** Rows of the changed-functions table (default 50). */
  tableLimit?: number
  initialOrientation?: FlameOrientation
  onFrameDrawn?: (stats: DrawStats) => void
  /**
   * Right click (or Shift+F10) on a frame of the graphs or a row of the table: the function (null for the
   * merged root) and where a menu should open, e.g. the transforms menu.
   */
  onFunctionContextMenu?: (fn: DiffMenuFunction | null, at: { x: number; y: number }) => void
}

/** A function of the diff, as a context menu gets it. */
export interface DiffMenuFunction {
  key: string
  name: string
  url: string
  category: FunctionCategory
}

/** The canvas grows with its rows up to this height, then scrolls (CSS pixels). */
const MAX_CANVAS_HEIGHT = 560
const MIN_CANVAS_HEIGHT = 5 * ROW_HEIGHT

/** Height that shows every row of `rows` (plus half a row), within the limits above. */
export function fitCanvasHeight(rows: FlameRows): number {
  return Math.min(MAX_CANVAS_HEIGHT, Math.max(MIN_CANVAS_HEIGHT, rows.rows.length * ROW_HEIGHT + ROW_HEIGHT / 2 + 2))
}

/** ms per operation as ns/op text: 0.0022 ms → "2.20 µs". */
function perOp(ms: number | undefined): string {
  return ms === undefined ? '–' : ms === 0 ? '0' : formatDuration(ms * 1e6)
}

/** A change in share of the total, in percentage points: 0.012 → "+1.2 pts". */
function formatPoints(delta: number): string {
  const text = formatPct(delta, { signed: true })
  return text === 'n/a' ? text : `${text.slice(0, -1)} pts`
}

function formatPValue(p: number | undefined): string {
  if (p === undefined || Number.isNaN(p)) return '–'
  return p < 0.001 ? '< 0.001' : formatSignificant(p, 2)
}

const STATUS_TEXT: Record<FunctionDiff['status'], string> = {
  grown: 'slower',
  shrunk: 'faster',
  new: 'new',
  gone: 'removed',
  same: 'same',
}

type Layout = 'merged' | 'sides'

export function DiffFlameGraph(props: DiffFlameGraphProps) {
  const { diff } = props
  const tree = diff.tree
  const theme = useFlameTheme(props.theme)
  const palette = PALETTES[theme]
  const labels = props.labels ?? { baseline: 'Baseline', candidate: 'Candidate' }
  const canPerOp = diff.method.perOp && hasPerOpValues(tree)
  const [normalizationChoice, setNormalization] = useState<DiffNormalization>('perOp')
  const normalization: DiffNormalization = canPerOp ? normalizationChoice : 'share'
  const [orientation, setOrientation] = useState<FlameOrientation>(props.initialOrientation ?? 'icicle')
  const [layout, setLayout] = useState<Layout>('merged')
  const [query, setQuery] = useState('')
  const [highlightKey, setHighlightKey] = useState<string | null>(null)
  const [selectedNode, setSelectedNode] = useState<NodeIndex | null>(null)
  const mergedRef = useRef<FlameCanvasHandle>(null)
  const baselineRef = useRef<FlameCanvasHandle>(null)
  const candidateRef = useRef<FlameCanvasHandle>(null)

  const mergedRows = useMemo(() => computeDiffFlameRows(tree, normalization), [tree, normalization])
  const baselineRows = useMemo(() => computeDiffSideRows(tree, 'baseline', normalization), [tree, normalization])
  const candidateRows = useMemo(() => computeDiffSideRows(tree, 'candidate', normalization), [tree, normalization])

  const changes = useMemo(() => classifyDiffNodes(tree, normalization), [tree, normalization])
  // One colour string per node, built once per diff and theme: drawing only looks them up.
  const colors = useMemo(() => {
    const normal = new Array<string>(tree.length)
    const dimmed = new Array<string>(tree.length)
    const cache = new Map<string, [string, string]>()
    for (let i = 0; i < tree.length; i++) {
      const c = diffColor(getNodeChangeKind(changes, i), changes.intensity[i]!, theme)
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
    return fnMatches ? matchNodes(Int32Array.from(tree.func), fnMatches) : null
  }, [tree, highlightKey, deferredQuery, fnIndexByKey])

  const rootLabel = useMemo(() => describeRoot(diff), [diff])
  const colorOf = useCallback((node: NodeIndex) => colors.normal[node]!, [colors])
  const dimmedColorOf = useCallback((node: NodeIndex) => colors.dimmed[node]!, [colors])
  const labelOf = useCallback(
    (node: NodeIndex) => (node === 0 ? rootLabel : tree.functions.name[tree.func[node]!] || '(anonymous)'),
    [tree, rootLabel],
  )
  const depthOf = useCallback((node: NodeIndex) => tree.depth[node]!, [tree])

  const describeBox = useCallback(
    (box: FlameBox): TooltipContent => describeDiffNode(tree, diff, box.node, changes, labels, normalization, colors.normal[box.node]),
    [tree, diff, changes, colors, labels, normalization],
  )

  const onSelect = useCallback((node: NodeIndex | null) => setSelectedNode(node), [])

  const focusInAll = (node: NodeIndex): void => {
    setSelectedNode(node)
    // Zoom onto the caller's box, so the function is seen next to its siblings.
    const context = node > 0 ? tree.parent[node]! : node
    for (const ref of [mergedRef, baselineRef, candidateRef]) ref.current?.focusNode(context, tree.depth[context]!)
  }

  const openMenuOnNode = (node: NodeIndex, at: { x: number; y: number }): void => {
    const fn = tree.func[node]!
    const f = tree.functions
    props.onFunctionContextMenu?.(
      node === 0
        ? null
        : { key: f.key[fn]!, name: f.name[fn] || '(anonymous)', url: f.url[fn] ?? '', category: f.category[fn] as FunctionCategory },
      at,
    )
  }

  const onRowClick = (f: FunctionDiff): void => {
    const next = highlightKey === f.key ? null : f.key
    setHighlightKey(next)
    if (next === null) return
    const fn = fnIndexByKey.get(f.key)
    if (fn === undefined) return
    const best = findHeaviestNodeOf(tree, fn, normalization)
    if (best >= 0) focusInAll(best)
  }

  const limit = props.tableLimit ?? 50
  const listed = useMemo(() => {
    const fs =
      normalization === 'perOp'
        ? diff.functions
        : [...diff.functions].sort((a, b) => Math.abs(b.deltaSelfShare) - Math.abs(a.deltaSelfShare))
    return fs.slice(0, limit)
  }, [diff, normalization, limit])
  const tested = diff.method.test !== 'none'
  const hatched = changes.removed
  const stripe = hatchColor(theme)
  const canvasProps = {
    orientation,
    palette,
    colorOf,
    dimmedColorOf,
    labelOf,
    depthOf,
    matches,
    selectedNode,
    onSelect,
    describeBox,
    hatched,
    hatchColor: stripe,
    ...(props.onFunctionContextMenu
      ? { onContextMenuBox: (box: FlameBox, at: { x: number; y: number }) => openMenuOnNode(box.node, at) }
      : {}),
  }
  const totals = diff.totalMsPerOp
  const hidden = diff.alignment.harnessHidden

  return (
    <div className="hp-flame hp-diff" data-theme={theme} data-normalization={normalization}>
      <div className="hp-flame-toolbar" role="toolbar" aria-label="Differential flame graph controls">
        <div className="hp-segmented" role="group" aria-label="Values">
          <button
            type="button"
            aria-pressed={normalization === 'perOp'}
            disabled={!canPerOp}
            title={canPerOp ? 'Time per operation, from each run’s operation count' : 'These runs have no operation counts'}
            onClick={() => setNormalization('perOp')}
          >
            Per operation
          </button>
          <button type="button" aria-pressed={normalization === 'share'} onClick={() => setNormalization('share')}>
            Share of profile
          </button>
        </div>
        <div className="hp-segmented" role="group" aria-label="Layout">
          <button type="button" aria-pressed={layout === 'merged'} onClick={() => setLayout('merged')}>
            Diff
          </button>
          <button type="button" aria-pressed={layout === 'sides'} onClick={() => setLayout('sides')}>
            Side by side
          </button>
        </div>
        <div className="hp-segmented" role="group" aria-label="Orientation">
          <button type="button" aria-pressed={orientation === 'icicle'} onClick={() => setOrientation('icicle')}>
            Icicle
          </button>
          <button type="button" aria-pressed={orientation === 'flame'} onClick={() => setOrientation('flame')}>
            Flame
          </button>
        </div>
        {props.onHarnessHiddenChange ? (
          <label
            className="hp-flame-toggle"
            title="Fold the harness’s frames and Node’s scheduling frames above the workload’s entry point into the root, so both runs share it"
          >
            <input
              type="checkbox"
              checked={props.harnessHidden ?? hidden}
              disabled={props.busy === true}
              onChange={(e) => props.onHarnessHiddenChange?.(e.target.checked)}
            />
            Harness frames hidden
          </label>
        ) : null}
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
        <span className="hp-muted" data-testid="diff-summary">
          {totals && normalization === 'perOp'
            ? `${perOp(totals[0])}/op → ${perOp(totals[1])}/op`
            : 'width: larger share of either profile'}
          {' · '}
          {diff.runsPerSide[0]} vs {diff.runsPerSide[1]} process{diff.runsPerSide[0] + diff.runsPerSide[1] > 2 ? 'es' : ''}
        </span>
        <button
          type="button"
          onClick={() => {
            for (const ref of [mergedRef, baselineRef, candidateRef]) ref.current?.resetZoom()
          }}
        >
          Reset zoom
        </button>
      </div>
      <div className="hp-diff-body">
        {layout === 'merged' ? (
          <div className="hp-diff-graph" style={{ height: fitCanvasHeight(mergedRows) }}>
            <FlameCanvas
              ref={mergedRef}
              rows={mergedRows}
              {...canvasProps}
              onFrameDrawn={props.onFrameDrawn}
              ariaLabel={`Differential flame graph, ${normalization === 'perOp' ? 'per operation' : 'by share of profile'}: boxes as wide as the larger side; red got slower, blue faster, grey unchanged within noise; hatched code was removed.`}
            />
          </div>
        ) : (
          <>
            <p className="hp-diff-side-title">{labels.baseline}</p>
            <div className="hp-diff-graph" style={{ height: fitCanvasHeight(baselineRows) }}>
              <FlameCanvas
                ref={baselineRef}
                rows={baselineRows}
                {...canvasProps}
                ariaLabel={`Flame graph of ${labels.baseline}, coloured by the diff`}
              />
            </div>
            <p className="hp-diff-side-title">{labels.candidate}</p>
            <div className="hp-diff-graph" style={{ height: fitCanvasHeight(candidateRows) }}>
              <FlameCanvas
                ref={candidateRef}
                rows={candidateRows}
                {...canvasProps}
                ariaLabel={`Flame graph of ${labels.candidate}, coloured by the diff`}
              />
            </div>
          </>
        )}
        <div className="hp-flame-footer">
          <ul className="hp-flame-legend" aria-label="Colours">
            <li>
              <span className="hp-swatch" style={{ background: diffSwatch('slower', theme) }} />
              Slower
            </li>
            <li>
              <span className="hp-swatch" style={{ background: diffSwatch('faster', theme) }} />
              Faster
            </li>
            <li>
              <span className="hp-swatch" style={{ background: diffSwatch('same', theme) }} />
              Unchanged (within noise)
            </li>
            <li>
              <span className="hp-swatch hp-swatch-hatched" style={{ background: diffSwatch('faster', theme, 0.5) }} />
              Removed (hatched)
            </li>
            <li className="hp-muted">
              Colour: change of the frame’s own time {normalization === 'perOp' ? 'per operation' : 'as a share of the profile'}, strength
              by size
              {hidden ? ' · harness frames hidden' : ''}
            </li>
          </ul>
        </div>
        <div className="hp-diff-changes">
          <table aria-label="Functions that changed most">
            <thead>
              <tr>
                <th scope="col">Function</th>
                <th scope="col">Change</th>
                {normalization === 'perOp' ? (
                  <>
                    <th scope="col" title="Self time per operation">
                      Self {labels.baseline}
                    </th>
                    <th scope="col">Self {labels.candidate}</th>
                    <th scope="col">Δ self</th>
                    <th scope="col" title="Total (inclusive) time per operation">
                      Total per op
                    </th>
                  </>
                ) : (
                  <>
                    <th scope="col" title="Self time as a share of each run's CPU time">
                      Self {labels.baseline}
                    </th>
                    <th scope="col">Self {labels.candidate}</th>
                    <th scope="col">Δ self</th>
                    <th scope="col">Total</th>
                  </>
                )}
                {tested ? (
                  <th
                    scope="col"
                    title={`Welch's t-test over processes, Benjamini–Hochberg adjusted; significant below ${diff.method.alpha}`}
                  >
                    p
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {listed.length === 0 ? (
                <tr>
                  <td colSpan={7} className="hp-muted">
                    No function holds enough of either profile to compare.
                  </td>
                </tr>
              ) : null}
              {listed.map((f) => {
                const delta =
                  normalization === 'perOp' && f.baselineSelfMsPerOp !== undefined && f.candidateSelfMsPerOp !== undefined
                    ? f.candidateSelfMsPerOp - f.baselineSelfMsPerOp
                    : f.deltaSelfShare
                return (
                  <tr
                    key={f.key}
                    aria-selected={highlightKey === f.key}
                    onClick={() => onRowClick(f)}
                    onContextMenu={
                      props.onFunctionContextMenu
                        ? (e) => {
                            e.preventDefault()
                            props.onFunctionContextMenu?.(
                              { key: f.key, name: f.name || '(anonymous)', url: f.url, category: f.category as FunctionCategory },
                              { x: e.clientX, y: e.clientY },
                            )
                          }
                        : undefined
                    }
                    data-key={f.key}
                  >
                    <td title={`${f.name || '(anonymous)'} ${f.url}${f.line > 0 ? `:${f.line}` : ''}`}>
                      <div className="hp-fn">
                        {f.name || '(anonymous)'}
                        <span className="hp-loc">
                          {shortLocation(f.url)}
                          {f.url && f.line > 0 ? `:${f.line}` : ''}
                        </span>
                      </div>
                    </td>
                    <td>
                      <span className="hp-status" data-status={f.status}>
                        {STATUS_TEXT[f.status]}
                      </span>
                    </td>
                    {normalization === 'perOp' ? (
                      <>
                        <td>{perOp(f.baselineSelfMsPerOp)}</td>
                        <td>{perOp(f.candidateSelfMsPerOp)}</td>
                        <td className={delta > 0 ? 'hp-delta-up' : delta < 0 ? 'hp-delta-down' : undefined}>
                          {delta > 0 ? '+' : delta < 0 ? '−' : ''}
                          {perOp(Math.abs(delta))}
                          {f.deltaSelfPct !== undefined ? ` (${formatPct(f.deltaSelfPct / 100, { signed: true })})` : ''}
                        </td>
                        <td>
                          {perOp(f.baselineTotalMsPerOp)} → {perOp(f.candidateTotalMsPerOp)}
                        </td>
                      </>
                    ) : (
                      <>
                        <td>{formatPct(f.baselineSelfShare)}</td>
                        <td>{formatPct(f.candidateSelfShare)}</td>
                        <td className={delta > 0 ? 'hp-delta-up' : delta < 0 ? 'hp-delta-down' : undefined}>{formatPoints(delta)}</td>
                        <td>
                          {formatPct(f.baselineTotalShare)} → {formatPct(f.candidateTotalShare)}
                        </td>
                      </>
                    )}
                    {tested ? (
                      <td title={f.significant ? 'significant' : 'not significant'}>
                        {formatPValue(f.pValue)}
                        {f.significant ? ' *' : ''}
                      </td>
                    ) : null}
                  </tr>
                )
              })}
            </tbody>
          </table>
          {!tested ? (
            <p className="hp-muted hp-diff-note">
              One process per side: changes are read from single profiles, so none is tested for significance. Compare repeated processes
              (several runs per side) for p-values.
            </p>
          ) : null}
        </div>
      </div>
    </div>
  )
}

/** The root's label: the shared entry point when harness frames are hidden. */
function describeRoot(diff: ProfileDiff): string {
  const a = diff.alignment
  if (!a.harnessHidden) return '(root)'
  const b = a.entryPoints.baseline.join(', ')
  const c = a.entryPoints.candidate.join(', ')
  const entry = b === c ? b : `${b || '–'} → ${c || '–'}`
  return entry ? `${entry} (harness frames hidden)` : 'all (harness frames hidden)'
}

function describeDiffNode(
  tree: DiffTree,
  diff: ProfileDiff,
  n: NodeIndex,
  changes: ReturnType<typeof classifyDiffNodes>,
  labels: { baseline: string; candidate: string },
  normalization: DiffNormalization,
  swatch: string | undefined,
): TooltipContent {
  const fn = tree.func[n]!
  const kind = getNodeChangeKind(changes, n)
  const lines: TooltipContent['lines'] = []
  if (
    normalization === 'perOp' &&
    tree.baselineTotalMsPerOp &&
    tree.candidateTotalMsPerOp &&
    tree.baselineSelfMsPerOp &&
    tree.candidateSelfMsPerOp
  ) {
    lines.push([`Total per op`, `${perOp(tree.baselineTotalMsPerOp[n])} → ${perOp(tree.candidateTotalMsPerOp[n])}`])
    lines.push([`Self per op`, `${perOp(tree.baselineSelfMsPerOp[n])} → ${perOp(tree.candidateSelfMsPerOp[n])}`])
  }
  lines.push([`Total share`, `${formatPct(tree.baselineTotal[n]!)} → ${formatPct(tree.candidateTotal[n]!)}`])
  lines.push([`Self share`, `${formatPct(tree.baselineSelf[n]!)} → ${formatPct(tree.candidateSelf[n]!)}`])
  const state =
    n === 0
      ? 'root (not coloured)'
      : changes.removed[n] === 1
        ? `removed (${kind === 'same' ? 'own time within noise' : kind})`
        : changes.added[n] === 1
          ? `new in ${labels.candidate} (${kind === 'same' ? 'own time within noise' : kind})`
          : kind === 'same'
            ? 'unchanged within noise'
            : kind
  lines.push(['Change', `${state}${n > 0 ? ` · own time ${formatPct(changes.delta[n]!, { signed: true })} of ${labels.baseline}` : ''}`])
  if (n === 0 && diff.alignment.harnessHidden) {
    lines.push([
      'Hidden',
      `harness and scheduling frames: ${formatPct(diff.alignment.hiddenShare[0])} → ${formatPct(diff.alignment.hiddenShare[1])}`,
    ])
  }
  const category = tree.functions.category[fn] as FunctionCategory
  lines.push(['Category', CATEGORY_LABELS[category] ?? category])
  const url = tree.functions.url[fn] ?? ''
  const line = tree.functions.line[fn] ?? 0
  lines.push(['Location', url === '' ? '(no script)' : line > 0 ? `${url}:${line}` : url])
  return { title: n === 0 ? describeRoot(diff) : tree.functions.name[fn] || '(anonymous)', ...(swatch ? { swatch } : {}), lines }
}
