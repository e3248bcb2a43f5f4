/**
 * The breadcrumb of applied transforms above the flame graph and call tree (and the diff): "Full profile ›
 * Focus: f › Merge: g". A crumb goes back to that step; ✕ (or Backspace in the views) undoes the last.
 * The "Transform" button opens the transforms menu for the selected frame, for keyboard users.
 */
import type { ReactNode } from 'react'
import { type ProfileTransform, describeTransform } from '../../../../core/analysis/transforms.js'
import './transforms.css'

export interface TransformBarProps {
  stack: readonly ProfileTransform[]
  popTo(length: number): void
  /** Opens the menu for the selected frame, below the button; absent hides the button, null disables it. */
  openForSelected?: ((at: { x: number; y: number }) => void) | null
  /** What the transforms apply to, for the first crumb ("Full profile", "Both profiles"). */
  rootLabel?: string
  busy?: boolean
}

export function TransformBar(props: TransformBarProps): ReactNode {
  const { stack, popTo } = props
  const open = props.openForSelected
  return (
    <div className="hp-transform-bar" data-testid="transform-bar">
      <nav className="hp-transform-crumbs" aria-label="Applied transforms">
        <span className="hp-transform-title">Transforms</span>
        <button type="button" aria-current={stack.length === 0 ? 'true' : undefined} onClick={() => popTo(0)} disabled={stack.length === 0}>
          {props.rootLabel ?? 'Full profile'}
        </button>
        {stack.map((t, i) => (
          <span key={i} className="hp-transform-crumb">
            <span aria-hidden="true">›</span>
            <button
              type="button"
              aria-current={i === stack.length - 1 ? 'true' : undefined}
              disabled={i === stack.length - 1}
              onClick={() => popTo(i + 1)}
              title={describeTransform(t)}
            >
              {describeTransform(t)}
            </button>
          </span>
        ))}
        {stack.length > 0 ? (
          <button
            type="button"
            className="hp-transform-undo"
            aria-label="Undo the last transform"
            title="Undo the last transform (Backspace)"
            onClick={() => popTo(stack.length - 1)}
          >
            ✕
          </button>
        ) : (
          <span className="hp-transform-hint">Right-click a frame or row to focus, merge or collapse</span>
        )}
        {props.busy ? <span className="hp-transform-hint">applying…</span> : null}
      </nav>
      {open !== undefined ? (
        <button
          type="button"
          className="btn btn-small"
          disabled={open === null}
          aria-haspopup="menu"
          title={open === null ? 'Select a frame or row first' : 'Transforms for the selected frame (Shift+F10)'}
          onClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect()
            open?.({ x: r.left, y: r.bottom + 4 })
          }}
        >
          Transform selected ▾
        </button>
      ) : null}
    </div>
  )
}

/** Backspace in a view (not in a text field) undoes the last transform. */
export function isUndoKey(event: { key: string; target: EventTarget | null }): boolean {
  if (event.key !== 'Backspace') return false
  const el = event.target as HTMLElement | null
  return !(el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable))
}
