/**
 * The preload: exposes exactly WorkbenchApi (one method per IPC channel) and `on(event, listener)` as
 * `window.workbench`, nothing else. Bundled to self-contained CommonJS (scripts/build-preload.mjs)
 * because sandboxed preloads can neither be ES modules nor require project files.
 */
import { type IpcRendererEvent, contextBridge, ipcRenderer } from 'electron'
import { type WorkbenchApi, type WorkbenchEventName, type WorkbenchEventSource, apiChannel, eventChannel } from '../../core/api/contract.js'
import type { BridgeErrorShape, IpcResult } from '../../core/api/ipc-result.js'

/** Invokes one channel and unwraps the envelope; failures reject with a plain object that survives contextBridge. */
async function invoke<T>(channel: (typeof apiChannel)[keyof typeof apiChannel], ...args: unknown[]): Promise<T> {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as IpcResult<T>
  if (reply.ok) return reply.value
  const error: BridgeErrorShape = { name: 'WorkbenchError', ...reply.error }
  return Promise.reject(error)
}

/** One method per message, each on its own channel (Electron's rule: no generic invoke passthrough). */
export const api: WorkbenchApi = {
  listWorkloads: (...args) => invoke(apiChannel.listWorkloads, ...args),
  getWorkloadFolder: (...args) => invoke(apiChannel.getWorkloadFolder, ...args),
  chooseWorkloadFolder: (...args) => invoke(apiChannel.chooseWorkloadFolder, ...args),
  startRun: (...args) => invoke(apiChannel.startRun, ...args),
  startSweep: (...args) => invoke(apiChannel.startSweep, ...args),
  checkRuntime: (...args) => invoke(apiChannel.checkRuntime, ...args),
  cancelRun: (...args) => invoke(apiChannel.cancelRun, ...args),
  listRuns: (...args) => invoke(apiChannel.listRuns, ...args),
  listRunPage: (...args) => invoke(apiChannel.listRunPage, ...args),
  getRun: (...args) => invoke(apiChannel.getRun, ...args),
  updateRun: (...args) => invoke(apiChannel.updateRun, ...args),
  deleteRun: (...args) => invoke(apiChannel.deleteRun, ...args),
  importFile: (...args) => invoke(apiChannel.importFile, ...args),
  exportRuns: (...args) => invoke(apiChannel.exportRuns, ...args),
  readArtifact: (...args) => invoke(apiChannel.readArtifact, ...args),
  readSource: (...args) => invoke(apiChannel.readSource, ...args),
  getEnvironment: (...args) => invoke(apiChannel.getEnvironment, ...args),
  compareRuns: (...args) => invoke(apiChannel.compareRuns, ...args),
  exportReport: (...args) => invoke(apiChannel.exportReport, ...args),
  getHeapSummary: (...args) => invoke(apiChannel.getHeapSummary, ...args),
  diffHeapSnapshots: (...args) => invoke(apiChannel.diffHeapSnapshots, ...args),
  diffProfiles: (...args) => invoke(apiChannel.diffProfiles, ...args),
  compareHeapClasses: (...args) => invoke(apiChannel.compareHeapClasses, ...args),
  getTrend: (...args) => invoke(apiChannel.getTrend, ...args),
  listBaselines: (...args) => invoke(apiChannel.listBaselines, ...args),
  getBaseline: (...args) => invoke(apiChannel.getBaseline, ...args),
  deleteBaseline: (...args) => invoke(apiChannel.deleteBaseline, ...args),
  listTargets: (...args) => invoke(apiChannel.listTargets, ...args),
  compareByTarget: (...args) => invoke(apiChannel.compareByTarget, ...args),
}

/** Subscribes to one engine event on its own channel; only the contract's event names are accepted. */
export const on: WorkbenchEventSource['on'] = (event, listener) => {
  if (!Object.hasOwn(eventChannel, event))
    throw new Error(`Unknown event "${String(event)}"; events: ${Object.keys(eventChannel).join(', ')}`)
  const channel = eventChannel[event as WorkbenchEventName]
  // The IpcRendererEvent stays here: it carries `sender`, which must not reach the page.
  const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload as never)
  ipcRenderer.on(channel, handler)
  return () => {
    ipcRenderer.removeListener(channel, handler)
  }
}

contextBridge.exposeInMainWorld('workbench', { ...api, on })
