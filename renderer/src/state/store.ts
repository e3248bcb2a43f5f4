/**
 * The renderer's zustand store: the slices composed into one WorkbenchState. `createWorkbenchStore`
 * is a factory (each test and each window gets its own); components read it through `useWorkbench`.
 */
import { createContext, createElement, type ReactNode, useContext } from 'react'
import { type StoreApi, createStore, useStore } from 'zustand'
import { DEFAULT_ROUTE, type Route } from '../lib/route.js'
import type { WorkbenchClient } from './client.js'
import { type LiveRunSlice, createLiveRunSlice } from './slices/live-run.js'
import { type OpenedFileSlice, createOpenedFileSlice } from './slices/opened-file.js'
import { type RunsSlice, createRunsSlice } from './slices/runs.js'
import { type SelectionSlice, createSelectionSlice } from './slices/selection.js'
import { type TimeRangeSlice, createTimeRangeSlice } from './slices/time-range.js'
import { type ViewSlice, createViewSlice } from './slices/view.js'
import { type WorkloadsSlice, createWorkloadsSlice } from './slices/workloads.js'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

export type WorkbenchState = WorkloadsSlice & RunsSlice & LiveRunSlice & SelectionSlice & ViewSlice & TimeRangeSlice & OpenedFileSlice
export type WorkbenchStore = StoreApi<WorkbenchState>

export function createWorkbenchStore(api: WorkbenchClient, options: { initialRoute?: Route } = {}): WorkbenchStore {
  return createStore<WorkbenchState>()((...a) => ({
    ...createWorkloadsSlice(api)(...a),
    ...createRunsSlice(api)(...a),
    ...createLiveRunSlice(api)(...a),
    ...createSelectionSlice(...a),
    ...createTimeRangeSlice(...a),
    ...createOpenedFileSlice(...a),
    ...createViewSlice(options.initialRoute ?? DEFAULT_ROUTE)(...a),
    ...(api.connection ? { connection: api.connection.state } : {}),
  }))
}

interface WorkbenchContextValue {
  store: WorkbenchStore
  api: WorkbenchClient
}

const WorkbenchContext = createContext<WorkbenchContextValue | null>(null)

export function WorkbenchProvider(props: WorkbenchContextValue & { children: ReactNode }): ReactNode {
  return createElement(WorkbenchContext.Provider, { value: { store: props.store, api: props.api } }, props.children)
}

function useWorkbenchContext(): WorkbenchContextValue {
  const value = useContext(WorkbenchContext)
  if (!value) throw new Error('useWorkbench needs a <WorkbenchProvider> above it')
  return value
}

/** Reads from the store; pick several fields with `useShallow` so unrelated changes do not re-render. */
export function useWorkbench<T>(selector: (state: WorkbenchState) => T): T {
  return useStore(useWorkbenchContext().store, selector)
}

export function useWorkbenchStore(): WorkbenchStore {
  return useWorkbenchContext().store
}

/** The API client, for requests that do not change shared state (artifacts, environment report). */
export function useApi(): WorkbenchClient {
  return useWorkbenchContext().api
}
