/**
 * A profile file the user chose or dropped, open on screen at once (#/open) and then imported as a run
 * behind it: the flame graph is parsed from the File itself in the profile worker, so it does not wait for
 * the upload, the engine's import and a second read back from the store. Held in memory only (a File
 * cannot outlive the page); `seq` tells one choice from the next, so a late import result of an earlier
 * file never lands on a later one.
 */
import type { StateCreator } from 'zustand'
import type { RunId } from '../../../../core/model/run.js'
import type { WorkbenchState } from '../store.js'

export type OpenedFileImport =
  | { status: 'importing' }
  | { status: 'saved'; runId: RunId }
  /** The engine kept no run: its reason (refused, or already in the store). */
  | { status: 'failed'; message: string }

export interface OpenedFile {
  seq: number
  name: string
  /** The chosen or dropped file: the profile worker reads it (see profileInput); the page never holds its bytes. */
  file: Blob
  import: OpenedFileImport
  /**
   * Settles once the view has shown the file (painted, or failed to open it) or left it. The import waits
   * for it: on a machine with few cores the upload and the engine's import running beside the worker's
   * parse slow the first paint (91 MB profile, choose -> paint: 1.88-1.98 s waiting, 2.50-3.12 s side by
   * side; 5 interleaved pairs, waiting faster in all 5), while saving ends later (3.7-4.3 s vs 2.6-3.1 s).
   */
  shown: Promise<void>
}

export interface OpenedFileSlice {
  openedFile: OpenedFile | null
  /** Shows `file` as the open file (importing); returns its seq for setOpenedFileImport. */
  openFile(name: string, file: Blob): number
  /** The view showed the file opened as `seq` (painted, failed, or left): its import may start. */
  markOpenedFileShown(seq: number): void
  /** The import's outcome for the file opened as `seq`; ignored when another file was opened since. */
  setOpenedFileImport(seq: number, state: OpenedFileImport): void
}

export const createOpenedFileSlice: StateCreator<WorkbenchState, [], [], OpenedFileSlice> = (set, get) => {
  let nextSeq = 1
  let settleShown: (() => void) | null = null
  return {
    openedFile: null,
    openFile(name, file) {
      const seq = nextSeq++
      // An earlier file's import need not wait for a view that no longer shows it.
      settleShown?.()
      const shown = new Promise<void>((resolve) => {
        settleShown = resolve
      })
      set({ openedFile: { seq, name, file, import: { status: 'importing' }, shown } })
      return seq
    },
    markOpenedFileShown(seq) {
      if (get().openedFile?.seq === seq) settleShown?.()
    },
    setOpenedFileImport(seq, state) {
      const current = get().openedFile
      if (current?.seq === seq) set({ openedFile: { ...current, import: state } })
    },
  }
}
