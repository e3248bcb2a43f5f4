/**
 * Feeds engine events into the store. Progress is coalesced to one store update per `flushMs` (latest
 * event per run wins) and timeline samples bypass React state entirely, so a chatty run costs at most
 * ~10 renders a second. Library changes reload the run list once per burst.
 */
import type { WorkbenchClient } from './client.js'
import type { RunProgress } from './slices/live-run.js'
import type { WorkbenchStore } from './store.js'

export interface EventWiringOptions {
  /** Longest wait before pending progress reaches the store (default 100 ms, i.e. ≤ 10 Hz). */
  flushMs?: number
  /** Quiet time after the last runsChanged before the list is reloaded (default 150 ms). */
  reloadDebounceMs?: number
}

/** Subscribes the store to the client's events and connection; returns the function that undoes it. */
export function connectStoreToEvents(store: WorkbenchStore, api: WorkbenchClient, options: EventWiringOptions = {}): () => void {
  const flushMs = options.flushMs ?? 100
  const reloadDebounceMs = options.reloadDebounceMs ?? 150
  const pending = new Map<string, RunProgress>()
  let flushTimer: ReturnType<typeof setTimeout> | null = null
  let reloadTimer: ReturnType<typeof setTimeout> | null = null

  const flush = (): void => {
    if (flushTimer !== null) clearTimeout(flushTimer)
    flushTimer = null
    if (pending.size === 0) return
    const events = [...pending.values()]
    pending.clear()
    store.getState().applyProgress(events)
  }

  const scheduleReload = (): void => {
    if (reloadTimer !== null) clearTimeout(reloadTimer)
    reloadTimer = setTimeout(() => {
      reloadTimer = null
      void store.getState().loadRuns()
    }, reloadDebounceMs)
  }

  const unsubscribers = [
    api.on('runProgress', (event) => {
      pending.set(event.runId, event)
      flushTimer ??= setTimeout(flush, flushMs)
    }),
    api.on('timelineSample', ({ runId, sample }) => {
      store.getState().liveTimelines.push(runId, sample)
    }),
    api.on('runFinished', (event) => {
      // Progress still queued for this run is older than its end: apply it first, then the end.
      flush()
      store.getState().finishLiveRun(event)
      scheduleReload()
    }),
    api.on('runsChanged', () => scheduleReload()),
  ]

  const connection = api.connection
  if (connection) {
    let previous = connection.state
    store.getState().setConnection(previous)
    const off = connection.onChange((state) => {
      store.getState().setConnection(state)
      // Events sent while we were away are lost: catch up with what the engine has now.
      if (state === 'connected' && previous !== 'connected') {
        void store.getState().loadRuns()
        if (store.getState().workloadsStatus !== 'ready') void store.getState().loadWorkloads()
      }
      previous = state
    })
    if (typeof off === 'function') unsubscribers.push(off)
  }

  return () => {
    for (const off of unsubscribers) off()
    if (flushTimer !== null) clearTimeout(flushTimer)
    if (reloadTimer !== null) clearTimeout(reloadTimer)
    pending.clear()
  }
}
