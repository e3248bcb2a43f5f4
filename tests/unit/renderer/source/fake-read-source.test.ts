import { describe, expect, it } from 'vitest'
import { apiSchemas } from '../../../../core/api/schemas.js'
import { createFakeWorkbench } from '../../../../renderer/dev/fake-workbench.js'

describe("the fake workbench's readSource", () => {
  it('returns seeded sources and "unavailable" otherwise, in the contract shape', async () => {
    const fake = createFakeWorkbench({ runs: 6, sources: { 'file:///w/book.ts': 'export const a = 1\n' } })
    const runs = await fake.listRuns()
    const withProfile = runs.find((r) => r.artifactKinds.includes('cpuprofile'))
    expect(withProfile).toBeDefined()
    const id = withProfile!.id
    expect((await fake.getRun(id)).artifacts.map((a) => a.file)).toContain('cpu.cpuprofile')
    const ok = await fake.readSource(id, { file: 'cpu.cpuprofile', url: 'file:///w/book.ts', line: 1 })
    expect(apiSchemas.readSource.result.parse(ok)).toMatchObject({ status: 'ok', language: 'typescript', text: 'export const a = 1\n' })
    const missing = await fake.readSource(id, { file: 'cpu.cpuprofile', url: 'file:///w/other.js', line: 3 })
    expect(apiSchemas.readSource.result.parse(missing)).toMatchObject({ status: 'unavailable', location: 'file:///w/other.js:3' })
    await expect(fake.readSource(id, { file: 'nope.cpuprofile', url: 'x' })).rejects.toThrow(/no CPU profile/)
    fake.dispose()
  })
})
