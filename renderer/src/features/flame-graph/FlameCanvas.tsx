/**
 * The canvas shell shared by the flame graph and the differential flame graph (Firefox Profiler's
 * generic chart canvas): owns the <canvas>, its size and DPR, the viewport, pointer and keyboard input
 * and the hover tooltip, and redraws through requestAnimationFrame without re-rendering React.
 */
import {
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
} from 'react'
import type { FlameRows } from '../../../../core/analysis/flame-graph.js'
import type { NodeIndex } from '../../../../core/model/units.js'
import { type DrawScratch, type DrawStats, createDrawScratch, drawFlameGraph } from './draw-flame-graph.js'
import type { FlamePalette } from './flame-colors.js'
import { type FlameBox, findBoxOfNode, hitTestFlame, moveForKey, moveSelection } from './hit-test.js'
import {
  FULL_VIEWPORT,
  type FlameOrientation,
  type Viewport,
  clampViewport,
  focusBox,
  maxScrollY,
  pan,
  pxToUnit,
  revealDepth,
  zoomAt,
} from './viewport.js'

/** What the tooltip shows for a box: a title, then label/value lines. */
export interface TooltipContent {
  title: string
  /** A coloured marker before the title (the box colour). */
  swatch?: string
  lines: [label: string, value: string][]
}

/** Imperative controls for toolbars and breadcrumbs. */
export interface FlameCanvasHandle {
  resetZoom(): void
  /** Zooms onto a box and scrolls its row into view. */
  focusBox(box: FlameBox): void
  /** focusBox on the (first) box of a node at `depth`; false when the node has no box. */
  focusNode(node: NodeIndex, depth: number): boolean
  /** Zooms around the middle of the view (factor > 1 zooms in). */
  zoomBy(factor: number): void
  getViewport(): Viewport
}

export interface FlameCanvasProps {
  rows: FlameRows
  orientation: FlameOrientation
  palette: FlamePalette
  colorOf: (node: NodeIndex) => string
  dimmedColorOf: (node: NodeIndex) => string
  labelOf: (node: NodeIndex) => string
  /** The depth of a node in the tree behind `rows`, to find the selected node's box. */
  depthOf: (node: NodeIndex) => number
  /** Per node, 1 for search matches (others are dimmed); null when nothing is searched. */
  matches: Uint8Array | null
  selectedNode: NodeIndex | null
  /** Per node, 1 for boxes drawn hatched (removed code in a diff). */
  hatched?: Uint8Array | null
  hatchColor?: string
  /** Click on a box (or on empty space: null), and keyboard moves. */
  onSelect: (node: NodeIndex | null, box: FlameBox | null) => void
  /** After a double click or Enter zoomed onto a box, or a reset (null). */
  onFocusBox?: (box: FlameBox | null) => void
  describeBox: (box: FlameBox) => TooltipContent
  /**
   * Right click on a box, or the context-menu key (Shift+F10) with a box selected: the box is selected
   * first, then this is called with where a menu should open (client coordinates).
   */
  onContextMenuBox?: (box: FlameBox, at: { x: number; y: number }) => void
  /** Called after every frame drawn (benchmarks, tests). */
  onFrameDrawn?: (stats: DrawStats) => void
  ariaLabel: string
  ref?: Ref<FlameCanvasHandle>
}

/** Wheel notches to zoom factor: one 100-pixel notch zooms by about 1.22×. */
const WHEEL_ZOOM_PER_PX = 0.002
/** A press that moves less than this is a click, not a drag (CSS pixels). */
const DRAG_THRESHOLD = 3

interface DragState {
  pointerId: number
  x: number
  y: number
  start: Viewport
  moved: boolean
}

export function FlameCanvas(props: FlameCanvasProps) {
  const containerRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const tooltipRef = useRef<HTMLDivElement>(null)
  // Everything the event handlers and the draw loop read lives in refs: pointer moves must not re-render.
  const propsRef = useRef(props)
  propsRef.current = props
  const viewportRef = useRef<Viewport>(FULL_VIEWPORT)
  const sizeRef = useRef({ width: 0, height: 0, dpr: 1 })
  const hoveredRef = useRef<FlameBox | null>(null)
  const selectedBoxRef = useRef<FlameBox | null>(null)
  const dragRef = useRef<DragState | null>(null)
  const frameRef = useRef(0)
  const scratchRef = useRef<DrawScratch | null>(null)
  const ctxRef = useRef<CanvasRenderingContext2D | null>(null)

  const maxY = (): number => maxScrollY(propsRef.current.rows.rows.length, sizeRef.current.height)

  const draw = useCallback(() => {
    frameRef.current = 0
    const canvas = canvasRef.current
    const { width, height, dpr } = sizeRef.current
    if (!canvas || width === 0 || height === 0) return
    const ctx = ctxRef.current ?? canvas.getContext('2d', { alpha: false })
    if (!ctx) return
    ctxRef.current = ctx
    scratchRef.current ??= createDrawScratch()
    const p = propsRef.current
    const stats = drawFlameGraph(
      ctx,
      {
        rows: p.rows,
        viewport: viewportRef.current,
        width,
        height,
        dpr,
        orientation: p.orientation,
        palette: p.palette,
        colorOf: p.colorOf,
        dimmedColorOf: p.dimmedColorOf,
        labelOf: p.labelOf,
        matches: p.matches,
        hatched: p.hatched ?? null,
        ...(p.hatchColor !== undefined ? { hatchColor: p.hatchColor } : {}),
        selectedNode: p.selectedNode,
        hoveredBox: hoveredRef.current,
      },
      scratchRef.current,
    )
    p.onFrameDrawn?.(stats)
  }, [])

  const scheduleDraw = useCallback(() => {
    if (frameRef.current === 0) frameRef.current = requestAnimationFrame(draw)
  }, [draw])

  const setViewport = useCallback(
    (v: Viewport) => {
      viewportRef.current = v
      // The viewport, readable from outside (tests, a11y tools) without comparing pixels.
      canvasRef.current?.setAttribute('data-viewport', `${v.x0.toFixed(6)} ${v.x1.toFixed(6)} ${v.y.toFixed(1)}`)
      scheduleDraw()
    },
    [scheduleDraw],
  )

  const hideTooltip = (): void => {
    const el = tooltipRef.current
    if (el) el.hidden = true
  }

  const showTooltip = (box: FlameBox, x: number, y: number): void => {
    const el = tooltipRef.current
    const container = containerRef.current
    if (!el || !container) return
    if (hoveredRef.current?.depth !== box.depth || hoveredRef.current.index !== box.index || el.hidden) {
      renderTooltip(el, propsRef.current.describeBox(box))
    }
    el.hidden = false
    // Keep the tooltip inside the chart: flip to the other side of the cursor near the edges.
    const w = el.offsetWidth
    const h = el.offsetHeight
    const left = x + 14 + w > container.clientWidth ? Math.max(0, x - 14 - w) : x + 14
    const top = y + 16 + h > container.clientHeight ? Math.max(0, y - 10 - h) : y + 16
    el.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`
  }

  const hitAt = (clientX: number, clientY: number): { box: FlameBox | null; x: number; y: number } => {
    const canvas = canvasRef.current
    if (!canvas) return { box: null, x: 0, y: 0 }
    const rect = canvas.getBoundingClientRect()
    const x = clientX - rect.left
    const y = clientY - rect.top
    const { width, height } = sizeRef.current
    return { box: hitTestFlame(propsRef.current.rows, viewportRef.current, { width, height }, x, y, propsRef.current.orientation), x, y }
  }

  /** Scrolls and pans the least needed so a box is on screen (keyboard moves, selection from elsewhere). */
  const revealBox = useCallback(
    (box: FlameBox) => {
      const row = propsRef.current.rows.rows[box.depth]
      if (!row) return
      let v = viewportRef.current
      const start = row.start[box.index]!
      const end = row.end[box.index]!
      if (end <= v.x0 || start >= v.x1) v = pan(v, (start + end) / 2 - (v.x0 + v.x1) / 2, 0, maxY())
      setViewport(revealDepth(v, box.depth, sizeRef.current.height, maxY()))
    },
    [setViewport],
  )

  const focusOnBox = useCallback(
    (box: FlameBox) => {
      const row = propsRef.current.rows.rows[box.depth]
      if (!row) return
      const v = focusBox(viewportRef.current, row.start[box.index]!, row.end[box.index]!, 0, maxY())
      setViewport(revealDepth(v, box.depth, sizeRef.current.height, maxY()))
    },
    [setViewport],
  )

  useImperativeHandle(
    props.ref,
    () => ({
      resetZoom() {
        setViewport(clampViewport({ ...FULL_VIEWPORT }, maxY()))
        propsRef.current.onFocusBox?.(null)
      },
      focusBox: focusOnBox,
      focusNode(node, depth) {
        const box = findBoxOfNode(propsRef.current.rows, depth, node)
        if (!box) return false
        focusOnBox(box)
        return true
      },
      zoomBy(factor) {
        const v = viewportRef.current
        setViewport(zoomAt(v, (v.x0 + v.x1) / 2, factor, maxY()))
      },
      getViewport: () => viewportRef.current,
    }),
    [focusOnBox, setViewport],
  )

  // New rows (another profile, or the other layout): start from the whole graph.
  useLayoutEffect(() => {
    viewportRef.current = { ...FULL_VIEWPORT }
    hoveredRef.current = null
    selectedBoxRef.current = null
    scratchRef.current?.fitted.clear()
    hideTooltip()
  }, [props.rows])

  // Follow a selection made elsewhere (the call tree table): find its box and bring it on screen.
  useLayoutEffect(() => {
    const node = props.selectedNode
    if (node === null) {
      selectedBoxRef.current = null
      return
    }
    if (selectedBoxRef.current?.node === node) return
    const box = findBoxOfNode(props.rows, props.depthOf(node), node)
    selectedBoxRef.current = box
    if (box) revealBox(box)
  }, [props.selectedNode, props.rows, props.depthOf, revealBox])

  // Any prop change can change the picture; the draw itself is batched into the next frame.
  useLayoutEffect(() => {
    scheduleDraw()
  })

  useEffect(() => {
    const container = containerRef.current
    const canvas = canvasRef.current
    if (!container || !canvas) return
    const resize = (): void => {
      const dpr = window.devicePixelRatio || 1
      const width = Math.max(0, Math.floor(container.clientWidth))
      const height = Math.max(0, Math.floor(container.clientHeight))
      const size = sizeRef.current
      if (size.width === width && size.height === height && size.dpr === dpr) return
      sizeRef.current = { width, height, dpr }
      canvas.width = Math.round(width * dpr)
      canvas.height = Math.round(height * dpr)
      canvas.style.width = `${width}px`
      canvas.style.height = `${height}px`
      viewportRef.current = clampViewport(viewportRef.current, maxY())
      scheduleDraw()
    }
    const observer = new ResizeObserver(resize)
    observer.observe(container)
    // Browser zoom and moving the window to another screen change the DPR and fire `resize`.
    window.addEventListener('resize', resize)
    resize()

    const onWheel = (event: WheelEvent): void => {
      const { width } = sizeRef.current
      if (width === 0) return
      const scale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? sizeRef.current.height : 1
      const dx = event.deltaX * scale
      const dy = event.deltaY * scale
      const zoomKey = event.ctrlKey || event.metaKey
      // A plain vertical wheel belongs to the page: it scrolls past the graph instead of being swallowed.
      // Ctrl/⌘+wheel (and a trackpad pinch, which browsers send as ctrl+wheel) zooms; Shift+wheel scrolls
      // the rows; a horizontal wheel or swipe pans.
      if (!zoomKey && !event.shiftKey && Math.abs(dx) <= Math.abs(dy)) return
      event.preventDefault()
      const v = viewportRef.current
      if (event.shiftKey) {
        // Shift+wheel scrolls the rows (deep stacks); away from the root is up in a flame graph.
        const sign = propsRef.current.orientation === 'icicle' ? 1 : -1
        setViewport(pan(v, 0, sign * (dy || dx), maxY()))
        return
      }
      if (!zoomKey) {
        setViewport(pan(v, (dx / width) * (v.x1 - v.x0), 0, maxY()))
        return
      }
      const rect = canvas.getBoundingClientRect()
      const x = pxToUnit(v, event.clientX - rect.left, width)
      setViewport(zoomAt(v, x, Math.exp(-dy * WHEEL_ZOOM_PER_PX), maxY()))
    }
    canvas.addEventListener('wheel', onWheel, { passive: false })
    return () => {
      observer.disconnect()
      window.removeEventListener('resize', resize)
      canvas.removeEventListener('wheel', onWheel)
      if (frameRef.current !== 0) cancelAnimationFrame(frameRef.current)
      frameRef.current = 0
    }
  }, [scheduleDraw, setViewport])

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>): void => {
    if (event.button !== 0) return
    // The press focuses the canvas by itself (it is focusable), so keyboard moves work after a click.
    event.currentTarget.setPointerCapture(event.pointerId)
    dragRef.current = { pointerId: event.pointerId, x: event.clientX, y: event.clientY, start: viewportRef.current, moved: false }
  }

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>): void => {
    const drag = dragRef.current
    if (drag && drag.pointerId === event.pointerId) {
      const dx = event.clientX - drag.x
      const dy = event.clientY - drag.y
      if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return
      drag.moved = true
      hideTooltip()
      const { width } = sizeRef.current
      // Dragging moves the picture with the pointer; rows move away from the root edge when pulled towards it.
      const sign = propsRef.current.orientation === 'icicle' ? -1 : 1
      setViewport(pan(drag.start, (-dx / width) * (drag.start.x1 - drag.start.x0), sign * dy, maxY()))
      return
    }
    const { box, x, y } = hitAt(event.clientX, event.clientY)
    const before = hoveredRef.current
    if (box) showTooltip(box, x, y)
    else hideTooltip()
    if (before?.depth !== box?.depth || before?.index !== box?.index) {
      hoveredRef.current = box
      scheduleDraw()
    }
  }

  const onPointerUp = (event: PointerEvent<HTMLCanvasElement>): void => {
    const drag = dragRef.current
    dragRef.current = null
    if (!drag || drag.pointerId !== event.pointerId || drag.moved) return
    const { box } = hitAt(event.clientX, event.clientY)
    selectedBoxRef.current = box
    propsRef.current.onSelect(box ? box.node : null, box)
  }

  const onPointerLeave = (): void => {
    hideTooltip()
    if (hoveredRef.current) {
      hoveredRef.current = null
      scheduleDraw()
    }
  }

  const onDoubleClick = (event: MouseEvent<HTMLCanvasElement>): void => {
    const { box } = hitAt(event.clientX, event.clientY)
    if (!box) return
    focusOnBox(box)
    propsRef.current.onFocusBox?.(box)
  }

  const onContextMenu = (event: MouseEvent<HTMLCanvasElement>): void => {
    const open = propsRef.current.onContextMenuBox
    if (!open) return
    const { box } = hitAt(event.clientX, event.clientY)
    if (!box) return
    event.preventDefault()
    hideTooltip()
    selectedBoxRef.current = box
    propsRef.current.onSelect(box.node, box)
    open(box, { x: event.clientX, y: event.clientY })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>): void => {
    const p = propsRef.current
    if ((event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) && p.onContextMenuBox && selectedBoxRef.current) {
      event.preventDefault()
      const rect = event.currentTarget.getBoundingClientRect()
      p.onContextMenuBox(selectedBoxRef.current, { x: rect.left + 24, y: rect.top + 24 })
      return
    }
    const v = viewportRef.current
    const move = moveForKey(event.key, p.orientation)
    if (move) {
      event.preventDefault()
      const from = selectedBoxRef.current
      const root = p.rows.rows[0]
      const next = from ? moveSelection(p.rows, from, move) : root && root.length > 0 ? { depth: 0, index: 0, node: root.node[0]! } : null
      if (!next) return
      selectedBoxRef.current = next
      p.onSelect(next.node, next)
      revealBox(next)
      return
    }
    const selected = selectedBoxRef.current
    const centre = (): number => {
      const row = selected ? p.rows.rows[selected.depth] : undefined
      // Zoom around the selected box when it is on screen, else around the middle of the view.
      if (selected && row) {
        const mid = (row.start[selected.index]! + row.end[selected.index]!) / 2
        if (mid >= v.x0 && mid <= v.x1) return mid
      }
      return (v.x0 + v.x1) / 2
    }
    switch (event.key) {
      case '+':
      case '=':
        event.preventDefault()
        setViewport(zoomAt(v, centre(), 1.5, maxY()))
        break
      case '-':
      case '_':
        event.preventDefault()
        setViewport(zoomAt(v, centre(), 1 / 1.5, maxY()))
        break
      case '0':
        event.preventDefault()
        setViewport(clampViewport({ ...FULL_VIEWPORT }, maxY()))
        p.onFocusBox?.(null)
        break
      case 'Escape':
        event.preventDefault()
        selectedBoxRef.current = null
        p.onSelect(null, null)
        break
      case 'Enter':
        if (selected) {
          event.preventDefault()
          focusOnBox(selected)
          p.onFocusBox?.(selected)
        }
        break
    }
  }

  return (
    <div className="hp-flame-canvas" ref={containerRef}>
      <canvas
        ref={canvasRef}
        tabIndex={0}
        role="img"
        aria-label={props.ariaLabel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (dragRef.current = null)}
        onPointerLeave={onPointerLeave}
        onDoubleClick={onDoubleClick}
        onContextMenu={onContextMenu}
        onKeyDown={onKeyDown}
      />
      <div className="hp-flame-tooltip" ref={tooltipRef} hidden role="tooltip" />
    </div>
  )
}

/** Fills the tooltip element with DOM nodes (text only: names come from profiles and are not trusted as HTML). */
function renderTooltip(el: HTMLElement, content: TooltipContent): void {
  const title = document.createElement('div')
  title.className = 'hp-flame-tooltip-title'
  if (content.swatch) {
    const swatch = document.createElement('span')
    swatch.className = 'hp-swatch'
    swatch.style.background = content.swatch
    title.append(swatch)
  }
  title.append(content.title)
  const table = document.createElement('dl')
  for (const [label, value] of content.lines) {
    const dt = document.createElement('dt')
    dt.textContent = label
    const dd = document.createElement('dd')
    dd.textContent = value
    table.append(dt, dd)
  }
  el.replaceChildren(title, table)
}
