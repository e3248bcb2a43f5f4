/**
 * What the renderer needs of its API client: the WorkbenchApi, its events, and the connection state
 * (the HTTP/WebSocket client reconnects; the Electron bridge is always connected).
 */
import type { WorkbenchApi, WorkbenchEventSource } from '../../../core/api/contract.js'

export type ConnectionState = 'connected' | 'reconnecting' | 'offline'

export interface ConnectionSource {
  readonly state: ConnectionState
  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (state: ConnectionState) => void): (() => void) | void
}

export type WorkbenchClient = WorkbenchApi & WorkbenchEventSource & { readonly connection?: ConnectionSource }
