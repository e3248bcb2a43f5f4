/**
 * Modal dialogs on the native <dialog> element: showModal() gives focus trapping, Escape to close and
 * an inert page behind it for free. ConfirmDialog is the delete confirmation (and any other yes/no).
 */
import { type FormEvent, type ReactNode, useEffect, useRef } from 'react'

export interface DialogProps {
  title: string
  onClose(): void
  children: ReactNode
  /** Buttons at the bottom right. */
  footer?: ReactNode
  /** When given, the body is a form: Enter submits. */
  onSubmit?(event: FormEvent<HTMLFormElement>): void
  className?: string
}

export function Dialog({ title, onClose, children, footer, onSubmit, className }: DialogProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])
  const body = (
    <>
      <header className="dialog-header">
        <h2>{title}</h2>
      </header>
      <div className="dialog-body">{children}</div>
      {footer ? <footer className="dialog-footer">{footer}</footer> : null}
    </>
  )
  return (
    <dialog
      ref={ref}
      className={`dialog ${className ?? ''}`}
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
      onClick={(e) => {
        // A click on the backdrop lands on the <dialog> itself.
        if (e.target === ref.current) onClose()
      }}
    >
      {onSubmit ? (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            onSubmit(e)
          }}
        >
          {body}
        </form>
      ) : (
        body
      )}
    </dialog>
  )
}

export interface ConfirmDialogProps {
  title: string
  children: ReactNode
  confirmLabel: string
  danger?: boolean
  busy?: boolean
  error?: string | null
  onConfirm(): void
  onCancel(): void
}

export function ConfirmDialog(props: ConfirmDialogProps): ReactNode {
  return (
    <Dialog
      title={props.title}
      onClose={props.onCancel}
      onSubmit={props.onConfirm}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onCancel}>
            Cancel
          </button>
          {/* showModal() focuses the first control, Cancel: a stray Enter never confirms a deletion. */}
          <button type="submit" className={`btn ${props.danger ? 'btn-danger' : 'btn-primary'}`} disabled={props.busy}>
            {props.busy ? 'Working…' : props.confirmLabel}
          </button>
        </>
      }
    >
      {props.children}
      {props.error ? (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
    </Dialog>
  )
}
