/**
 * What the transforms menu offers for one function or call path (core/analysis/transforms.ts does the
 * work): pure, so the menu component only renders and dispatches.
 */
import { type ProfileTransform, PSEUDO_FRAMES, callPathKeys, moduleOf } from '../../../../core/analysis/transforms.js'
import type { CallTree, FunctionCategory, FunctionIndex } from '../../../../core/model/call-tree.js'
import type { NodeIndex } from '../../../../core/model/units.js'

/** The frame a menu was opened on. */
export interface TransformTarget {
  key: string
  name: string
  url: string
  category: FunctionCategory
  /** The call path's function keys below the root, where the view has real call paths (not the diff's merged tree). */
  path?: string[]
  /** The root frame: only the whole-profile transforms apply. */
  isRoot?: boolean
}

export interface TransformOption {
  id: string
  label: string
  transform: ProfileTransform
  /** Already in the stack (applying it again changes nothing). */
  applied: boolean
}

/** The target of a node of a (top-down) call tree. */
export function targetOfNode(tree: CallTree, node: NodeIndex): TransformTarget {
  const fn = tree.nodes.func[node] as number
  const f = tree.functions
  return {
    key: f.key[fn] as string,
    name: f.name[fn] || '(anonymous)',
    url: f.url[fn] as string,
    category: f.category[fn] as FunctionCategory,
    path: callPathKeys(tree, node),
    ...(node === 0 ? { isRoot: true } : {}),
  }
}

/**
 * The target of a function without a call path: a row of the bottom-up tree or a sandwich, whose paths
 * run from the function up to its callers, so "focus on this call path" does not apply.
 */
export function targetOfFunction(tree: CallTree, fn: FunctionIndex): TransformTarget {
  const f = tree.functions
  return {
    key: f.key[fn] as string,
    name: f.name[fn] || '(anonymous)',
    url: f.url[fn] as string,
    category: f.category[fn] as FunctionCategory,
    ...(fn === tree.nodes.func[0] ? { isRoot: true } : {}),
  }
}

const same = (a: ProfileTransform, b: ProfileTransform): boolean => JSON.stringify(a) === JSON.stringify(b)

/** The menu's entries for a target, in menu order. */
export function transformOptions(target: TransformTarget, stack: readonly ProfileTransform[]): TransformOption[] {
  const out: Omit<TransformOption, 'applied'>[] = []
  const pseudo = (PSEUDO_FRAMES as readonly string[]).includes(target.name) && target.url === ''
  if (!target.isRoot) {
    out.push({ id: 'focus-function', label: `Focus on function “${target.name}”`, transform: { type: 'focus-function', fn: target.key } })
    if (target.path && target.path.length > 0)
      out.push({ id: 'focus-subtree', label: 'Focus on this call path only', transform: { type: 'focus-subtree', path: target.path } })
    out.push({
      id: 'merge-function',
      label: `Merge “${target.name}” into its callers`,
      transform: { type: 'merge-function', fn: target.key },
    })
    if (!pseudo)
      out.push({ id: 'drop-function', label: `Drop samples with “${target.name}”`, transform: { type: 'drop-function', fn: target.key } })
    const module = target.category === 'node-internal' ? null : moduleOf(target.url)
    if (module)
      out.push({
        id: 'collapse-module',
        label: `Collapse module “${module.label}”`,
        transform: { type: 'collapse-module', module: module.id },
      })
  }
  out.push({ id: 'collapse-node-internals', label: 'Collapse Node internals (node:…)', transform: { type: 'collapse-node-internals' } })
  for (const frame of PSEUDO_FRAMES) out.push({ id: `hide-${frame}`, label: `Hide ${frame}`, transform: { type: 'hide-frame', frame } })
  return out.map((o) => ({ ...o, applied: stack.some((t) => same(t, o.transform)) }))
}
