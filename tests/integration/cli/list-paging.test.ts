/** `hotpath list` pages a large store: the newest 100 by default, --limit/--offset, --all, and clear usage errors. */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRunStore } from '../../../store/run-store.js'
import { runCliProcess } from '../../helpers/cli.js'
import { makeRun } from '../../helpers/make-run.js'

let store: string
const ids: string[] = []
beforeAll(async () => {
  store = await mkdtemp(path.join(os.tmpdir(), 'hotpath-list-paging-'))
  const s = openRunStore(store)
  for (let i = 0; i < 105; i++) {
    const run = makeRun({ id: `20261201T00${String(Math.floor(i / 60)).padStart(2, '0')}${String(i % 60).padStart(2, '0')}000Z-orderbook-r${i}` })
    ids.push(run.id)
    await s.save(run)
  }
  ids.reverse() // newest first
})
afterAll(async () => rm(store, { recursive: true, force: true }))

const rowIds = (stdout: string): string[] => stdout.split('\n').filter((l) => /^\d{8}T/.test(l)).map((l) => l.split(/\s+/)[0] as string)

describe('hotpath list paging', () => {
  it('shows the newest 100 with a footer naming the next page, and --all shows every run', async () => {
    const r = await runCliProcess(['list'], { store })
    expect(r.code).toBe(0)
    expect(rowIds(r.stdout)).toEqual(ids.slice(0, 100))
    expect(r.stdout).toContain('Runs 1-100 of 105 (newest first); --offset 100 for the next page')
    const all = await runCliProcess(['list', '--all'], { store })
    expect(rowIds(all.stdout)).toEqual(ids)
    expect(all.stdout).not.toContain('Runs 1-')
  })

  it('pages with --offset and --limit; --json prints every match unless --limit is given', async () => {
    const r = await runCliProcess(['list', '--offset', '102', '--limit', '10'], { store })
    expect(rowIds(r.stdout)).toEqual(ids.slice(102))
    expect(r.stdout).toContain('Runs 103-105 of 105 (newest first).')
    const json = JSON.parse((await runCliProcess(['list', '--json'], { store })).stdout) as { id: string }[]
    expect(json.map((x) => x.id)).toEqual(ids)
    const page = JSON.parse((await runCliProcess(['list', '--json', '--limit', '2', '--offset', '1'], { store })).stdout) as { id: string }[]
    expect(page.map((x) => x.id)).toEqual(ids.slice(1, 3))
  })

  it('refuses a bad offset and --all with --limit, saying what to do', async () => {
    const bad = await runCliProcess(['list', '--offset', 'ten'], { store })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--offset "ten": give a whole number of runs to skip/)
    const both = await runCliProcess(['list', '--all', '--limit', '5'], { store })
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/--all and --limit: give one of them/)
    const past = await runCliProcess(['list', '--offset', '500'], { store })
    expect(past.stdout).toMatch(/No runs after --offset 500: 105 match/)
  })
})
