import { describe, expect, it } from 'vitest'
import { redactPaths } from '../../../../core/export/redact-paths.js'
import type { HeapProfileRaw } from '../../../../core/import/heap-profile.js'
import { profileFromText } from '../../../helpers/profile-from-text.js'

describe('redactPaths', () => {
  it.each([
    ['/home/alice/app/main.js', '~/app/main.js'],
    ['file:///home/alice/app/main.js', '~/app/main.js'],
    ['/Users/bob.smith/src/x.ts', '~/src/x.ts'],
    ['file:///Users/bob/src/x.ts', '~/src/x.ts'],
    ['C:\\Users\\alice\\proj\\a.js', '~/proj\\a.js'],
    ['c:/users/alice/proj/a.js', '~/proj/a.js'],
    ['file:///C:/Users/alice/proj/a.js', '~/proj/a.js'],
    ['at f (/home/alice/a.js:3:1) and g (/home/alice/b.js:1:1)', 'at f (~/a.js:3:1) and g (~/b.js:1:1)'],
    ['{"url":"C:\\\\Users\\\\alice\\\\a.js"}', '{"url":"~/a.js"}'],
  ])('%s → %s', (input, expected) => {
    expect(redactPaths(input)).toBe(expected)
  })

  it.each(['node:internal/modules/cjs/loader', '/srv/home/alice/x.js', '/opt/app/node_modules/x/index.js', '/home/', ''])(
    'leaves %j alone',
    (input) => {
      expect(redactPaths(input)).toBe(input)
    },
  )

  it('also redacts a given home folder', () => {
    expect(redactPaths('/root/work/a.js and file:///root/b.js', '/root')).toBe('~/work/a.js and ~/b.js')
    expect(redactPaths('D:\\Profiles\\al\\a.js', 'D:\\Profiles\\al\\')).toBe('~/a.js')
    expect(redactPaths('/rooted/a.js', '/root')).toBe('/rooted/a.js')
    // A home of / would redact everything: ignored.
    expect(redactPaths('/etc/passwd', '/')).toBe('/etc/passwd')
  })

  it('returns a redacted copy of a CPU profile and leaves the input unchanged', () => {
    const raw = profileFromText('main@file:///home/alice/app/main.js lib@/home/alice/app/node_modules/lib/i.js')
    const copy = redactPaths(raw)
    expect(copy.nodes.map((n) => n.callFrame.url)).toEqual(['', '~/app/main.js', '~/app/node_modules/lib/i.js'])
    expect(raw.nodes[1]!.callFrame.url).toBe('file:///home/alice/app/main.js')
    expect(copy.samples).toEqual(raw.samples)
  })

  it('redacts every node of an allocation profile', () => {
    const frame = (url: string) => ({ functionName: 'f', scriptId: '1', url, lineNumber: 0, columnNumber: 0 })
    const raw: HeapProfileRaw = {
      head: {
        id: 1,
        selfSize: 0,
        callFrame: frame(''),
        children: [
          {
            id: 2,
            selfSize: 8,
            callFrame: frame('/Users/al/a.js'),
            children: [{ id: 3, selfSize: 8, callFrame: frame('/Users/al/b.js'), children: [] }],
          },
        ],
      },
      samples: [],
    }
    const copy = redactPaths(raw)
    expect(copy.head.children[0]!.callFrame.url).toBe('~/a.js')
    expect(copy.head.children[0]!.children[0]!.callFrame.url).toBe('~/b.js')
    expect(raw.head.children[0]!.callFrame.url).toBe('/Users/al/a.js')
  })
})
