/**
 * The Launch sidebar's workloads folder: which folder the workload files come from (`serve --workloads
 * DIR`, or the desktop app's setting with its Choose… button), and each file there that failed to
 * describe (syntax error, missing export), with file, line and reason: listed as errors, not dropped.
 */
import { type ReactNode, useState } from 'react'
import type { WorkloadFolder } from '../../../../core/api/schemas.js'
import { Icon } from '../../components/Icon.js'
import { errorMessage } from '../../lib/errors.js'
import { useApi } from '../../state/store.js'
import { useAsync } from '../compare/use-async.js'

export function WorkloadFolderPanel({ onChanged }: { onChanged(): void }): ReactNode {
  const api = useApi()
  const [attempt, setAttempt] = useState(0)
  const [chooseError, setChooseError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const state = useAsync<WorkloadFolder>(() => api.getWorkloadFolder(), [attempt])
  if (state.status === 'loading') return null
  if (state.status === 'error') return <p className="workload-folder-error">Workloads folder: {state.message}</p>
  const { folder, problems, canChoose } = state.value
  if (!folder && !canChoose) return null
  const choose = async (): Promise<void> => {
    setBusy(true)
    setChooseError(null)
    try {
      const next = await api.chooseWorkloadFolder()
      if (next.folder !== folder) onChanged()
      setAttempt((a) => a + 1)
    } catch (err) {
      setChooseError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="workload-folder" aria-labelledby="workload-folder-title">
      <h2 id="workload-folder-title" className="section-label">
        Workloads folder
      </h2>
      <p className="workload-folder-path mono" title={folder ?? undefined}>
        {folder ?? 'none chosen'}
      </p>
      {canChoose ? (
        <button type="button" className="btn" disabled={busy} onClick={() => void choose()}>
          Choose…
        </button>
      ) : null}
      {chooseError ? (
        <p className="workload-folder-error" role="alert">
          {chooseError}
        </p>
      ) : null}
      {problems.length > 0 ? (
        <ul className="workload-problems" aria-label="Workload files with errors">
          {problems.map((p) => (
            <li key={`${p.file}:${p.line ?? ''}`} className="workload-problem" role="alert">
              <Icon name="alert" />
              <div>
                <div className="mono workload-problem-file">
                  {p.file}
                  {p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : ''}
                </div>
                <div className="workload-problem-message">{p.message}</div>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
