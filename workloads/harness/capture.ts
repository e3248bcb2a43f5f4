/**
 * Evidence captured from inside the workload child through an in-process inspector session:
 * the V8 CPU profile of the measured window, heap snapshots streamed chunk by chunk to disk,
 * and the sampling heap (allocation) profile. The child controls its own phases, so profiles
 * start after warm-up and stop at the end of the measured window exactly.
 */
import { closeSync, fstatSync, openSync, unlinkSync, writeFileSync, writeSync } from 'node:fs'
import { Session } from 'node:inspector'
import path from 'node:path'

export class ArtifactTooLargeError extends Error {}

export interface Capture {
  startCpuProfile(intervalUs: number): Promise<void>
  stopCpuProfile(file: string, maxBytes: number): Promise<number>
  startAllocationSampling(intervalBytes: number): Promise<void>
  stopAllocationSampling(file: string, maxBytes: number): Promise<number>
  /**
   * Streams a heap snapshot to `file`; `onProgress(bytesWritten)` as chunks arrive. Returns bytes written.
   * V8's own progress reports are not requested: with an in-process session they re-enter JavaScript
   * while V8 scans the stack and crash the process (nodejs/node#44634, seen here on Node 20.20).
   */
  writeHeapSnapshot(file: string, maxBytes: number, onProgress: (bytesWritten: number) => void): Promise<number>
  close(): void
}

export function openCapture(): Capture {
  const session = new Session()
  session.connect()
  const post = <T = unknown>(method: string, params?: object): Promise<T> =>
    new Promise((resolve, reject) => {
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T)))
    })

  return {
    async startCpuProfile(intervalUs) {
      await post('Profiler.enable')
      await post('Profiler.setSamplingInterval', { interval: intervalUs })
      await post('Profiler.start')
    },
    async stopCpuProfile(file, maxBytes) {
      const { profile } = await post<{ profile: unknown }>('Profiler.stop')
      await post('Profiler.disable')
      const text = JSON.stringify(profile)
      return writeBounded(file, text, maxBytes)
    },
    async startAllocationSampling(intervalBytes) {
      await post('HeapProfiler.enable')
      await post('HeapProfiler.startSampling', {
        samplingInterval: intervalBytes,
        // Node 20+ (V8 11): keep samples of objects already collected, so short-lived garbage shows too.
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      })
    },
    async stopAllocationSampling(file, maxBytes) {
      const { profile } = await post<{ profile: unknown }>('HeapProfiler.stopSampling')
      return writeBounded(file, JSON.stringify(profile), maxBytes)
    },
    async writeHeapSnapshot(file, maxBytes, onProgress) {
      // An in-process session delivers chunks synchronously while takeHeapSnapshot runs, so a
      // buffered stream would hold the whole snapshot in memory: write each chunk with writeSync.
      const fd = openSync(file, 'w')
      let written = 0
      let tooLarge = false
      const onChunk = (message: { params: { chunk: string } }): void => {
        if (tooLarge) return
        const buf = Buffer.from(message.params.chunk, 'utf8')
        if (written + buf.length > maxBytes) {
          tooLarge = true
          return
        }
        writeSync(fd, buf)
        written += buf.length
        onProgress(written)
      }
      session.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
      try {
        await post('HeapProfiler.enable')
        await post('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
      } finally {
        session.off('HeapProfiler.addHeapSnapshotChunk', onChunk)
        closeSync(fd)
      }
      if (tooLarge) {
        // Never leave a truncated snapshot behind: it would look like a real one.
        unlinkSync(file)
        throw new ArtifactTooLargeError(`${path.basename(file)} is larger than the limit of ${maxBytes} bytes; raise --max-artifact-size to keep it`)
      }
      return written
    },
    close() {
      session.disconnect()
    },
  }
}

function writeBounded(file: string, text: string, maxBytes: number): number {
  const bytes = Buffer.byteLength(text)
  if (bytes > maxBytes) throw new ArtifactTooLargeError(`${path.basename(file)} would be ${bytes} bytes, over the limit of ${maxBytes}; raise --max-artifact-size to keep it`)
  writeFileSync(file, text)
  const fd = openSync(file, 'r')
  const size = fstatSync(fd).size
  closeSync(fd)
  return size
}
