import { describe, expect, it } from 'vitest'
import { categorizeFrame, createFrameCategorizer } from '../../../../core/analysis/categories.js'

describe('categorizeFrame', () => {
  it.each([
    ['main', 'file:///home/alice/app/main.js', 'user'],
    ['main', '/srv/app/main.js', 'user'],
    ['handler', 'C:\\work\\app\\handler.js', 'user'],
    ['parse', 'file:///app/node_modules/fast-json/index.js', 'dependency'],
    ['parse', '/app/node_modules/@scope/pkg/lib/x.js', 'dependency'],
    ['parse', 'C:\\app\\node_modules\\pkg\\x.js', 'dependency'],
    ['readFileSync', 'node:fs', 'node-internal'],
    ['Module._load', 'node:internal/modules/cjs/loader', 'node-internal'],
    ['Module._load', 'internal/modules/cjs/loader.js', 'node-internal'],
    ['emit', 'events.js', 'node-internal'],
    ['(root)', '', 'v8-native'],
    ['(program)', '', 'v8-native'],
    ['(idle)', '', 'v8-native'],
    ['JSON.parse', '', 'v8-native'],
    ['fn', 'native array.js', 'v8-native'],
    ['(garbage collector)', '', 'gc'],
  ] as const)('%s at %j is %s', (name, url, category) => {
    expect(categorizeFrame(name, url)).toBe(category)
  })

  it("takes a trace's codeType: a script without a url is the program's own, V8's frames stay V8's", () => {
    expect(categorizeFrame('fib', '', 'JS')).toBe('user')
    expect(categorizeFrame('', '', 'JS')).toBe('user')
    expect(categorizeFrame('JSON.parse', '', 'other')).toBe('v8-native')
    expect(categorizeFrame('(program)', '', 'JS')).toBe('v8-native')
    expect(categorizeFrame('(garbage collector)', '', 'other')).toBe('gc')
    expect(categorizeFrame('fib', 'https://example.com/app.js', 'JS')).toBe('user')
    expect(categorizeFrame('parse', 'file:///app/node_modules/x/index.js', 'JS')).toBe('dependency')
    expect(categorizeFrame('fib', '', 7)).toBe('v8-native')
  })
})

describe('createFrameCategorizer', () => {
  it('gives categorizeFrame’s answer for every frame, whatever came before under the same url', () => {
    const names = ['', 'main', '(garbage collector)', '(program)', '(idle)', '(root)', '(anonymous)', 'JSON.parse', '(x']
    const urls = [
      '',
      'node:fs',
      'internal/modules/cjs/loader.js',
      'events.js',
      'native array.js',
      'file:///srv/app/node_modules/lib/a.js',
      'C:\\app\\node_modules\\b.js',
      'file:///srv/app/main.js',
      'https://x.test/app.js',
    ]
    const codeTypes = [undefined, 'JS', 'other']
    const categorize = createFrameCategorizer()
    let checked = 0
    // Every order of names under one url: a cached url answer must not leak into a name that decides alone.
    for (const url of urls)
      for (const codeType of codeTypes)
        for (const name of [...names, ...[...names].reverse()]) {
          expect(categorize(name, url, codeType), `${name} ${url} ${String(codeType)}`).toBe(categorizeFrame(name, url, codeType))
          checked++
        }
    expect(checked).toBe(urls.length * codeTypes.length * names.length * 2)
  })
})
