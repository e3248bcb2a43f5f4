/**
 * A tiny typed event hub for WorkbenchEvents: per-event listeners (the WorkbenchEventSource contract)
 * plus "any" listeners for transports that forward every event (Electron IPC, the WebSocket).
 */
import type { WorkbenchEventName, WorkbenchEventSource, WorkbenchEvents } from '../core/api/contract.js'

/** Receives every event with its name; what the IPC and WebSocket transports subscribe with. */
export type AnyEventListener = <E extends WorkbenchEventName>(name: E, payload: WorkbenchEvents[E]) => void

/** An event source that can also emit, and be listened to as a whole. */
export interface EventHub extends WorkbenchEventSource {
  emit<E extends WorkbenchEventName>(name: E, payload: WorkbenchEvents[E]): void
  /** Subscribes to every event; returns the unsubscribe function. */
  onAny(listener: AnyEventListener): () => void
  /** Number of listeners, per-event and "any" together (for tests and leak checks). */
  listenerCount(): number
}

/**
 * Creates a hub. A listener that throws is reported through `onListenerError` and does not stop the
 * others: the emitter is usually the run executor, which must not fail a run because a window closed.
 */
export function createEventHub(onListenerError: (err: unknown, name: WorkbenchEventName) => void = () => undefined): EventHub {
  const byName = new Map<WorkbenchEventName, Set<(payload: never) => void>>()
  const any = new Set<AnyEventListener>()

  return {
    on(event, listener) {
      let set = byName.get(event)
      if (!set) byName.set(event, (set = new Set()))
      // A wrapper per subscription, so the same function subscribed twice is also unsubscribed twice.
      const entry = (payload: never): void => listener(payload)
      set.add(entry)
      return () => {
        set.delete(entry)
      }
    },
    onAny(listener) {
      const entry: AnyEventListener = (name, payload) => listener(name, payload)
      any.add(entry)
      return () => {
        any.delete(entry)
      }
    },
    emit(name, payload) {
      // Copies: a listener may unsubscribe (itself or others) while we iterate.
      for (const listener of [...(byName.get(name) ?? [])]) {
        try {
          listener(payload as never)
        } catch (err) {
          onListenerError(err, name)
        }
      }
      for (const listener of [...any]) {
        try {
          listener(name, payload)
        } catch (err) {
          onListenerError(err, name)
        }
      }
    },
    listenerCount() {
      let n = any.size
      for (const set of byName.values()) n += set.size
      return n
    },
  }
}
