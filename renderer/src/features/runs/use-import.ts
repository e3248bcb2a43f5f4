/**
 * The import flow shared by the Import button and window drops: refuse what is not a bundle or
 * profile by name, read the rest, import through the store, and report the outcome as a notice.
 */
import { useCallback } from 'react'
import { errorMessage } from '../../lib/errors.js'
import { useWorkbenchStore } from '../../state/store.js'
import { describeImportOutcome, partitionImportable, readFiles } from './import-files.js'

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
        const outcome = await state.importFiles(await readFiles(accepted))
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
