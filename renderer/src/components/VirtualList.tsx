/**
 * A fixed-row-height virtual list: only the rows in (and just around) the viewport are in the DOM, so
 * thousands of runs scroll like ten. The math lives in lib/windowing.ts; this owns scroll and resize.
 */
import { type ReactNode, type Ref, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState } from 'react'
import { computeWindow, rowsPerPage, scrollTopForRow } from '../lib/windowing.js'

export interface VirtualListHandle {
  /** Scrolls the least amount that shows row `index` fully. */
  scrollToRow(index: number): void
  /** Rows that fit in the viewport (the PageUp/PageDown step). */
  pageSize(): number
  element(): HTMLDivElement | null
}

export interface VirtualListProps {
  rowCount: number
  rowHeight: number
  renderRow(index: number): ReactNode
  /** Key of a row (defaults to its index). */
  rowKey?(index: number): string
  overscan?: number
  className?: string
  ref?: Ref<VirtualListHandle>
  /** Rendered instead of rows when rowCount is 0. */
  empty?: ReactNode
  role?: string
  ariaLabel?: string
  ariaMultiselectable?: boolean
  tabIndex?: number
  onKeyDown?(event: React.KeyboardEvent<HTMLDivElement>): void
  onFocus?(event: React.FocusEvent<HTMLDivElement>): void
  /** Called after each render with the index one past the last row drawn (a paged list loads more near the end). */
  onWindowEnd?(end: number): void
}

export function VirtualList(props: VirtualListProps): ReactNode {
  const { rowCount, rowHeight, renderRow, rowKey, overscan = 6, ref } = props
  const viewport = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [height, setHeight] = useState(0)

  useLayoutEffect(() => {
    const el = viewport.current
    if (!el) return
    setHeight(el.clientHeight)
    const observer = new ResizeObserver(() => setHeight(el.clientHeight))
    observer.observe(el)
    return () => observer.disconnect()
  }, [])

  // When rows are removed while scrolled far down, the browser clamps scrollTop; follow it.
  useEffect(() => {
    const el = viewport.current
    if (el && el.scrollTop !== scrollTop) setScrollTop(el.scrollTop)
  }, [rowCount, scrollTop])

  const scrollToRow = useCallback(
    (index: number) => {
      const el = viewport.current
      if (!el || index < 0) return
      const next = scrollTopForRow(index, el.scrollTop, el.clientHeight, rowHeight)
      if (next !== el.scrollTop) el.scrollTop = next
    },
    [rowHeight],
  )

  useImperativeHandle(
    ref,
    () => ({ scrollToRow, pageSize: () => rowsPerPage(viewport.current?.clientHeight ?? 0, rowHeight), element: () => viewport.current }),
    [scrollToRow, rowHeight],
  )

  const win = computeWindow({ scrollTop, viewportHeight: height, rowHeight, rowCount, overscan })
  const { onWindowEnd } = props
  useEffect(() => {
    if (height > 0) onWindowEnd?.(win.end)
  }, [onWindowEnd, win.end, height])
  const rows: ReactNode[] = []
  for (let i = win.start; i < win.end; i++) {
    rows.push(
      <div key={rowKey ? rowKey(i) : i} className="vlist-row" style={{ height: rowHeight, top: i * rowHeight }}>
        {renderRow(i)}
      </div>,
    )
  }

  return (
    <div
      ref={viewport}
      className={`vlist ${props.className ?? ''}`}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      role={props.role}
      aria-label={props.ariaLabel}
      aria-multiselectable={props.ariaMultiselectable}
      aria-rowcount={props.role ? rowCount : undefined}
      tabIndex={props.tabIndex}
      onKeyDown={props.onKeyDown}
      onFocus={props.onFocus}
    >
      {rowCount === 0 ? (
        props.empty
      ) : (
        <div className="vlist-canvas" style={{ height: win.totalHeight }}>
          {rows}
        </div>
      )}
    </div>
  )
}
