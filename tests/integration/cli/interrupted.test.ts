/**
 * Faults leave records, end to end: the real CLI runs a workload, its parent is killed with SIGKILL
 * mid-run, and `hotpath list --json` / `show --json` then report the run as `interrupted`.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliProcess, startCli } from '../../helpers/cli.js'

let store: string
let configDir: string
beforeAll(async () => {
  store = await mkdtemp(path.join(os.tmpdir(), 'hotpath-kill-'))
  configDir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-kill-config-'))
})
afterAll(async () => {
  await rm(store, { recursive: true, force: true })
  await rm(configDir, { recursive: true, force: true })
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Child pids of a process, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('kill -9 of the hotpath parent', () => {
  it('leaves a run that list and show report as interrupted', async () => {
    const env = { HOTPATH_CONFIG_DIR: configDir }
    const { child, done } = startCli(['run', 'selftest', '--variant', 'loop', '--duration', '60s', '--warmup', '0'], { store, env })
    const runsDir = path.join(store, 'runs')
    // Wait (bounded) until the run's record exists as `running` and its workload child is measuring.
    let runId: string | undefined
    let workers: number[] = []
    for (let i = 0; i < 300 && (!runId || workers.length === 0); i++) {
      await sleep(100)
      const ids = await readdir(runsDir).catch(() => [] as string[])
      for (const id of ids) {
        const text = await readFile(path.join(runsDir, id, 'run.json'), 'utf8').catch(() => '')
        if (text.includes('"status": "running"')) runId = id
      }
      workers = childrenOf(child.pid!)
    }
    expect(runId, 'a running record was written before the child started').toBeDefined()
    expect(workers.length).toBeGreaterThan(0)
    await sleep(300)
    child.kill('SIGKILL')
    const ended = await done
    expect(ended.signal).toBe('SIGKILL')
    // The orphaned workload child stops once its parent is gone (bounded wait; then it is killed).
    for (let i = 0; i < 100 && workers.some(alive); i++) await sleep(100)
    for (const w of workers.filter(alive)) process.kill(w, 'SIGKILL')

    const list = await runCliProcess(['list', '--json'], { store, env })
    expect(list.code).toBe(0)
    const runs = JSON.parse(list.stdout) as { id: string; status: string }[]
    expect(runs).toEqual([expect.objectContaining({ id: runId, status: 'interrupted' })])
    const show = await runCliProcess(['show', runId!, '--json'], { store, env })
    expect(show.code).toBe(0)
    const record = JSON.parse(show.stdout) as { status: string; error: string; owner?: unknown }
    expect(record.status).toBe('interrupted')
    expect(record.error).toMatch(/interrupted/)
    expect(record.owner).toBeUndefined()
  }, 90_000)
})
