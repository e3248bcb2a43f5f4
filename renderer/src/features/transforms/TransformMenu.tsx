/**
 * The transforms context menu of the flame graph, the call tree and the diff (right click on a frame or
 * row, Shift+F10 on the selected one, or the bar's "Transform" button): focus, merge, drop, collapse a
 * module or Node internals, hide V8 pseudo-frames. A WAI-ARIA menu: arrow keys move, Enter applies,
 * Escape or a click outside closes, and focus goes back where it was.
 */
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { ProfileTransform } from '../../../../core/analysis/transforms.js'
import { type TransformTarget, transformOptions } from './transform-options.js'
import './transforms.css'

export interface TransformMenuProps {
  target: TransformTarget
  /** Client coordinates of the menu's top-left corner (moved to stay on screen). */
  at: { x: number; y: number }
  stack: readonly ProfileTransform[]
  onApply(transform: ProfileTransform): void
  onClose(): void
}

export function TransformMenu(props: TransformMenuProps): ReactNode {
  const { target, stack, onApply, onClose } = props
  const options = transformOptions(target, stack)
  const ref = useRef<HTMLDivElement>(null)
  const [pos, setPos] = useState(props.at)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const { width, height } = el.getBoundingClientRect()
    setPos({
      x: Math.max(4, Math.min(props.at.x, window.innerWidth - width - 4)),
      y: Math.max(4, Math.min(props.at.y, window.innerHeight - height - 4)),
    })
    el.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus()
  }, [props.at.x, props.at.y])
  useEffect(() => {
    const onDown = (e: PointerEvent): void => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose()
    }
    const onScroll = (): void => onClose()
    document.addEventListener('pointerdown', onDown, true)
    window.addEventListener('resize', onScroll)
    return () => {
      document.removeEventListener('pointerdown', onDown, true)
      window.removeEventListener('resize', onScroll)
    }
  }, [onClose])
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const items = Array.from(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])
    const i = items.indexOf(document.activeElement as HTMLButtonElement)
    const go = (j: number): void => items[(j + items.length) % items.length]?.focus()
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault()
      e.stopPropagation()
      onClose()
    } else if (e.key === 'ArrowDown') {
      e.preventDefault()
      go(i + 1)
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      go(i - 1)
    } else if (e.key === 'Home') {
      e.preventDefault()
      go(0)
    } else if (e.key === 'End') {
      e.preventDefault()
      go(items.length - 1)
    }
    // Backspace in the menu must not reach the views' "undo last transform".
    if (e.key === 'Backspace') e.stopPropagation()
  }
  return (
    <div
      ref={ref}
      className="hp-transform-menu"
      role="menu"
      aria-label={`Transforms for ${target.name}`}
      style={{ left: pos.x, top: pos.y }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
      data-testid="transform-menu"
    >
      <div className="hp-transform-menu-title" title={target.url || undefined}>
        {target.name}
      </div>
      {options.map((o) => (
        <button
          key={o.id}
          type="button"
          role="menuitem"
          data-transform={o.id}
          disabled={o.applied}
          title={o.applied ? 'Already applied' : undefined}
          onClick={() => {
            onApply(o.transform)
            onClose()
          }}
        >
          {o.label}
        </button>
      ))}
    </div>
  )
}

/** Menu state for a host view: `open(target, at)` shows the menu; `menu` is what to render. */
export function useTransformMenu(
  stack: readonly ProfileTransform[],
  apply: (transform: ProfileTransform) => void,
): { open(target: TransformTarget, at: { x: number; y: number }): void; menu: ReactNode } {
  const [state, setState] = useState<{ target: TransformTarget; at: { x: number; y: number }; returnFocus: Element | null } | null>(null)
  const open = useCallback((target: TransformTarget, at: { x: number; y: number }) => {
    setState({ target, at, returnFocus: document.activeElement })
  }, [])
  const close = useCallback(() => {
    setState((s) => {
      if (s?.returnFocus instanceof HTMLElement && s.returnFocus.isConnected) s.returnFocus.focus()
      return null
    })
  }, [])
  const menu = state ? <TransformMenu target={state.target} at={state.at} stack={stack} onApply={apply} onClose={close} /> : null
  return { open, menu }
}
