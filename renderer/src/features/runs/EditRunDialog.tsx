/**
 * Editing a run's label, tags and notes (updateRun). The engine's refusal is shown in the dialog,
 * which stays open so nothing typed is lost.
 */
import { type ReactNode, useEffect, useState } from 'react'
import type { RunSummary } from '../../../../core/model/run.js'
import { Dialog } from '../../components/Dialog.js'
import { errorMessage } from '../../lib/errors.js'
import { useWorkbench } from '../../state/store.js'
import { parseTags } from '../launch/launch-form.js'

export interface EditRunDialogProps {
  run: Pick<RunSummary, 'id' | 'label' | 'tags'> & { notes?: string }
  onClose(): void
}

export function EditRunDialog({ run, onClose }: EditRunDialogProps): ReactNode {
  const updateRun = useWorkbench((s) => s.updateRun)
  const loadRun = useWorkbench((s) => s.loadRun)
  const detail = useWorkbench((s) => s.runDetails[run.id])
  const [label, setLabel] = useState(run.label)
  const [tags, setTags] = useState(run.tags.join(', '))
  // Notes are not in the summary: take them from the full record when it is (or becomes) loaded.
  const [notes, setNotes] = useState<string | null>(run.notes ?? (detail?.record ? detail.record.notes : null))
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const loadedNotes = detail?.record?.notes
  useEffect(() => {
    if (run.notes === undefined) void loadRun(run.id)
  }, [run.id, run.notes, loadRun])
  useEffect(() => {
    if (loadedNotes !== undefined) setNotes((n) => n ?? loadedNotes)
  }, [loadedNotes])

  const save = async (): Promise<void> => {
    setSaving(true)
    setError(null)
    try {
      await updateRun(run.id, { label: label.trim(), tags: parseTags(tags), ...(notes !== null ? { notes } : {}) })
      onClose()
    } catch (err) {
      setError(errorMessage(err))
      setSaving(false)
    }
  }

  return (
    <Dialog
      title="Edit run"
      onClose={onClose}
      onSubmit={() => void save()}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <p className="muted mono small">{run.id}</p>
      <div className="field">
        <label className="field-label" htmlFor="edit-label">
          Label
        </label>
        <input id="edit-label" type="text" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} autoFocus />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="edit-tags">
          Tags
        </label>
        <input id="edit-tags" type="text" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="baseline, laptop" />
        <p className="field-hint">Separated by commas or spaces.</p>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="edit-notes">
          Notes
        </label>
        <textarea
          id="edit-notes"
          rows={5}
          value={notes ?? ''}
          disabled={notes === null}
          placeholder={
            notes !== null
              ? 'What changed, what to look at…'
              : detail?.status === 'error'
                ? `Notes could not be loaded (${detail.error}); they will be left as they are.`
                : 'Loading…'
          }
          onChange={(e) => setNotes(e.target.value)}
          maxLength={20_000}
        />
      </div>
      {error ? (
        <p className="field-error" role="alert">
          Could not save: {error}
        </p>
      ) : null}
    </Dialog>
  )
}
