import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { toSpeedscope } from '../../../../core/export/speedscope.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { importHeapProfile } from '../../../../core/import/heap-profile.js'
import { getTreeTotal } from '../../../../core/model/call-tree.js'
import { readProfileFixture, treeFromText } from '../../../helpers/profile-from-text.js'

type Schema = Record<string, unknown>
const require = createRequire(import.meta.url)
/** speedscope's own file format schema, shipped in its npm package. */
const schema = JSON.parse(readFileSync(require.resolve('speedscope/dist/release/file-format-schema.json'), 'utf8')) as Schema

/**
 * Validates against the subset of JSON Schema that speedscope's schema uses ($ref, anyOf, type, const,
 * enum, properties, required, items). Returns the problems found, with their paths.
 */
function validate(value: unknown, s: Schema, at = '$'): string[] {
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/definitions/', '')
    return validate(value, (schema.definitions as Record<string, Schema>)[name]!, at)
  }
  if (Array.isArray(s.anyOf)) {
    const results = (s.anyOf as Schema[]).map((alt) => validate(value, alt, at))
    return results.some((r) => r.length === 0) ? [] : [`${at}: matches none of anyOf (${results.map((r) => r[0]).join(' | ')})`]
  }
  const problems: string[] = []
  if ('const' in s && value !== s.const) problems.push(`${at}: expected ${JSON.stringify(s.const)}`)
  if (Array.isArray(s.enum) && !s.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in enum`)
  switch (s.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object`]
      const obj = value as Record<string, unknown>
      for (const key of (s.required as string[] | undefined) ?? []) if (!(key in obj)) problems.push(`${at}: missing ${key}`)
      for (const [key, sub] of Object.entries((s.properties as Record<string, Schema> | undefined) ?? {})) {
        if (key in obj) problems.push(...validate(obj[key], sub, `${at}.${key}`))
      }
      break
    }
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected an array`]
      if (s.items) value.forEach((v, i) => problems.push(...validate(v, s.items as Schema, `${at}[${i}]`)))
      break
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${at}: expected a number`)
      break
    case 'string':
      if (typeof value !== 'string') problems.push(`${at}: expected a string`)
      break
  }
  return problems
}

describe('toSpeedscope', () => {
  it.each(['fib-strings-json.cpuprofile', 'deep-recursion.cpuprofile', 'prettier-check.cpuprofile'])(
    'writes a file speedscope’s schema accepts (%s)',
    (name) => {
      const tree = importCpuProfile(JSON.parse(readProfileFixture(name)))
      const file = JSON.parse(JSON.stringify(toSpeedscope(tree, { name, exporter: 'hotpath' })))
      expect(validate(file, schema).slice(0, 5)).toEqual([])
      const profile = file.profiles[0]
      expect(profile.type).toBe('sampled')
      expect(profile.unit).toBe('milliseconds')
      expect(profile.samples.length).toBe(profile.weights.length)
      expect(profile.endValue).toBeCloseTo(getTreeTotal(tree), 9)
      for (const stack of profile.samples) for (const f of stack) expect(f).toBeLessThan(file.shared.frames.length)
    },
  )

  it('keeps time order and merges consecutive samples on the same stack', () => {
    const tree = treeFromText(`
      main  main  main  main
      a     a     b     a
    `)
    const file = toSpeedscope(tree)
    const names = file.profiles[0]!.samples.map((s) => s.map((f) => file.shared.frames[f]!.name).join(';'))
    expect(names).toEqual(['main;a', 'main;b', 'main;a'])
    expect(file.profiles[0]!.weights).toEqual([2, 1, 1])
    expect(file.shared.frames.find((f) => f.name === 'a')).toEqual({ name: 'a', file: 'file:///app/main.js', line: 2, col: 1 })
  })

  it('writes allocation profiles in bytes, one sample per call path', () => {
    const tree = importHeapProfile(JSON.parse(readProfileFixture('alloc-burst.heapprofile')))
    const file = JSON.parse(JSON.stringify(toSpeedscope(tree)))
    expect(validate(file, schema)).toEqual([])
    expect(file.profiles[0].unit).toBe('bytes')
    expect(file.profiles[0].samples.length).toBe(Array.from(tree.nodes.self).filter((v) => v > 0).length)
  })

  it('the validator does reject a broken file', () => {
    const file = JSON.parse(JSON.stringify(toSpeedscope(treeFromText('a b'))))
    delete file.profiles[0].weights
    file.profiles[0].unit = 'furlongs'
    expect(validate(file, schema).length).toBeGreaterThan(0)
  })
})
