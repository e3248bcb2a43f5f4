/**
 * What the renderer needs of its API client: the WorkbenchApi, its events, and the connection state
 * (the HTTP/WebSocket client reconnects; the Electron bridge is always connected).
 */
import type { WorkbenchApi, WorkbenchEventSource } from '../../../core/api/contract.js'
import type { RunId } from '../../../core/model/run.js'

export type ConnectionState = 'connected' | 'reconnecting' | 'offline'

export interface ConnectionSource {
  readonly state: ConnectionState
  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (state: ConnectionState) => void): (() => void) | void
}

export type WorkbenchClient = WorkbenchApi &
  WorkbenchEventSource & {
    readonly connection?: ConnectionSource
    /**
     * An artifact as a Blob, where the client can get one without holding the bytes (browser mode: the
     * browser keeps a large download on disk, and the profile worker reads it a window at a time). Absent
     * on the Electron bridge, whose readArtifact bytes are used instead.
     */
    readArtifactBlob?(runId: RunId, file: string): Promise<Blob>
    /**
     * importFile with the file as a Blob (browser mode: the browser sends a chosen file from disk, so the
     * page never holds its bytes). Absent on the Electron bridge, which is given the bytes.
     */
    importBlob?(name: string, blob: Blob): ReturnType<WorkbenchApi['importFile']>
  }
