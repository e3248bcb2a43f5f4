/**
 * The workload catalogue (descriptors from listWorkloads) and the launch form's drafts, one per
 * workload so switching workloads and back keeps what was typed.
 */
import type { StateCreator } from 'zustand'
import type { RunId } from '../../../../core/model/run.js'
import type { WorkloadDescriptor } from '../../../../core/model/workload.js'
import { type DraftErrors, type LaunchDraft, createDraft, mapServerIssues, validateDraft } from '../../features/launch/launch-form.js'
import { errorIssues, errorMessage } from '../../lib/errors.js'
import { expectedPhases } from '../../lib/progress.js'
import type { WorkbenchClient } from '../client.js'
import type { LoadStatus, WorkbenchState } from '../store.js'
import { healthLimits } from '../../../../core/assert/health.js'
import { parseAssertions } from '../../../../core/assert/assertion.js'
import { sweepSetLabel } from '../../../../core/model/sweep.js'

export interface LaunchError {
  message: string
  /** Problems placed next to the fields they concern (from the form's checks or the engine's issues). */
  fields: DraftErrors
}

export interface WorkloadsSlice {
  workloads: WorkloadDescriptor[]
  workloadsStatus: LoadStatus
  workloadsError: string | null
  /** The workload shown in the launch form. */
  launchWorkloadId: string | null
  drafts: Record<string, LaunchDraft>
  launching: boolean
  launchError: LaunchError | null
  loadWorkloads(): Promise<void>
  chooseWorkload(id: string): void
  /** Edits the draft of the chosen workload. */
  editDraft(patch: Partial<Omit<LaunchDraft, 'workload' | 'params'>>): void
  editParam(name: string, text: string): void
  resetDraft(): void
  /**
   * Validates and starts the chosen workload (a sweep when a parameter has several values: the engine runs
   * one after another, grouped); returns the new (first) run id, or null with launchError set.
   */
  launch(): Promise<RunId | null>
}

export const createWorkloadsSlice =
  (api: WorkbenchClient): StateCreator<WorkbenchState, [], [], WorkloadsSlice> =>
  (set, get) => {
    const withDraft = (update: (d: LaunchDraft) => LaunchDraft): void => {
      const { launchWorkloadId, drafts } = get()
      const draft = launchWorkloadId ? drafts[launchWorkloadId] : undefined
      if (!launchWorkloadId || !draft) return
      set({ drafts: { ...drafts, [launchWorkloadId]: update(draft) }, launchError: null })
    }
    return {
      workloads: [],
      workloadsStatus: 'idle',
      workloadsError: null,
      launchWorkloadId: null,
      drafts: {},
      launching: false,
      launchError: null,

      async loadWorkloads() {
        set({ workloadsStatus: 'loading', workloadsError: null })
        try {
          const workloads = await api.listWorkloads()
          set({ workloads, workloadsStatus: 'ready' })
          const current = get().launchWorkloadId
          const first = workloads[0]
          if ((!current || !workloads.some((w) => w.id === current)) && first) get().chooseWorkload(first.id)
        } catch (err) {
          set({ workloadsStatus: 'error', workloadsError: errorMessage(err) })
        }
      },

      chooseWorkload(id) {
        const descriptor = get().workloads.find((w) => w.id === id)
        if (!descriptor) return
        const drafts = get().drafts
        set({
          launchWorkloadId: id,
          drafts: drafts[id] ? drafts : { ...drafts, [id]: createDraft(descriptor) },
          launchError: null,
        })
      },

      editDraft: (patch) => withDraft((d) => ({ ...d, ...patch })),
      editParam: (name, text) => withDraft((d) => ({ ...d, params: { ...d.params, [name]: text } })),
      resetDraft() {
        const { launchWorkloadId, workloads, drafts } = get()
        const descriptor = workloads.find((w) => w.id === launchWorkloadId)
        if (descriptor) set({ drafts: { ...drafts, [descriptor.id]: createDraft(descriptor) }, launchError: null })
      },

      async launch() {
        const { launchWorkloadId, workloads, drafts, launching } = get()
        const descriptor = workloads.find((w) => w.id === launchWorkloadId)
        const draft = launchWorkloadId ? drafts[launchWorkloadId] : undefined
        if (!descriptor || !draft || launching) return null
        const checked = validateDraft(descriptor, draft)
        if (!checked.request) {
          set({ launchError: { message: 'Fix the highlighted fields to start the run.', fields: checked.errors } })
          return null
        }
        set({ launching: true, launchError: null })
        try {
          const sweep = checked.sweep
          const { runId } = sweep ? await api.startSweep({ run: checked.request, axes: sweep.axes }) : await api.startRun(checked.request)
          const variant = descriptor.variants.find((v) => v.id === draft.variant)
          // A sweep's runs are labelled by the engine: "<label> workers=1"; its first run is the one tracked here.
          const firstSet = sweep ? Object.fromEntries(sweep.axes.map((a) => [a.param, a.values[0] ?? ''])) : null
          get().trackRun(runId, {
            workload: descriptor.id,
            variant: draft.variant,
            label: firstSet
              ? `${checked.request.label ?? `${descriptor.id} sweep`} ${sweepSetLabel(firstSet)}`
              : (checked.request.label ?? `${descriptor.title} · ${variant?.title ?? draft.variant}`),
            phases: expectedPhases(checked.request),
            limits: healthLimitsOf(checked.request.assert ?? []),
          })
          set({ launching: false })
          return runId
        } catch (err) {
          set({ launching: false, launchError: { message: errorMessage(err), fields: mapServerIssues(errorIssues(err)) } })
          return null
        }
      },
    }
  }

/** The health limits of a request's assertions (already validated), with the defaults. */
function healthLimitsOf(texts: readonly string[]): ReturnType<typeof healthLimits> {
  const parsed = parseAssertions(texts)
  return healthLimits(parsed.ok ? parsed.assertions : [])
}
