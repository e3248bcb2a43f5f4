import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProfileFormatError } from '../../../core/import/validate.js'
import { checkCpuProfileFile } from '../../../service/profile-check.js'

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/profiles/node-20.20.2/prettier-check.cpuprofile')

let tmp: string
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hotpath-check-'))
})
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true })
})

describe('checkCpuProfileFile', () => {
  it('checks a profile in a worker thread, reporting its progress to the end', async () => {
    const seen: number[] = []
    await checkCpuProfileFile(FIXTURE, 'prettier-check.cpuprofile', (done) => seen.push(done), 0)
    const size = (await readFile(FIXTURE)).length
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.at(-1)).toBe(size)
  })

  it("gives the worker's error as the ProfileFormatError an import reports, naming the file", async () => {
    const text = await readFile(FIXTURE, 'utf8')
    const cut = path.join(tmp, 'cut.cpuprofile')
    await writeFile(cut, text.slice(0, Math.floor(text.length / 2)))
    const inWorker = await checkCpuProfileFile(cut, 'cut.cpuprofile', undefined, 0).catch((err: unknown) => err)
    const here = await checkCpuProfileFile(cut, 'cut.cpuprofile').catch((err: unknown) => err)
    expect(inWorker).toBeInstanceOf(ProfileFormatError)
    expect((inWorker as Error).message).toMatch(/^cut\.cpuprofile: CPU profile: .*truncated/)
    expect((inWorker as Error).message).toBe((here as Error).message)
  })
})
