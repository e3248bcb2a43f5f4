/**
 * Small shared display pieces: a run's status as a coloured badge, tag chips, and the inline error
 * and empty-state blocks every view uses, so they look and read the same everywhere.
 */
import type { ReactNode } from 'react'
import type { RunStatus } from '../../../core/model/run.js'
import { Icon } from './Icon.js'

const STATUS_TEXT: Record<RunStatus, string> = {
  ok: 'ok',
  failed: 'failed',
  cancelled: 'cancelled',
  timeout: 'timed out',
  running: 'running',
  interrupted: 'interrupted',
}

export function StatusBadge({ status }: { status: RunStatus }): ReactNode {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {STATUS_TEXT[status]}
    </span>
  )
}

export function Tags({ tags }: { tags: readonly string[] }): ReactNode {
  if (tags.length === 0) return null
  return (
    <span className="tags">
      {tags.map((t) => (
        <span key={t} className="tag">
          {t}
        </span>
      ))}
    </span>
  )
}

export function ErrorBox({ title, children, onRetry }: { title: string; children?: ReactNode; onRetry?(): void }): ReactNode {
  return (
    <div className="error-box" role="alert">
      <Icon name="alert" />
      <div>
        <strong>{title}</strong>
        {children ? <div className="error-box-detail">{children}</div> : null}
      </div>
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  )
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  )
}
