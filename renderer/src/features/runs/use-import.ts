/**
 * The import flow shared by the Import button and window drops: refuse what is not a bundle or
 * profile by name, import the rest through the store (a File is sent as it is where the client takes a
 * Blob, else read just before it is sent), and report the outcome as a notice.
 */
import { useCallback } from 'react'
import { errorMessage } from '../../lib/errors.js'
import { useWorkbenchStore } from '../../state/store.js'
import { describeImportOutcome, partitionImportable } from './import-files.js'

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
      state.showNotice({
        kind: 'info',
        text: `Importing ${accepted.length === 1 ? (accepted[0] as File).name : `${accepted.length} files`}…`,
      })
      try {
        const outcome = await state.importFiles(accepted.map((file) => ({ name: file.name, blob: file })))
        store.getState().showNotice(
          describeImportOutcome(
            outcome,
            refused.map((f) => f.name),
          ),
        )
      } catch (err) {
        store.getState().showNotice({ kind: 'error', text: `Import failed: ${errorMessage(err)}` })
      }
    },
    [store],
  )
}
