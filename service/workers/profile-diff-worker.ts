/**
 * The profile diff worker thread: diffs the CPU profile files it is given and posts one result (see
 * service/profile-diff.ts). Started per request, terminated after it.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { type ProfileDiffWorkerMessage, type ProfileDiffWorkerRequest, diffProfileFiles } from '../profile-diff.js'

function post(message: ProfileDiffWorkerMessage): void {
  parentPort?.postMessage(message)
}

async function main(): Promise<void> {
  try {
    post({ type: 'diff', diff: await diffProfileFiles(workerData as ProfileDiffWorkerRequest) })
  } catch (err) {
    const e = err as Error
    post({ type: 'error', name: e?.name ?? 'Error', message: e?.message ?? String(err) })
  }
}

void main()
