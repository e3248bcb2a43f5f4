/** The transforms menu's entries (renderer/src/features/transforms/transform-options.ts) on a real profile. */
import { describe, expect, it } from 'vitest'
import { applyTransforms } from '../../../../core/analysis/transforms.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { findFunctionByName, getTreeTotal } from '../../../../core/model/call-tree.js'
import { targetOfFunction, targetOfNode, transformOptions } from '../../../../renderer/src/features/transforms/transform-options.js'
import { readProfileFixture } from '../../../helpers/profile-from-text.js'

const tree = importCpuProfile(JSON.parse(readProfileFixture('prettier-check.cpuprofile')))
const nodeOf = (name: string): number => Array.from(tree.nodes.func).indexOf(findFunctionByName(tree, name))

describe('transformOptions', () => {
  it('offers focus, call path, merge, drop and the module for a dependency frame, and each entry does what it says', () => {
    const target = targetOfNode(tree, nodeOf('FastGlob'))
    const options = transformOptions(target, [])
    expect(options.map((o) => o.id)).toEqual([
      'focus-function',
      'focus-subtree',
      'merge-function',
      'drop-function',
      'collapse-module',
      'collapse-node-internals',
      'hide-(program)',
      'hide-(idle)',
      'hide-(garbage collector)',
    ])
    expect(options.find((o) => o.id === 'collapse-module')!.label).toBe('Collapse module “prettier”')
    const focused = applyTransforms(tree, [options.find((o) => o.id === 'focus-subtree')!.transform])
    expect(focused.functions.name[focused.nodes.func[0]!]).toBe('FastGlob')
    expect(getTreeTotal(focused)).toBeCloseTo(tree.nodes.total[nodeOf('FastGlob')]!, 9)
  })

  it('offers only the whole-profile transforms on the root, no module for Node internals, and marks applied ones', () => {
    expect(transformOptions(targetOfNode(tree, 0), []).map((o) => o.id)).toEqual([
      'collapse-node-internals',
      'hide-(program)',
      'hide-(idle)',
      'hide-(garbage collector)',
    ])
    const internal = transformOptions(targetOfNode(tree, nodeOf('loadAndTranslate')), [{ type: 'hide-frame', frame: '(idle)' }])
    expect(internal.some((o) => o.id === 'collapse-module')).toBe(false)
    expect(internal.find((o) => o.id === 'hide-(idle)')!.applied).toBe(true)
    expect(internal.find((o) => o.id === 'hide-(program)')!.applied).toBe(false)
    // A pseudo-frame is hidden, not dropped.
    expect(transformOptions(targetOfNode(tree, nodeOf('(program)')), []).some((o) => o.id === 'drop-function')).toBe(false)
  })

  it('a bottom-up row (a function, no call path) offers everything but "focus on this call path"', () => {
    const fn = findFunctionByName(tree, 'FastGlob')
    const byFunction = transformOptions(targetOfFunction(tree, fn), []).map((o) => o.id)
    const byNode = transformOptions(targetOfNode(tree, nodeOf('FastGlob')), []).map((o) => o.id)
    expect(byFunction).toEqual(byNode.filter((id) => id !== 'focus-subtree'))
    expect(transformOptions(targetOfFunction(tree, tree.nodes.func[0]!), []).map((o) => o.id)).toEqual(
      transformOptions(targetOfNode(tree, 0), []).map((o) => o.id),
    )
  })
})
