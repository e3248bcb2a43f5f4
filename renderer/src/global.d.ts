/**
 * `window.workbench`: the Electron preload's bridge, typed from the contract (absent in browser mode,
 * where renderer/src/api-client.ts talks HTTP and WebSocket instead).
 */
import type { WorkbenchApi, WorkbenchEventSource } from '../../core/api/contract.js'

declare global {
  interface Window {
    workbench?: WorkbenchApi & WorkbenchEventSource
  }
}

export {}
