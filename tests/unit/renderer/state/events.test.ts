import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { WorkbenchEventName, WorkbenchEvents } from '../../../../core/api/contract.js'
import type { ConnectionState, WorkbenchClient } from '../../../../renderer/src/state/client.js'
import { connectStoreToEvents } from '../../../../renderer/src/state/events.js'
import { createWorkbenchStore } from '../../../../renderer/src/state/store.js'
import { createFakeWorkbench } from '../../../../renderer/dev/fake-workbench.js'

/** A client whose events the test fires by hand. */
function manualClient() {
  const fake = createFakeWorkbench({ runs: 2, samplesPerRun: 20 })
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const connListeners = new Set<(s: ConnectionState) => void>()
  let state: ConnectionState = 'connected'
  const client: WorkbenchClient = {
    ...fake,
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (p: unknown) => void)
      return () => set.delete(listener as (p: unknown) => void)
    },
    connection: {
      get state() {
        return state
      },
      onChange: (l) => {
        connListeners.add(l)
        return () => connListeners.delete(l)
      },
    },
  }
  return {
    client,
    fake,
    fire<E extends WorkbenchEventName>(event: E, payload: WorkbenchEvents[E]) {
      for (const l of listeners.get(event) ?? []) l(payload)
    },
    setConnection(s: ConnectionState) {
      state = s
      for (const l of connListeners) l(s)
    },
    listenerCount: () => [...listeners.values()].reduce((a, s) => a + s.size, 0) + connListeners.size,
  }
}

const RUN = '20261123T070000000Z-orderbook-heap-aaaa'
const progress = (overall: number): WorkbenchEvents['runProgress'] => ({
  runId: RUN,
  phase: 'timing',
  fraction: overall,
  overall,
  opsPerSec: 1000 * overall,
})

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('connectStoreToEvents', () => {
  it('coalesces a burst of progress events into one store update with the latest values', () => {
    const m = manualClient()
    const store = createWorkbenchStore(m.client)
    connectStoreToEvents(store, m.client, { flushMs: 100 })
    let updates = 0
    store.subscribe((s, prev) => {
      if (s.liveRuns !== prev.liveRuns) updates++
    })
    for (let i = 1; i <= 50; i++) m.fire('runProgress', progress(i / 100))
    expect(updates).toBe(0)
    vi.advanceTimersByTime(100)
    expect(updates).toBe(1)
    expect(store.getState().liveRuns[RUN]?.progress?.overall).toBe(0.5)
  })

  it('keeps timeline samples out of React state', () => {
    const m = manualClient()
    const store = createWorkbenchStore(m.client)
    connectStoreToEvents(store, m.client)
    let updates = 0
    store.subscribe(() => updates++)
    for (let i = 0; i < 100; i++) m.fire('timelineSample', { runId: RUN, sample: { tMs: i * 10, cpuUserPct: 50 } })
    expect(updates).toBe(0)
    expect(store.getState().liveTimelines.get(RUN)?.length).toBe(100)
  })

  it('applies queued progress before the end, then reloads the library once per burst', async () => {
    const m = manualClient()
    const store = createWorkbenchStore(m.client)
    connectStoreToEvents(store, m.client, { reloadDebounceMs: 150 })
    m.fire('runProgress', progress(0.9))
    const summary = {
      id: RUN,
      kind: 'workload' as const,
      createdAt: '2026-11-23T07:00:00.000Z',
      label: 'x',
      tags: [],
      workload: { id: 'orderbook', variant: 'heap', params: {}, seed: 1 },
      status: 'cancelled' as const,
      machine: 'm',
      node: '20',
      artifactKinds: [],
    }
    m.fire('runFinished', { runId: RUN, status: 'cancelled', summary })
    // Cancelled keeps the last progress it reached, which must not be lost in the queue.
    expect(store.getState().liveRuns[RUN]).toMatchObject({ status: 'cancelled', progress: { overall: 0.9 } })
    m.fire('runsChanged', { reason: 'a' })
    m.fire('runsChanged', { reason: 'b' })
    await vi.advanceTimersByTimeAsync(200)
    expect(m.fake.calls.filter((c) => c.method === 'listRunPage')).toHaveLength(1)
  })

  it('mirrors the connection state and catches up after a reconnect', async () => {
    const m = manualClient()
    const store = createWorkbenchStore(m.client)
    connectStoreToEvents(store, m.client)
    m.setConnection('reconnecting')
    expect(store.getState().connection).toBe('reconnecting')
    m.setConnection('connected')
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getState().connection).toBe('connected')
    expect(m.fake.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['listRunPage', 'listWorkloads']))
  })

  it('unsubscribes everything it subscribed', () => {
    const m = manualClient()
    const store = createWorkbenchStore(m.client)
    const off = connectStoreToEvents(store, m.client)
    expect(m.listenerCount()).toBe(5)
    off()
    expect(m.listenerCount()).toBe(0)
  })
})
