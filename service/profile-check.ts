/**
 * Checks an imported `.cpuprofile` in a worker thread when it is large: the check reads the whole file
 * (about 0.7 s at 91 MB, 10 s at 1 GB here) and would otherwise hold the event loop of `hotpath serve`,
 * so no other request, and no WebSocket event, would be answered meanwhile. Small files are checked in
 * this thread (a worker's start costs more than their check).
 */
import { stat } from 'node:fs/promises'
import { validateProfileFile } from '../store/profile-file.js'
import { errorFromWorker, runOneShotWorker } from './one-shot-worker.js'

export interface ProfileCheckRequest {
  file: string
  name: string
}

export type ProfileCheckMessage =
  { type: 'progress'; done: number; total: number } | { type: 'ok' } | { type: 'error'; name: string; message: string }

/** Files from this size are checked in a worker thread. */
export const CHECK_IN_WORKER_FROM_BYTES = 16 << 20

/** The check of store/profile-file.ts validateProfileFile for a `.cpuprofile`, in a worker thread when large. */
export async function checkCpuProfileFile(
  file: string,
  name: string,
  onProgress?: (done: number, total: number) => void,
  workerFromBytes = CHECK_IN_WORKER_FROM_BYTES,
): Promise<void> {
  if ((await stat(file)).size < workerFromBytes) return validateProfileFile(file, 'cpuprofile', name, onProgress)
  const request: ProfileCheckRequest = { file, name }
  return runOneShotWorker<void, ProfileCheckMessage>({
    from: import.meta.url,
    module: './workers/profile-check-worker',
    workerData: request,
    name: 'profile check worker',
    onMessage(message) {
      if (message.type === 'progress') {
        onProgress?.(message.done, message.total)
        return undefined
      }
      if (message.type === 'ok') return { value: undefined }
      return { error: errorFromWorker(message) }
    },
  })
}
