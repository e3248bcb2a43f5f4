/**
 * The WorkbenchApi contract: every request the renderer (or CLI) can make and every event it can
 * receive. Imported by Electron main, the preload, the HTTP server and the renderer's api client;
 * channel names derive from the keys, never typed by hand.
 */
import type { z } from 'zod'
import { apiSchemas, eventSchemas } from './schemas.js'

type Schemas = typeof apiSchemas
export type ApiMethod = keyof Schemas

/** Renderer -> engine requests; one channel per method. */
export type WorkbenchApi = {
  [K in ApiMethod]: (...args: z.infer<Schemas[K]['args']>) => Promise<z.infer<Schemas[K]['result']>>
}

/** Engine -> renderer pushes. */
export type WorkbenchEvents = { [K in keyof typeof eventSchemas]: z.infer<(typeof eventSchemas)[K]> }
export type WorkbenchEventName = keyof WorkbenchEvents

export interface WorkbenchEventSource {
  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends WorkbenchEventName>(event: E, listener: (payload: WorkbenchEvents[E]) => void): () => void
}

export const apiMethods = Object.keys(apiSchemas) as ApiMethod[]
export const eventNames = Object.keys(eventSchemas) as WorkbenchEventName[]

/** The mapped type makes this exhaustive: a method added to apiSchemas fails to compile until listed. */
export const apiChannel: { readonly [K in ApiMethod]: `workbench:${K}` } = {
  listWorkloads: 'workbench:listWorkloads',
  getWorkloadFolder: 'workbench:getWorkloadFolder',
  chooseWorkloadFolder: 'workbench:chooseWorkloadFolder',
  startRun: 'workbench:startRun',
  startSweep: 'workbench:startSweep',
  checkRuntime: 'workbench:checkRuntime',
  cancelRun: 'workbench:cancelRun',
  listRuns: 'workbench:listRuns',
  listRunPage: 'workbench:listRunPage',
  getRun: 'workbench:getRun',
  updateRun: 'workbench:updateRun',
  deleteRun: 'workbench:deleteRun',
  importFile: 'workbench:importFile',
  exportRuns: 'workbench:exportRuns',
  readArtifact: 'workbench:readArtifact',
  readSource: 'workbench:readSource',
  getEnvironment: 'workbench:getEnvironment',
  compareRuns: 'workbench:compareRuns',
  exportReport: 'workbench:exportReport',
  getHeapSummary: 'workbench:getHeapSummary',
  diffHeapSnapshots: 'workbench:diffHeapSnapshots',
  diffProfiles: 'workbench:diffProfiles',
  compareHeapClasses: 'workbench:compareHeapClasses',
  getTrend: 'workbench:getTrend',
  listBaselines: 'workbench:listBaselines',
  getBaseline: 'workbench:getBaseline',
  deleteBaseline: 'workbench:deleteBaseline',
  listTargets: 'workbench:listTargets',
  compareByTarget: 'workbench:compareByTarget',
}

export const eventChannel: { readonly [K in WorkbenchEventName]: `workbench-event:${K}` } = {
  runProgress: 'workbench-event:runProgress',
  timelineSample: 'workbench-event:timelineSample',
  runFinished: 'workbench-event:runFinished',
  runsChanged: 'workbench-event:runsChanged',
}

/** A request that failed validation or handling: the message says what to fix. */
export interface ApiErrorBody {
  error: { code: 'bad-request' | 'not-found' | 'conflict' | 'internal' | 'too-large'; message: string; issues?: string[] }
}

/** Validates the arguments of one request; throws an Error whose message lists every problem. */
export function parseApiArgs<K extends ApiMethod>(method: K, args: unknown): z.infer<Schemas[K]['args']> {
  const result = apiSchemas[method].args.safeParse(args)
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`)
    throw new ApiValidationError(`Invalid arguments for ${method}: ${issues.join('; ')}`, issues)
  }
  return result.data as z.infer<Schemas[K]['args']>
}

export class ApiValidationError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message)
    this.name = 'ApiValidationError'
  }
}
