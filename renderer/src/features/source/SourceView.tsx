/**
 * The source view of one function of a run's CPU profile, in a dialog: the script read through readSource,
 * highlighted (highlight.js), one virtualized row per line with a heat gutter (self time and share of the
 * function's line ticks), the function's own body marked, its hottest line marked and scrolled to, and ticks
 * outside the body labelled as inlined code. Read-only; Escape closes (the native <dialog>).
 */
import { type ReactNode, useCallback, useEffect, useMemo, useRef } from 'react'
import type { SourceResult } from '../../../../core/api/schemas.js'
import { computeSourceHeat, type SourceHeat } from '../../../../core/analysis/source-heat.js'
import { formatDurationMs } from '../../../../core/format/duration.js'
import { formatPct } from '../../../../core/format/number.js'
import { type CallTree, type FunctionIndex, getFunctionLocation, getFunctionName } from '../../../../core/model/call-tree.js'
import type { RunId } from '../../../../core/model/run.js'
import type { RunTimeRange } from '../../state/slices/time-range.js'
import { formatRunTime } from '../runs/TimelineRange.js'
import { Dialog } from '../../components/Dialog.js'
import { ErrorBox } from '../../components/StatusBadge.js'
import { VirtualList, type VirtualListHandle } from '../../components/VirtualList.js'
import { useApi } from '../../state/store.js'
import { useAsync } from '../compare/use-async.js'
import { highlightLines, normalizeLineEnds } from './highlight-lines.js'
import './source-view.css'

/** Row height in CSS pixels (matches .source-line). */
const LINE_HEIGHT = 20

export interface SourceTarget {
  /** The profile's tree, or its time range's (whose line ticks are scaled to the range). */
  tree: CallTree
  fn: FunctionIndex
  /** The time range of the run the tree was restricted to, when it was. */
  range?: RunTimeRange
}

export interface SourceViewProps extends SourceTarget {
  runId: RunId
  /** The CPU profile artifact the tree was read from. */
  profileFile: string
  onClose(): void
}

export function SourceView(props: SourceViewProps): ReactNode {
  const { tree, fn } = props
  const api = useApi()
  const url = tree.functions.url[fn] ?? ''
  const line = tree.functions.line[fn] ?? 0
  const name = getFunctionName(tree.functions, fn)
  const state = useAsync(
    () => api.readSource(props.runId, { file: props.profileFile, url, ...(line > 0 ? { line } : {}) }),
    [api, props.runId, props.profileFile, url, line],
  )
  const location = getFunctionLocation(tree.functions, fn) || url || '(no script)'
  return (
    <Dialog title={`Source of ${name}`} onClose={props.onClose} className="source-dialog">
      <p className="source-location" title={location}>
        {location}
      </p>
      {state.status === 'loading' ? <p className="muted">Reading the source…</p> : null}
      {state.status === 'error' ? (
        <ErrorBox title="Source not available" onRetry={state.reload}>
          {state.message}
        </ErrorBox>
      ) : null}
      {state.status === 'ready' && state.value.status === 'unavailable' ? (
        <ErrorBox title="Source not available">
          {state.value.reason} The function is at {state.value.location}.
        </ErrorBox>
      ) : null}
      {state.status === 'ready' && state.value.status === 'ok' ? (
        <SourceBody source={state.value} tree={tree} fn={fn} {...(props.range ? { range: props.range } : {})} />
      ) : null}
      <div className="source-actions">
        <button type="button" className="btn" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  )
}

function SourceBody({ source, tree, fn, range }: { source: Extract<SourceResult, { status: 'ok' }> } & SourceTarget): ReactNode {
  const text = useMemo(() => normalizeLineEnds(source.text), [source.text])
  const { lines, highlighted } = useMemo(() => highlightLines(text, source.language), [text, source.language])
  const heat = useMemo(() => computeSourceHeat(tree, fn, text), [tree, fn, text])
  const listRef = useRef<VirtualListHandle>(null)
  const widest = useMemo(() => lines.reduce((w, l) => Math.max(w, l.length), 0), [lines])
  const target = heat.hottest?.line ?? heat.body?.start ?? tree.functions.line[fn] ?? 1

  const centre = useCallback((line: number) => {
    const el = listRef.current?.element()
    if (el) el.scrollTop = Math.max(0, (line - 1) * LINE_HEIGHT - el.clientHeight / 2 + LINE_HEIGHT / 2)
  }, [])
  // The hottest line (else the function's start) in the middle of the view once the rows are laid out.
  useEffect(() => centre(target), [centre, target, lines])
  // "Next inlined line" walks the lines outside the body that hold ticks, in order, then starts over.
  const inlined = useMemo(() => heat.lines.filter((l) => !l.inBody).map((l) => l.line), [heat])
  const nextInlined = useRef(0)
  const showNextInlined = (): void => {
    if (inlined.length === 0) return
    centre(inlined[nextInlined.current % inlined.length]!)
    nextInlined.current++
  }

  const digits = String(lines.length).length
  return (
    <>
      <SourceSummary
        heat={heat}
        highlighted={highlighted}
        path={source.path}
        onNextInlined={showNextInlined}
        {...(range ? { range } : {})}
      />
      <div className="source-view" style={{ ['--source-digits' as string]: digits, ['--source-chars' as string]: Math.min(widest, 2000) }}>
        <div className="source-columns" aria-hidden="true">
          <span className="source-ms">Self</span>
          <span className="source-pct" title="Share of this function's samples with a line">
            % fn
          </span>
          <span className="source-no">Line</span>
          <span className="source-mark" />
          <span className="source-code-head">
            {heat.body ? `Body: lines ${heat.body.start}–${heat.body.end}` : 'Body not found in this file'}
          </span>
        </div>
        <VirtualList
          ref={listRef}
          className="source-lines"
          rowCount={lines.length}
          rowHeight={LINE_HEIGHT}
          overscan={20}
          role="list"
          ariaLabel={`Source of ${getFunctionName(tree.functions, fn)} with self time per line`}
          tabIndex={0}
          renderRow={(i) => <SourceLine html={lines[i] ?? ''} line={i + 1} heat={heat} />}
        />
      </div>
    </>
  )
}

function SourceSummary(props: {
  heat: SourceHeat
  highlighted: boolean
  path: string
  range?: RunTimeRange
  onNextInlined(): void
}): ReactNode {
  const { heat, highlighted, path, range } = props
  const hot = heat.hottest
  return (
    <div className="source-summary">
      <span title={path} className="source-path">
        {path}
      </span>
      {range ? (
        <span
          className="source-range-note"
          data-testid="source-range-note"
          title="V8 counts line ticks per call path for the whole profile, without times: each call path's ticks are scaled by the share of its samples inside the range (exact for paths wholly inside or outside it)"
        >
          Range {formatRunTime(range.startMs)}–{formatRunTime(range.endMs)} of the run · line times estimated
        </span>
      ) : null}
      <span>
        {heat.totalTicks > 0
          ? `${formatDurationMs(heat.totalMs)} self on ${heat.lines.length} ${heat.lines.length === 1 ? 'line' : 'lines'}`
          : `No line samples for this function in ${range ? 'the selected range' : 'the profile'}`}
      </span>
      {hot ? (
        <span className="source-hottest-note">
          Hottest line {hot.line}: {formatDurationMs(hot.selfMs)} ({formatPct(hot.share)})
        </span>
      ) : null}
      {heat.inlinedLines > 0 ? (
        <button
          type="button"
          className="btn btn-small source-next-inlined"
          onClick={props.onNextInlined}
          title="Scroll to the next line outside the body that holds samples"
        >
          {heat.inlinedLines} inlined {heat.inlinedLines === 1 ? 'line' : 'lines'} outside the body: show next
        </button>
      ) : null}
      {heat.ticksPastEnd > 0 ? (
        <span className="field-error">Some samples name lines past the end of the file: it changed since the run.</span>
      ) : null}
      {!highlighted ? <span className="muted">Large file: shown without highlighting.</span> : null}
    </div>
  )
}

function SourceLine({ html, line, heat }: { html: string; line: number; heat: SourceHeat }): ReactNode {
  const k = heat.byLine[line] ?? -1
  const hot = k >= 0 ? heat.lines[k] : undefined
  const inBody = heat.body !== null && line >= heat.body.start && line <= heat.body.end
  const hottest = heat.hottest?.line === line
  const classes = ['source-line', inBody ? 'in-body' : '', hottest ? 'hottest' : '', hot && !hot.inBody ? 'inlined' : '']
    .filter(Boolean)
    .join(' ')
  // Heat as the gutter's background: the share of the function's line ticks, made visible from ~2%.
  const strength = hot ? Math.round(12 + 68 * Math.min(1, hot.share * 2)) : 0
  return (
    <div
      className={classes}
      role="listitem"
      data-line={line}
      aria-current={hottest ? 'true' : undefined}
      aria-label={
        hot ? `Line ${line}: ${formatDurationMs(hot.selfMs)} self, ${formatPct(hot.share)}${hot.inBody ? '' : ', inlined'}` : undefined
      }
    >
      <span className="source-gutter" style={hot ? { ['--heat' as string]: `${strength}%` } : undefined}>
        <span className="source-ms">{hot ? formatDurationMs(hot.selfMs) : ''}</span>
        <span className="source-pct">{hot ? formatPct(hot.share) : ''}</span>
        <span className="source-no">{line}</span>
        <span className="source-mark">
          {hottest ? (
            <span className="source-tag source-tag-hot">hottest</span>
          ) : hot && !hot.inBody ? (
            <span className="source-tag" title="Ticks on this line outside the function's body: code V8 inlined into it">
              inlined
            </span>
          ) : null}
        </span>
      </span>
      {/* highlight.js output: every character of the file escaped, only its own <span class> tags added. */}
      <code className="source-code hljs" dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  )
}
