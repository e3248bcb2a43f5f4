/**
 * Heap snapshot files on the Node side: streams a file through the pure parser in chunks, and runs the
 * summary or the diff in a worker thread with progress messages and cancellation, so the caller's event
 * loop (the CLI's Ctrl-C, Electron main, the HTTP server) stays responsive on multi-gigabyte snapshots.
 */
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { errorFromWorker, runOneShotWorker } from './one-shot-worker.js'
import { createGunzip } from 'node:zlib'
import { type HeapSummary } from '../core/analysis/heap-summary.js'
import type { HeapDiff } from '../core/compare/heap-diff.js'
import { createHeapSnapshotParser } from '../core/import/heap-snapshot.js'
import { ProfileFormatError } from '../core/import/cpuprofile.js'
import type { HeapSnapshot } from '../core/model/heap.js'
import type { Bytes } from '../core/model/units.js'

/** Where an analysis is. `fraction` covers the whole job (reading and parsing are about 40% of it, the dominator tree a third). */
export interface HeapProgress {
  phase: 'reading' | 'edges' | 'dominators' | 'classes' | 'statistics' | 'retainers' | 'diffing'
  /** The file being read (diffs read two). */
  file: string
  /** Bytes of that file read so far, and its size. */
  bytesRead: Bytes
  totalBytes: Bytes
  /** Progress of the whole job, from 0 to 1. */
  fraction: number
}

export interface HeapAnalysisOptions {
  /** Called at most every 100 ms while reading, and at each analysis step. */
  onProgress?: (progress: HeapProgress) => void
  /** Aborting stops the worker at once and rejects with the signal's reason. */
  signal?: AbortSignal
  /** How many top classes get a retaining path in the summary (default 10). */
  retainerPathCount?: number
}

/** Read chunk size: large enough that per-chunk overhead vanishes, small enough to stay cache-friendly. */
const CHUNK_BYTES = 1 << 20

/**
 * Streams a snapshot file through the parser in this thread; gzip-compressed files (`.heapsnapshot.gz`,
 * recognized by their magic bytes) are decompressed on the way. `onBytes` sees the running count of file
 * bytes read. Rejects with a ProfileFormatError naming the file for malformed or truncated files.
 */
export async function readHeapSnapshotFile(
  file: string,
  opts: { onBytes?: (bytesRead: Bytes, totalBytes: Bytes) => void; signal?: AbortSignal } = {},
): Promise<HeapSnapshot> {
  const totalBytes = (await stat(file)).size
  const gzipped = await isGzip(file)
  const parser = createHeapSnapshotParser()
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES, ...(opts.signal ? { signal: opts.signal } : {}) })
  let bytes = 0
  // Compressed: count the file's bytes as they go into gunzip (the listener and the pipe start together).
  if (gzipped) raw.on('data', (chunk: Buffer | string) => (bytes += chunk.length))
  const stream = gzipped ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!gzipped) bytes += chunk.length
      parser.write(chunk)
      opts.onBytes?.(bytes, totalBytes)
    }
    return parser.end()
  } catch (err) {
    raw.destroy()
    stream.destroy()
    if (err instanceof ProfileFormatError) throw new ProfileFormatError(`${file}: ${err.message}`)
    if ((err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' || (err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR') {
      throw new ProfileFormatError(`${file}: the gzip data is corrupt or truncated (${(err as Error).message})`)
    }
    throw err
  }
}

/** True when the file starts with gzip's magic bytes (1f 8b). */
async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r')
  try {
    const head = Buffer.alloc(2)
    const { bytesRead } = await handle.read(head, 0, 2, 0)
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b
  } finally {
    await handle.close()
  }
}

/** A request to the heap worker. */
export type HeapWorkerRequest =
  { kind: 'summary'; file: string; retainerPathCount: number } | { kind: 'diff'; base: string; target: string }

/** A message from the heap worker. */
export type HeapWorkerMessage =
  | { type: 'progress'; progress: HeapProgress }
  | { type: 'summary'; summary: HeapSummary }
  | { type: 'diff'; diff: HeapDiff }
  | { type: 'error'; name: string; message: string; code?: string }

/**
 * Parses and summarizes a snapshot file in a worker thread: totals, statistics, the class histogram with
 * retained sizes, and retaining paths (see core/analysis/heap-summary.ts).
 */
export async function analyzeHeapSnapshotFile(file: string, opts: HeapAnalysisOptions = {}): Promise<HeapSummary> {
  const message = await runHeapWorker({ kind: 'summary', file, retainerPathCount: opts.retainerPathCount ?? 10 }, opts)
  if (message.type !== 'summary') throw new Error(`heap worker answered ${message.type} to a summary request`)
  return message.summary
}

/**
 * Compares two snapshot files of one process (base, then target) in a worker thread: per class, objects
 * allocated and freed between them, matched by V8 object id. Only one snapshot is in memory at a time.
 */
export async function diffHeapSnapshotFiles(base: string, target: string, opts: HeapAnalysisOptions = {}): Promise<HeapDiff> {
  const message = await runHeapWorker({ kind: 'diff', base, target }, opts)
  if (message.type !== 'diff') throw new Error(`heap worker answered ${message.type} to a diff request`)
  return message.diff
}

function runHeapWorker(
  request: HeapWorkerRequest,
  opts: HeapAnalysisOptions,
): Promise<Exclude<HeapWorkerMessage, { type: 'progress' | 'error' }>> {
  const { signal, onProgress } = opts
  return runOneShotWorker<Exclude<HeapWorkerMessage, { type: 'progress' | 'error' }>, HeapWorkerMessage>({
    from: import.meta.url,
    // On Node 20, `--import tsx` in a worker's execArgv does not apply to its entry module; the shared
    // bootstrap registers tsx inside the worker instead (see workerEntryFor).
    module: './workers/heap-worker',
    workerData: request,
    name: 'heap worker',
    ...(signal ? { signal } : {}),
    abortReason,
    onMessage(message) {
      if (message.type === 'progress') {
        onProgress?.(message.progress)
        return undefined
      }
      return message.type === 'error' ? { error: errorFromWorker(message) } : { value: message }
    },
  })
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  if (reason instanceof Error) return reason
  const err = new Error('heap analysis cancelled')
  err.name = 'AbortError'
  return err
}

/** Errors cross the thread boundary as data; the format error keeps its class so callers can tell bad input. */

