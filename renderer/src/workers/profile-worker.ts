/**
 * The profile worker: parses `.cpuprofile`/`.heapprofile` bytes off the main thread and computes the
 * call tree, flame rows, stack chart, bottom-up tree and sandwiches with core's pure functions. Profile
 * diffs are not computed here: the service computes the one diff (WorkbenchApi.diffProfiles). Requests are typed by ProfileWorkerApi; results go back with their typed arrays transferred.
 */
import { computeBottomUp, computeSandwich } from '../../../core/analysis/call-tree.js'
import { type FlameRows, computeFlameRows, computeStackChart } from '../../../core/analysis/flame-graph.js'
import { type TimeRange, restrictToTimeRange } from '../../../core/analysis/time-range.js'
import { type ProfileTransform, applyTransforms, dropIdle } from '../../../core/analysis/transforms.js'
import { type ByteSource, type ProfileChoice, type ProfileFormat, importProfileBytes } from '../../../core/import/index.js'
import { gunzipSync } from 'fflate'
import type { CallTree, FunctionIndex } from '../../../core/model/call-tree.js'
import type { Milliseconds } from '../../../core/model/units.js'

/**
 * Opens a profile file, given as `bytes` (transferred to the worker: detached on the caller's side) or as
 * a `file` Blob, which the worker reads a window at a time with FileReaderSync (a 1 GB profile fetched as
 * a Blob is never in the page's memory whole).
 */
export interface OpenProfileParams {
  bytes?: ArrayBuffer
  file?: Blob
  /** Used to sniff the format and in error messages. */
  fileName: string
  /** Which profile of a file with several (a trace thread, a speedscope profile); the main one by default. */
  profile?: string
  /** Drop `(idle)` samples first (CPU profiles). Default false. */
  dropIdle?: boolean
  /**
   * Compute the time-ordered stack chart too (when the profile has a sample timeline). Default false:
   * on long profiles it costs more than the import and holds millions of boxes, so the flame graph asks
   * for it with the `stackChart` request when the time-ordered layout is first shown.
   */
  stackChart?: boolean
  /**
   * Compute the bottom-up tree too. Default false: it costs more than everything else on deep profiles
   * (3 s for 200,000 nodes), so the call tree table asks for it with the `bottomUp` request when shown.
   */
  bottomUp?: boolean
}

/** FileReaderSync, which dedicated workers have (not in the DOM typings this project compiles against). */
declare const FileReaderSync: { new (): { readAsArrayBuffer(blob: Blob): ArrayBuffer } } | undefined

/** A Blob as a ByteSource: each window read synchronously from the Blob (FileReaderSync, workers only). */
export function blobByteSource(blob: Blob): ByteSource {
  if (typeof FileReaderSync === 'undefined') throw new Error('reading a file needs FileReaderSync (a dedicated worker)')
  const reader = new FileReaderSync()
  return {
    size: blob.size,
    read(into, offset, length, position) {
      const end = Math.min(blob.size, position + length)
      if (end <= position) return 0
      const chunk = new Uint8Array(reader.readAsArrayBuffer(blob.slice(position, end)))
      into.set(chunk, offset)
      return chunk.length
    },
  }
}

/**
 * Files up to this size are read whole before they are parsed, larger ones a window at a time (bounded
 * memory, so a 1 GB profile opens). Whole is faster: a 91 MB profile opened from a File in Chromium's
 * worker in a median 0.9x the time of windows (10 alternations in one worker, 2 pages; whole was faster in
 * 8), for 91 MB more held while it is parsed.
 */
export const READ_WHOLE_BYTES = 256 << 20

/** The bytes or the Blob of an open request, as the importer reads it. */
export function profileInput(params: OpenProfileParams): Uint8Array | ByteSource {
  if (params.file) {
    if (params.file.size > READ_WHOLE_BYTES || typeof FileReaderSync === 'undefined') return blobByteSource(params.file)
    return new Uint8Array(new FileReaderSync().readAsArrayBuffer(params.file))
  }
  if (params.bytes) return new Uint8Array(params.bytes)
  throw new Error(`open ${params.fileName}: give bytes or a file`)
}

/** Where the time of an open request went, in ms (measured in the worker). */
export interface OpenTimings {
  decodeMs: Milliseconds
  parseMs: Milliseconds
  importMs: Milliseconds
  flameMs: Milliseconds
  stackChartMs: Milliseconds
  bottomUpMs: Milliseconds
  totalMs: Milliseconds
}

export interface OpenedProfile {
  /** Handle for later sandwich and close requests; the worker keeps the tree until closed. */
  profileId: string
  format: 'cpuprofile' | 'heapprofile'
  /** The file's own format (a Chrome trace, speedscope, pprof... converted on import). */
  sourceFormat: ProfileFormat
  /** Every profile of the file (trace threads, speedscope profiles), the opened one first by default. */
  choices: ProfileChoice[]
  chosen: string
  fileName: string
  byteLength: number
  tree: CallTree
  /** Aggregated (left-heavy) flame rows. */
  flame: FlameRows
  /** Time-ordered rows; null unless asked for, and for allocation and hitCount-only CPU profiles. */
  stackChart: FlameRows | null
  /** Null unless asked for (see OpenProfileParams.bottomUp). */
  bottomUp: CallTree | null
  timings: OpenTimings
}

/** A view of an open profile computed on request. */
export interface ViewResult<T> {
  view: T
  ms: Milliseconds
}

export interface SandwichParams {
  profileId: string
  fn: FunctionIndex
}

export interface SandwichResult {
  fn: FunctionIndex
  /** Inverted tree rooted at the function: its callers, their callers, and so on. */
  callers: CallTree
  /** Top-down tree rooted at the function. */
  callees: CallTree
  callersRows: FlameRows
  calleesRows: FlameRows
}

/**
 * Everything the worker answers, one method per request (vscode-js-profile-visualizer's typed worker
 * requests). ProfileRequest and ProfileResponse derive from this, so adding a method here is all it takes
 * for the client to be typed.
 */
export interface ProfileWorkerApi {
  open(params: OpenProfileParams): OpenedProfile
  /** The bottom-up (inverted) tree of an open profile. */
  bottomUp(params: { profileId: string }): ViewResult<CallTree>
  /** The stack chart of an open profile; null when it has no sample timeline. */
  stackChart(params: { profileId: string }): ViewResult<FlameRows | null>
  sandwich(params: SandwichParams): SandwichResult
  /**
   * The open profile restricted to the samples in a time range (profile clock, core/analysis/time-range.ts):
   * its tree and flame rows. The worker keeps the whole profile; sandwiches and bottom-up stay on it.
   */
  timeRange(params: TimeRangeParams): TimeRangeResult
  /**
   * The open profile restricted to a time range (optional) and transformed by a stack
   * (core/analysis/transforms.ts), kept open under a new id so the bottom-up tree, sandwiches and the stack
   * chart are of what the views show. The caller closes it when it shows another.
   */
  derive(params: DeriveParams): DerivedProfile
  close(params: { profileId: string }): { closed: boolean }
}

export interface TimeRangeParams {
  profileId: string
  range: TimeRange
}

export interface DeriveParams {
  profileId: string
  range?: TimeRange
  transforms: ProfileTransform[]
}

export interface DerivedProfile {
  /** The derived tree's own id (close it when done); the source profile stays open. */
  profileId: string
  tree: CallTree
  flame: FlameRows
  ms: Milliseconds
}

export interface TimeRangeResult {
  range: TimeRange
  tree: CallTree
  flame: FlameRows
  ms: Milliseconds
}

export type ProfileMethod = keyof ProfileWorkerApi
export type ProfileParams<M extends ProfileMethod> = Parameters<ProfileWorkerApi[M]>[0]
export type ProfileResult<M extends ProfileMethod> = ReturnType<ProfileWorkerApi[M]>

/** A request message: `id` pairs it with its response. */
export type ProfileRequest<M extends ProfileMethod = ProfileMethod> = {
  [K in M]: { id: number; method: K; params: ProfileParams<K> }
}[M]

/** An error crossing the worker boundary (Error objects lose their class in structured clone). */
export interface ProfileWorkerError {
  /** `ProfileFormatError` for bad files: show the message to the user as is. */
  name: string
  message: string
}

export type ProfileResponse<M extends ProfileMethod = ProfileMethod> = {
  [K in M]: { id: number; method: K; ok: true; result: ProfileResult<K> } | { id: number; method: K; ok: false; error: ProfileWorkerError }
}[M]

/** A response and the buffers to transfer with it. */
export interface HandledResponse {
  response: ProfileResponse
  transfer: ArrayBuffer[]
}

/**
 * The ArrayBuffers behind every typed array in a value (plain objects and arrays), each once: a buffer
 * listed twice makes postMessage throw.
 */
export function collectTransferables(value: unknown, out: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) out.add(v.buffer)
      return
    }
    if (v instanceof ArrayBuffer) {
      out.add(v)
      return
    }
    if (Array.isArray(v)) {
      // Arrays of strings or numbers (function names, keys) hold no buffers: skip their elements.
      if (v.length > 0 && typeof v[0] === 'object') for (const item of v) visit(item)
      return
    }
    for (const key of Object.keys(v)) visit((v as Record<string, unknown>)[key])
  }
  visit(value)
  return [...out]
}

/** A copy whose typed arrays own fresh buffers, so the copy can be transferred and the original kept. */
function cloneForTransfer<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): T }).slice()
  if (Array.isArray(value)) return (value.length > 0 && typeof value[0] === 'object' ? value.map(cloneForTransfer) : value.slice()) as T
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = cloneForTransfer(v)
  return out as T
}

type Implementation = { [M in ProfileMethod]: (params: ProfileParams<M>) => ProfileResult<M> }

/** The worker's state (open trees) and request handling, independent of the Worker global (tests call it directly). */
/** Progress of a long open request, posted by the worker before its response (bytes read of the file). */
export interface ProfileProgress {
  id: number
  progress: { done: number; total: number }
}

export function createProfileWorkerHandler(options: { onProgress?: (message: ProfileProgress) => void } = {}): {
  handle(request: ProfileRequest): HandledResponse
  openCount(): number
} {
  /** The progress callback of the request being handled (only the byte importer calls it). */
  let progress: ((done: number, total: number) => void) | undefined
  const trees = new Map<string, CallTree>()
  let nextId = 1
  const openTree = (profileId: string): CallTree => {
    const tree = trees.get(profileId)
    if (!tree) throw new Error(`no open profile ${profileId} (closed, or opened by another worker)`)
    return tree
  }

  const implementation: Implementation = {
    open(params) {
      const t0 = performance.now()
      // Every format through the one sniffing index; .cpuprofile files by the byte importer (no string of
      // the whole file, no JSON object tree), so decode and parse are one step here.
      const input = profileInput(params)
      const imported = importProfileBytes(params.fileName, input, {
        gunzip: (b) => gunzipSync(b),
        ...(params.profile !== undefined ? { profile: params.profile } : {}),
        ...(progress ? { onProgress: progress } : {}),
      })
      const t1 = performance.now()
      const t2 = t1
      const format = imported.format
      let tree: CallTree = imported.tree
      if (params.dropIdle) tree = dropIdle(tree)
      const t3 = performance.now()
      const flame = computeFlameRows(tree)
      const t4 = performance.now()
      const stackChart = params.stackChart === true && tree.timeline ? computeStackChart(tree) : null
      const t5 = performance.now()
      const bottomUp = params.bottomUp === true ? computeBottomUp(tree) : null
      const t6 = performance.now()
      const profileId = `p${nextId++}`
      trees.set(profileId, tree)
      return {
        profileId,
        format,
        sourceFormat: imported.sourceFormat,
        choices: imported.choices,
        chosen: imported.chosen,
        fileName: params.fileName,
        byteLength: input instanceof Uint8Array ? input.length : input.size,
        // The worker keeps `tree` for sandwiches; the caller gets a copy it can own.
        tree: cloneForTransfer(tree),
        flame,
        stackChart,
        bottomUp,
        timings: {
          decodeMs: t1 - t0,
          parseMs: t2 - t1,
          importMs: t3 - t2,
          flameMs: t4 - t3,
          stackChartMs: t5 - t4,
          bottomUpMs: t6 - t5,
          totalMs: performance.now() - t0,
        },
      }
    },
    bottomUp(params) {
      const tree = openTree(params.profileId)
      const t0 = performance.now()
      const view = computeBottomUp(tree)
      return { view, ms: performance.now() - t0 }
    },
    stackChart(params) {
      const tree = openTree(params.profileId)
      const t0 = performance.now()
      const view = tree.timeline ? computeStackChart(tree) : null
      return { view, ms: performance.now() - t0 }
    },
    sandwich(params) {
      const tree = openTree(params.profileId)
      if (!(params.fn >= 0 && params.fn < tree.functions.length))
        throw new Error(`function ${params.fn} is not in profile ${params.profileId}`)
      const { callers, callees } = computeSandwich(tree, params.fn)
      return { fn: params.fn, callers, callees, callersRows: computeFlameRows(callers), calleesRows: computeFlameRows(callees) }
    },
    timeRange(params) {
      const tree = openTree(params.profileId)
      const t0 = performance.now()
      const restricted = restrictToTimeRange(tree, params.range)
      return { range: params.range, tree: restricted, flame: computeFlameRows(restricted), ms: performance.now() - t0 }
    },
    derive(params) {
      const source = openTree(params.profileId)
      const t0 = performance.now()
      const ranged = params.range ? restrictToTimeRange(source, params.range) : source
      const tree = applyTransforms(ranged, params.transforms)
      const profileId = `p${nextId++}`
      trees.set(profileId, tree)
      return { profileId, tree: cloneForTransfer(tree), flame: computeFlameRows(tree), ms: performance.now() - t0 }
    },
    close(params) {
      return { closed: trees.delete(params.profileId) }
    },
  }

  return {
    handle(request) {
      const { id, method } = request
      const report = options.onProgress
      progress = report ? (done, total) => report({ id, progress: { done, total } }) : undefined
      try {
        if (!Object.prototype.hasOwnProperty.call(implementation, method)) throw new Error(`unknown method ${String(method)}`)
        const run = implementation[method] as (params: unknown) => unknown
        const result = run(request.params)
        // A result may share buffers with a tree the worker keeps (a derived tree carries its source's
        // line ticks, say): those are copied by the structured clone, not transferred, or the kept tree's
        // arrays would be detached and the next request on it would fail.
        const kept = new Set<ArrayBuffer>()
        for (const tree of trees.values()) collectTransferables(tree, kept)
        const transfer = collectTransferables(result).filter((buffer) => !kept.has(buffer))
        return { response: { id, method, ok: true, result } as ProfileResponse, transfer }
      } catch (err) {
        const error = err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) }
        return { response: { id, method, ok: false, error }, transfer: [] }
      }
    },
    openCount: () => trees.size,
  }
}

/** The dedicated-worker global, as far as this file uses it (the renderer's lib has no WebWorker types). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ProfileRequest>) => void) | null
  postMessage(message: ProfileResponse | ProfileProgress, transfer: Transferable[]): void
}

// Only inside a worker: importing this module elsewhere (tests, type imports) must not take over onmessage.
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
  const scope = globalThis as unknown as WorkerScope
  const handler = createProfileWorkerHandler({ onProgress: (message) => scope.postMessage(message, []) })
  scope.onmessage = (event) => {
    const { response, transfer } = handler.handle(event.data)
    scope.postMessage(response, transfer)
  }
}
