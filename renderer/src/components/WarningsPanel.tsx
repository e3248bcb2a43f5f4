/**
 * The warnings of a run or a comparison: each text once, grouped by kind, behind a summary line that
 * can be folded away. Many warnings start folded so the metrics stay above the fold.
 */
import type { ReactNode } from 'react'
import { groupWarnings, type WarningSeverity } from '../../../core/stats/warnings.js'
import { Icon } from './Icon.js'

/** More warnings than this start collapsed. */
const OPEN_UP_TO = 3

export function WarningsPanel({ items }: { items: readonly { kind: string; text: string; severity?: WarningSeverity }[] }): ReactNode {
  const groups = groupWarnings(items)
  const count = groups.reduce((n, g) => n + g.texts.length, 0)
  if (count === 0) return null
  const errors = groups.filter((g) => g.severity === 'error').reduce((n, g) => n + g.texts.length, 0)
  const title = `${count === 1 ? '1 warning' : `${count} warnings`}${errors > 0 ? ` (${errors} ${errors === 1 ? 'error' : 'errors'})` : ''}`
  return (
    <details className="warnings" aria-label="Warnings" open={count <= OPEN_UP_TO || errors > 0}>
      <summary className="warnings-title">
        <Icon name="alert" /> {title}
        <span className="warnings-kinds">{groups.map((g) => kindLabel(g.kind)).join(' · ')}</span>
      </summary>
      <ul>
        {groups.map((g) => (
          <li key={g.kind} data-kind={g.kind} data-severity={g.severity}>
            {g.texts.length === 1 ? (
              g.texts[0]
            ) : (
              <>
                <span className="warnings-kind">{kindLabel(g.kind)}</span>
                <ul>
                  {g.texts.map((t) => (
                    <li key={t}>{t}</li>
                  ))}
                </ul>
              </>
            )}
          </li>
        ))}
      </ul>
    </details>
  )
}

/** "high-variance" -> "high variance". */
function kindLabel(kind: string): string {
  return kind.replace(/-/g, ' ')
}
