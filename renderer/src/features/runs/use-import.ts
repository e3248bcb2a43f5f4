/**
 * The import flow shared by the Import button and window drops: refuse what is not a bundle or
 * profile by name, import the rest through the store (a File is sent as it is where the client takes a
 * Blob, else read just before it is sent), and report the outcome as a notice. A single profile file is
 * also opened at once (#/open, features/runs/OpenFileView.tsx): its flame graph is parsed from the File
 * in the profile worker and painted first, then it is imported; other imports show the runs library.
 */
import { useCallback } from 'react'
import { errorMessage } from '../../lib/errors.js'
import { useWorkbenchStore } from '../../state/store.js'
import { describeImportOutcome, opensAtOnce, partitionImportable } from './import-files.js'

export function useImportFiles(): (files: readonly File[]) => Promise<void> {
  const store = useWorkbenchStore()
  return useCallback(
    async (files) => {
      const { accepted, refused } = partitionImportable(files)
      const state = store.getState()
      if (accepted.length === 0) {
        state.showNotice({
          ...describeImportOutcome(
            { imported: [], skipped: [], failed: [] },
            refused.map((f) => f.name),
          ),
          text: 'Nothing to import.',
        })
        return
      }
      const only = accepted.length === 1 ? (accepted[0] as File) : null
      const seq = only && opensAtOnce(only.name) ? state.openFile(only.name, only) : null
      state.navigate(seq !== null ? { view: 'open' } : { view: 'runs' })
      state.showNotice({
        kind: 'info',
        text: `Importing ${only ? only.name : `${accepted.length} files`}…`,
      })
      try {
        // A file opened at once is parsed for the screen first; then it is sent (see OpenedFile.shown).
        if (seq !== null) await store.getState().openedFile?.shown
        const outcome = await state.importFiles(accepted.map((file) => ({ name: file.name, blob: file })))
        const now = store.getState()
        if (seq !== null) {
          const runId = outcome.imported[0]
          now.setOpenedFileImport(
            seq,
            runId !== undefined
              ? { status: 'saved', runId }
              : { status: 'failed', message: outcome.failed[0]?.message ?? outcome.skipped[0]?.reason ?? 'the engine kept no run' },
          )
        }
        now.showNotice(
          describeImportOutcome(
            outcome,
            refused.map((f) => f.name),
          ),
        )
      } catch (err) {
        if (seq !== null) store.getState().setOpenedFileImport(seq, { status: 'failed', message: errorMessage(err) })
        store.getState().showNotice({ kind: 'error', text: `Import failed: ${errorMessage(err)}` })
      }
    },
    [store],
  )
}
