/**
 * The profile check worker thread: checks one `.cpuprofile` file the way an import does
 * (store/profile-file.ts validateProfileFile: the byte importer's checks, no tree) and posts its progress,
 * then one result (see service/profile-check.ts). Started per import, terminated after it.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { ProfileCheckMessage, ProfileCheckRequest } from '../profile-check.js'
import { validateProfileFile } from '../../store/profile-file.js'

function post(message: ProfileCheckMessage): void {
  parentPort?.postMessage(message)
}

async function main(): Promise<void> {
  const { file, name } = workerData as ProfileCheckRequest
  try {
    await validateProfileFile(file, 'cpuprofile', name, (done, total) => post({ type: 'progress', done, total }))
    post({ type: 'ok' })
  } catch (err) {
    const e = err as Error
    post({ type: 'error', name: e?.name ?? 'Error', message: e?.message ?? String(err) })
  }
}

void main()
