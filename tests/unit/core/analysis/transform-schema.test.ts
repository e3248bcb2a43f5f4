/** The transform stack's schema (core/api/schemas.ts), which the URL hash and diffProfiles requests go through. */
import { describe, expect, it } from 'vitest'
import { parseApiArgs } from '../../../../core/api/contract.js'
import { profileTransformStackSchema } from '../../../../core/api/schemas.js'
import { MAX_TRANSFORMS } from '../../../../core/analysis/transforms.js'

describe('profileTransformStackSchema', () => {
  it('accepts every kind of transform', () => {
    const stack = [
      { type: 'focus-function', fn: 'rebuildHeap file:///a/naive.js:32:16' },
      { type: 'focus-subtree', path: ['measure file:///a/m.js:19:30', 'walk file:///a/n.js:45:9'] },
      { type: 'merge-function', fn: 'setLevel file:///a/n.js:13:13' },
      { type: 'drop-function', fn: 'log file:///a/n.js:1:1' },
      { type: 'collapse-module', module: 'npm:prettier' },
      { type: 'collapse-node-internals' },
      { type: 'hide-frame', frame: '(garbage collector)' },
    ]
    expect(profileTransformStackSchema.parse(stack)).toEqual(stack)
  })

  it('refuses unknown kinds, missing or extra fields, other frames and too long stacks', () => {
    const bad: unknown[] = [
      [{ type: 'explode' }],
      [{ type: 'focus-function' }],
      [{ type: 'focus-function', fn: '' }],
      [{ type: 'focus-subtree', path: [] }],
      [{ type: 'collapse-node-internals', extra: 1 }],
      [{ type: 'hide-frame', frame: 'main' }],
      Array.from({ length: MAX_TRANSFORMS + 1 }, () => ({ type: 'collapse-node-internals' })),
      'focus',
    ]
    for (const value of bad) expect(profileTransformStackSchema.safeParse(value).success, JSON.stringify(value).slice(0, 80)).toBe(false)
  })

  it('is the diffProfiles request’s transforms field', () => {
    const ids = ['20260101T000000000Z-a-1', '20260101T000000000Z-b-1']
    const transforms = [{ type: 'hide-frame', frame: '(idle)' }]
    expect(parseApiArgs('diffProfiles', [[ids[0]], [ids[1]], { transforms }])).toEqual([[ids[0]], [ids[1]], { transforms }])
    expect(() => parseApiArgs('diffProfiles', [[ids[0]], [ids[1]], { transforms: [{ type: 'nope' }] }])).toThrow()
  })
})
