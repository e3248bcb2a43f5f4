/**
 * The heap worker thread: reads one or two snapshot files, summarizes or diffs them, and posts progress and
 * one result (see service/heap-analysis.ts for the protocol). Started per request, terminated after it.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import { parentPort, workerData } from 'node:worker_threads'
import { summarizeHeap } from '../../core/analysis/heap-summary.js'
import { computeHeapObjectTable, diffHeapObjectTables } from '../../core/compare/heap-diff.js'
import { type HeapProgress, type HeapWorkerMessage, type HeapWorkerRequest, readHeapSnapshotFile } from '../heap-analysis.js'

const PROGRESS_INTERVAL_MS = 100

/** Where each summary step starts, as a fraction of the whole job (CPU time shares measured on a 320 MB snapshot). */
const SUMMARY_STEPS = { edges: 0.37, dominators: 0.48, classes: 0.8, statistics: 0.91, retainers: 0.95 } as const

/**
 * A full garbage collection. Each analysis step leaves tens of megabytes of typed arrays behind per million
 * nodes; V8 frees an ArrayBuffer only when a major GC finds it dead, and the steps' tight loops allocate too
 * little for incremental marking to finish in time, so without this the steps' scratch arrays pile up and
 * the peak grows by about half. `--expose-gc` set at run time only adds `gc` to contexts created afterwards.
 */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc')
  return vm.runInNewContext('gc') as () => void
})()

function post(message: HeapWorkerMessage): void {
  parentPort?.postMessage(message)
}

function reporter(file: string, from: number, to: number): (bytesRead: number, totalBytes: number) => void {
  let last = 0
  return (bytesRead, totalBytes) => {
    const now = Date.now()
    if (now - last < PROGRESS_INTERVAL_MS && bytesRead < totalBytes) return
    last = now
    const share = totalBytes > 0 ? bytesRead / totalBytes : 1
    post({ type: 'progress', progress: { phase: 'reading', file, bytesRead, totalBytes, fraction: from + (to - from) * share } })
  }
}

async function summarize(file: string, retainerPathCount: number): Promise<void> {
  let size = 0
  const snapshot = await readHeapSnapshotFile(file, {
    onBytes: (() => {
      const report = reporter(file, 0, SUMMARY_STEPS.edges)
      return (bytes: number, total: number) => {
        size = total
        report(bytes, total)
      }
    })(),
  })
  const summary = summarizeHeap(snapshot, {
    retainerPathCount,
    onPhase: (phase) => {
      collectGarbage()
      const progress: HeapProgress = { phase, file, bytesRead: size, totalBytes: size, fraction: SUMMARY_STEPS[phase] }
      post({ type: 'progress', progress })
    },
  })
  post({ type: 'summary', summary })
}

async function diff(baseFile: string, targetFile: string): Promise<void> {
  // One graph at a time: each snapshot shrinks to its object table (12 bytes a node) before the next is read.
  const base = computeHeapObjectTable(await readHeapSnapshotFile(baseFile, { onBytes: reporter(baseFile, 0, 0.45) }))
  collectGarbage()
  const target = computeHeapObjectTable(await readHeapSnapshotFile(targetFile, { onBytes: reporter(targetFile, 0.5, 0.95) }))
  post({ type: 'progress', progress: { phase: 'diffing', file: targetFile, bytesRead: 0, totalBytes: 0, fraction: 0.97 } })
  post({ type: 'diff', diff: diffHeapObjectTables(base, target) })
}

async function main(): Promise<void> {
  const request = workerData as HeapWorkerRequest
  try {
    if (request.kind === 'summary') await summarize(request.file, request.retainerPathCount)
    else await diff(request.base, request.target)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    post({
      type: 'error',
      name: e?.name ?? 'Error',
      message: e?.message ?? String(err),
      ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    })
  }
}

void main()
