/**
 * Windowing math for fixed-height virtual lists: which rows to put in the DOM for a scroll position,
 * and where to scroll so a row is visible. Pure, so it is tested without a browser.
 */
import type { CssPixels } from '../../../core/model/units.js'

export interface WindowInput {
  scrollTop: CssPixels
  viewportHeight: CssPixels
  rowHeight: CssPixels
  rowCount: number
  /** Extra rows rendered above and below the viewport so fast scrolling does not show blanks. */
  overscan?: number
}

export interface RowWindow {
  /** First rendered row (inclusive). */
  start: number
  /** One past the last rendered row. */
  end: number
  /** Top of the first rendered row, in px from the top of the list. */
  offsetTop: CssPixels
  /** Height of the whole list, in px. */
  totalHeight: CssPixels
}

/** The rows to render; an empty window when there are no rows or no height. */
export function computeWindow({ scrollTop, viewportHeight, rowHeight, rowCount, overscan = 4 }: WindowInput): RowWindow {
  const totalHeight = Math.max(0, rowCount * rowHeight)
  if (rowCount <= 0 || rowHeight <= 0 || viewportHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight }
  // Scroll positions past the end happen when rows are removed while scrolled down: clamp.
  const maxScroll = Math.max(0, totalHeight - viewportHeight)
  const top = Math.min(Math.max(0, scrollTop), maxScroll)
  const firstVisible = Math.floor(top / rowHeight)
  const lastVisible = Math.min(rowCount - 1, Math.floor((top + viewportHeight - 1) / rowHeight))
  const start = Math.max(0, firstVisible - overscan)
  const end = Math.min(rowCount, lastVisible + 1 + overscan)
  return { start, end, offsetTop: start * rowHeight, totalHeight }
}

/**
 * The scrollTop that brings row `index` fully into view with the least movement: unchanged when it is
 * already visible, aligned to the top when it is above, to the bottom when it is below.
 */
export function scrollTopForRow(index: number, scrollTop: CssPixels, viewportHeight: CssPixels, rowHeight: CssPixels): CssPixels {
  const rowTop = index * rowHeight
  const rowBottom = rowTop + rowHeight
  if (rowTop < scrollTop) return rowTop
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight)
  return scrollTop
}

/** Rows that fit fully in the viewport (at least 1): the PageUp/PageDown step. */
export function rowsPerPage(viewportHeight: CssPixels, rowHeight: CssPixels): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight))
}

export type ListKey = 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End'

/** The focused row after a navigation key, clamped to the list; -1 only for an empty list. */
export function moveFocus(key: ListKey, index: number, rowCount: number, pageSize: number): number {
  if (rowCount <= 0) return -1
  const from = index < 0 ? -1 : Math.min(index, rowCount - 1)
  const clamp = (i: number): number => Math.min(rowCount - 1, Math.max(0, i))
  switch (key) {
    case 'ArrowDown':
      return clamp(from + 1)
    case 'ArrowUp':
      return from < 0 ? 0 : clamp(from - 1)
    case 'PageDown':
      return clamp(from + pageSize)
    case 'PageUp':
      return clamp(from - pageSize)
    case 'Home':
      return 0
    case 'End':
      return rowCount - 1
  }
}
