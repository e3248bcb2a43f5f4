/**
 * The envelope every Electron IPC reply travels in, shared by main (electron/main/ipc.ts), the preload
 * and the renderer's api client. Errors go back as data because Electron keeps only an Error's message
 * across ipcMain.handle and contextBridge; the envelope keeps the code and per-field issues as well.
 */
import type { ApiErrorBody } from './contract.js'

/** One IPC reply: the method's value, or the same error body the HTTP transport sends. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody['error'] }

/**
 * What the preload rejects with: a plain object (whose fields survive contextBridge), turned back
 * into an Error by the renderer's api client.
 */
export interface BridgeErrorShape {
  name: 'WorkbenchError'
  code: ApiErrorBody['error']['code']
  message: string
  issues?: string[]
}

export function isBridgeError(x: unknown): x is BridgeErrorShape {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as { name?: unknown }).name === 'WorkbenchError' &&
    typeof (x as { message?: unknown }).message === 'string'
  )
}
