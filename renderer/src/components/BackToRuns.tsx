/** The "← Runs" link at the top of the views opened from the runs library (a run, a comparison, a sweep, an opened file). */
import type { ReactNode } from 'react'
import { useWorkbench } from '../state/store.js'
import { Icon } from './Icon.js'

export function BackToRuns(): ReactNode {
  const navigate = useWorkbench((s) => s.navigate)
  return (
    <a
      href="#/runs"
      className="back-link"
      onClick={(e) => {
        e.preventDefault()
        navigate({ view: 'runs' })
      }}
    >
      <Icon name="back" /> Runs
    </a>
  )
}
