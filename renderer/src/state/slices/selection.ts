/**
 * Which runs are selected in the library (checkboxes, shift-click ranges) and which row has the
 * keyboard focus. Selection order is kept: the first selected run is the natural baseline.
 */
import type { StateCreator } from 'zustand'
import type { RunId } from '../../../../core/model/run.js'
import type { WorkbenchState } from '../store.js'

export interface SelectionSlice {
  /** Selected runs in the order they were selected. */
  selectedIds: RunId[]
  /** The run a shift-click range starts from: the last one toggled. */
  anchorId: RunId | null
  focusedId: RunId | null
  toggleSelected(id: RunId): void
  /**
   * Shift-click: adds every run between the anchor and `id` in `orderedIds` (the list as displayed).
   * Without an anchor in the list it toggles `id` alone.
   */
  selectRange(orderedIds: readonly RunId[], id: RunId): void
  setSelection(ids: readonly RunId[]): void
  clearSelection(): void
  focusRun(id: RunId | null): void
}

export const createSelectionSlice: StateCreator<WorkbenchState, [], [], SelectionSlice> = (set, get) => ({
  selectedIds: [],
  anchorId: null,
  focusedId: null,

  toggleSelected(id) {
    const { selectedIds } = get()
    set({
      selectedIds: selectedIds.includes(id) ? selectedIds.filter((x) => x !== id) : [...selectedIds, id],
      anchorId: id,
    })
  },

  selectRange(orderedIds, id) {
    const { anchorId, selectedIds } = get()
    const from = anchorId ? orderedIds.indexOf(anchorId) : -1
    const to = orderedIds.indexOf(id)
    if (from < 0 || to < 0) {
      get().toggleSelected(id)
      return
    }
    const [lo, hi] = from <= to ? [from, to] : [to, from]
    const range = orderedIds.slice(lo, hi + 1)
    const have = new Set(selectedIds)
    // The anchor stays put, so a second shift-click re-extends from the same place (as in file managers).
    set({ selectedIds: [...selectedIds, ...range.filter((x) => !have.has(x))] })
  },

  setSelection: (ids) => set({ selectedIds: [...new Set(ids)], anchorId: ids[ids.length - 1] ?? null }),
  clearSelection: () => set({ selectedIds: [], anchorId: null }),
  focusRun: (id) => set({ focusedId: id }),
})
