/**
 * What a run stores beside run.json is redacted too: stderr.log text and the script urls of CPU and
 * allocation profiles (the profile stays valid); with redact off, nothing is touched.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { validateCpuProfile } from '../../../core/import/validate.js'
import { createRunPrivacy } from '../../../service/run-privacy.js'
import { testEnvironment } from '../../helpers/make-run.js'

let tmp: string
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hotpath-privacy-unit-'))
})
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true })
})

const home = os.homedir()
const profile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [2, 3] },
    { id: 2, callFrame: { functionName: 'work', scriptId: '1', url: `file://${home}/project/work.js`, lineNumber: 0, columnNumber: 0 }, hitCount: 1 },
    { id: 3, callFrame: { functionName: 'other', scriptId: '2', url: 'file:///home/alice/lib/"quoted".js', lineNumber: 3, columnNumber: 1 }, hitCount: 1 },
  ],
  startTime: 0,
  endTime: 10,
  samples: [2, 3],
  timeDeltas: [1, 1],
}

describe('run privacy', () => {
  it('rewrites home paths in profile urls and keeps the profile valid', async () => {
    const file = path.join(tmp, 'cpu.cpuprofile')
    await writeFile(file, JSON.stringify(profile))
    await createRunPrivacy(true, testEnvironment).profileFile(file, 'cpuprofile')
    const text = await readFile(file, 'utf8')
    expect(text).not.toContain(`${home}/project`)
    expect(text).not.toContain('/home/alice/')
    const parsed = JSON.parse(text)
    validateCpuProfile(parsed)
    expect(parsed.nodes[1]!.callFrame.url).toBe('file://~/project/work.js')
    expect(parsed.nodes[2]!.callFrame.url).toBe('file://~/lib/"quoted".js')
    expect(parsed.nodes[1]!.callFrame.functionName).toBe('work')
  })

  it('scrubs stderr of the run environment identifiers and this machine home', () => {
    const privacy = createRunPrivacy(true, testEnvironment)
    const out = privacy.text(`at ${home}/x.js\nconnected to build-host-7 (192.0.2.2, 02:fc:00:00:00:01) as alice\n`)
    expect(out).toBe('at ~/x.js\nconnected to [redacted] ([redacted], [redacted]) as [redacted]\n')
  })

  it('touches nothing when redaction is off', async () => {
    const file = path.join(tmp, 'cpu.cpuprofile')
    const original = JSON.stringify(profile)
    await writeFile(file, original)
    const privacy = createRunPrivacy(false, testEnvironment)
    await privacy.profileFile(file, 'cpuprofile')
    expect(await readFile(file, 'utf8')).toBe(original)
    expect(privacy.text('alice on build-host-7')).toBe('alice on build-host-7')
  })
})
