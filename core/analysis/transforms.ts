/**
 * Call tree transforms that return new trees (Firefox Profiler's transform stack, as pure functions):
 * focus on a function or on a call path, merge a function into its callers, collapse recursion, collapse
 * a module or Node's internals into one box, drop idle, a V8 pseudo-frame or a function. Function indexes
 * stay the same across transforms (collapsing appends the module boxes), so a selection survives them.
 *
 * The stack the views apply (ProfileTransform[]) names functions by key (`name url:line:column`), not by
 * index, so it survives a reload, goes in the URL, and means the same on both sides of a profile diff.
 */
import {
  type CallTree,
  type CallTreeBuilder,
  type FunctionCategory,
  type FunctionIdentities,
  type FunctionIndex,
  createCallTreeBuilder,
  finishCallTree,
  makeFunctionKey,
} from '../model/call-tree.js'
import type { NodeIndex } from '../model/units.js'

/**
 * Decides where old node `i` goes in the new tree, given where its parent went (-1 when the parent was
 * dropped). Returns a builder node, or -1 to drop the node's own value (its children are still visited).
 */
export type PlaceNode = (i: NodeIndex, mappedParent: number, builder: CallTreeBuilder) => number

/** Rebuilds a tree node by node in pre-order; values and timeline samples follow their nodes. */
export function rebuildTree(
  tree: CallTree,
  rootFunc: FunctionIndex,
  place: PlaceNode,
  functions: FunctionIdentities = tree.functions,
): CallTree {
  const { nodes } = tree
  const builder = createCallTreeBuilder(rootFunc)
  const mapped = new Int32Array(nodes.length)
  for (let i = 0; i < nodes.length; i++) {
    const p = nodes.parent[i] as number
    mapped[i] = place(i, p < 0 ? -1 : (mapped[p] as number), builder)
  }
  for (let i = 0; i < nodes.length; i++) {
    const m = mapped[i] as number
    if (m >= 0 && ((nodes.self[i] as number) !== 0 || (nodes.selfSamples[i] as number) !== 0)) {
      builder.addSelf(m, nodes.self[i] as number, nodes.selfSamples[i] as number)
    }
  }
  const timeline = tree.timeline
    ? {
        node: Int32Array.from(tree.timeline.node, (node) => mapped[node] as number),
        startMs: tree.timeline.startMs,
        durationMs: tree.timeline.durationMs,
      }
    : undefined
  return finishCallTree(builder, functions, { unit: tree.unit, meta: tree.meta, ...(timeline ? { timeline } : {}) })
}

/** The default placement: the same function under the mapped parent; dropped with its parent. */
function keep(tree: CallTree, i: NodeIndex, mappedParent: number, builder: CallTreeBuilder): number {
  if (i === 0) return 0
  return mappedParent < 0 ? -1 : builder.child(mappedParent, tree.nodes.func[i] as number)
}

/**
 * Focus on a function (Firefox Profiler's "focus on function"): the function becomes the root, and every
 * call path through it is merged below it from its outermost occurrence on. Samples without the function
 * are dropped, so the new root's total is the function's total.
 */
export function focusFunction(tree: CallTree, fn: FunctionIndex): CallTree {
  const { func } = tree.nodes
  return rebuildTree(tree, fn, (i, mp, b) => {
    if (mp >= 0) return b.child(mp, func[i] as number)
    return func[i] === fn ? 0 : -1
  })
}

/**
 * Merge a function into its callers (Firefox Profiler's "merge function"): its nodes disappear, their
 * self value goes to the caller and their callees move up to the caller. The root cannot be merged.
 */
export function mergeFunction(tree: CallTree, fn: FunctionIndex): CallTree {
  const { func } = tree.nodes
  return rebuildTree(tree, func[0] as number, (i, mp, b) => {
    if (i > 0 && func[i] === fn) return mp
    return keep(tree, i, mp, b)
  })
}

/**
 * Collapse recursion. With a function: every call of it below an outer call of it (directly or through
 * other functions) is folded into the outer call, and the frames in between are dropped from those
 * stacks (Firefox Profiler's "collapse recursion": A→f→B→f→C becomes A→f→C). Without a function: direct
 * recursion (f→f) of every function is collapsed.
 */
export function collapseRecursion(tree: CallTree, fn?: FunctionIndex): CallTree {
  const { func, parent } = tree.nodes
  if (fn === undefined) {
    return rebuildTree(tree, func[0] as number, (i, mp, b) => {
      if (i > 0 && func[i] === func[parent[i] as number]) return mp
      return keep(tree, i, mp, b)
    })
  }
  // outer[i]: the outermost node of `fn` on the path from the root to i (inclusive), or -1.
  const outer = new Int32Array(tree.nodes.length).fill(-1)
  const mapped = new Int32Array(tree.nodes.length)
  return rebuildTree(tree, func[0] as number, (i, mp, b) => {
    const p = parent[i] as number
    const outerAbove = p < 0 ? -1 : (outer[p] as number)
    let placed: number
    if (func[i] === fn && outerAbove >= 0) placed = mapped[outerAbove] as number
    else placed = keep(tree, i, mp, b)
    outer[i] = outerAbove >= 0 ? outerAbove : func[i] === fn ? i : -1
    mapped[i] = placed
    return placed
  })
}

/** Drops every call path through a function, with the samples it holds (they leave the totals). */
export function dropFunction(tree: CallTree, fn: FunctionIndex): CallTree {
  const { func } = tree.nodes
  return rebuildTree(tree, func[0] as number, (i, mp, b) => (i > 0 && func[i] === fn ? -1 : keep(tree, i, mp, b)))
}

/** V8's frames that stand for a state of the VM rather than for code the program ran. */
export const PSEUDO_FRAMES = ['(program)', '(idle)', '(garbage collector)'] as const
export type PseudoFrame = (typeof PSEUDO_FRAMES)[number]

/**
 * Drops the samples of a V8 pseudo-frame (`(idle)`, `(program)`, `(garbage collector)`): they leave the
 * totals and the timeline. Returns the same tree when it has none.
 */
export function dropPseudoFrame(tree: CallTree, frame: PseudoFrame): CallTree {
  const { func } = tree.nodes
  const names = tree.functions.name
  const hit = new Uint8Array(tree.functions.length)
  for (let f = 0; f < tree.functions.length; f++) if (names[f] === frame && tree.functions.url[f] === '') hit[f] = 1
  // Function indexes outlive transforms, so a tree can list the frame without any node of it left.
  if (!tree.nodes.func.some((f) => hit[f] === 1)) return tree
  return rebuildTree(tree, func[0] as number, (i, mp, b) => (i > 0 && hit[func[i] as number] ? -1 : keep(tree, i, mp, b)))
}

/** Drops `(idle)` samples: the time V8 spent waiting, which is not CPU work. Returns the same tree when it has none. */
export function dropIdle(tree: CallTree): CallTree {
  return dropPseudoFrame(tree, '(idle)')
}

/**
 * Focus on a call path (Firefox Profiler's "focus on subtree"): the last node of the path becomes the
 * root and only the samples below that path are kept. `path` lists the functions from the root's child
 * down (the root itself is not part of it). A path the tree does not have leaves an empty tree.
 */
export function focusSubtree(tree: CallTree, path: readonly FunctionIndex[]): CallTree {
  const { func, subtreeEnd } = tree.nodes
  // Walk down from the root, one child per path step (siblings are distinct functions).
  let node = 0
  for (const fn of path) {
    let next = -1
    for (let c = node + 1; c < (subtreeEnd[node] as number); c = subtreeEnd[c] as number) {
      if (func[c] === fn) {
        next = c
        break
      }
    }
    if (next < 0) return emptyTree(tree)
    node = next
  }
  if (node === 0) return tree
  const start = node
  const end = subtreeEnd[node] as number
  return rebuildTree(tree, func[start] as number, (i, mp, b) => {
    if (i === start) return 0
    if (i < start || i >= end) return -1
    return b.child(mp, func[i] as number)
  })
}

/** The tree's root with no samples: what a focus leaves when nothing matches. */
function emptyTree(tree: CallTree): CallTree {
  return rebuildTree(tree, tree.nodes.func[0] as number, () => -1)
}

/** A module: the unit "collapse module" folds into one box. */
export interface ModuleRef {
  /** Stable id: the package name for dependencies, `node:` urls as they are, else the script url. */
  id: string
  /** Short name for the box and the menu: the package, `node:fs`, or the script's file name. */
  label: string
}

/**
 * The module of a frame's script: a dependency's package (`node_modules/<pkg>` or `@scope/pkg`, the
 * innermost one), a `node:` built-in, or the script itself. Null for frames without a script.
 */
export function moduleOf(url: string): ModuleRef | null {
  if (url === '' || url.startsWith('native ')) return null
  const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/g
  let pkg: string | undefined
  for (let hit = m.exec(url); hit; hit = m.exec(url)) pkg = hit[1]
  if (pkg !== undefined) {
    const name = pkg.replace(/\\/g, '/')
    return { id: `npm:${name}`, label: name }
  }
  if (url.startsWith('node:')) return { id: url, label: url }
  const base = url.split(/[\\/]/).pop() || url
  return { id: url, label: base }
}

/**
 * Collapses every run of consecutive frames that `member` says belong together into one box (Firefox
 * Profiler's "collapse resource"): the box takes their self time, and what they call outside the group
 * hangs below it. The box is a new function appended to the table (index = functions.length), with key
 * `label <url>:0:0`, so it matches across runs.
 */
function collapseFrames(
  tree: CallTree,
  member: (fn: FunctionIndex) => boolean,
  box: { name: string; url: string; category: FunctionCategory },
): CallTree {
  const { func, parent } = tree.nodes
  const f = tree.functions
  const inGroup = new Uint8Array(f.length)
  let any = false
  for (let i = 0; i < f.length; i++) if (member(i)) inGroup[i] = 1
  for (let i = 1; i < tree.nodes.length && !any; i++) any = inGroup[func[i] as number] === 1
  if (!any) return tree
  const key = makeFunctionKey({ name: box.name, url: box.url, line: 0, column: 0 })
  let boxFn = f.key.indexOf(key)
  let functions: FunctionIdentities = f
  if (boxFn < 0) {
    boxFn = f.length
    functions = {
      key: [...f.key, key],
      name: [...f.name, box.name],
      url: [...f.url, box.url],
      line: [...f.line, 0],
      column: [...f.column, 0],
      category: [...f.category, box.category],
    }
  }
  return rebuildTree(
    tree,
    func[0] as number,
    (i, mp, b) => {
      if (i === 0) return 0
      if (mp < 0) return -1
      if (inGroup[func[i] as number] !== 1) return b.child(mp, func[i] as number)
      const p = parent[i] as number
      // Below another frame of the group: fold into the box that frame went into.
      return p > 0 && inGroup[func[p] as number] === 1 ? mp : b.child(mp, boxFn)
    },
    functions,
  )
}

/** Collapses a module (moduleOf) into one box per consecutive run of its frames, named after the module. */
export function collapseModule(tree: CallTree, moduleId: string): CallTree {
  const f = tree.functions
  let label = moduleId
  let category: FunctionCategory = 'user'
  for (let i = 0; i < f.length; i++) {
    const m = moduleOf(f.url[i] as string)
    if (m && m.id === moduleId) {
      label = m.label
      category = f.category[i] as FunctionCategory
      break
    }
  }
  return collapseFrames(tree, (fn) => moduleOf(f.url[fn] as string)?.id === moduleId, { name: label, url: moduleId, category })
}

/** Name of the box that collapseNodeInternals makes. */
export const NODE_INTERNALS_BOX = '(node internals)'

/** Collapses Node's own frames (category `node-internal`: `node:` scripts) into one box per consecutive run. */
export function collapseNodeInternals(tree: CallTree): CallTree {
  const f = tree.functions
  return collapseFrames(tree, (fn) => f.category[fn] === 'node-internal', {
    name: NODE_INTERNALS_BOX,
    url: 'node:',
    category: 'node-internal',
  })
}

/**
 * One transform of a view's stack. Functions are named by key (FunctionTable.key), so the stack means the
 * same after a reload and on every run of a diff; the schema is core/api/schemas.ts profileTransformSchema.
 */
export type ProfileTransform =
  | { type: 'focus-function'; fn: string }
  /** Function keys from the root's child down to the focused node. */
  | { type: 'focus-subtree'; path: string[] }
  | { type: 'merge-function'; fn: string }
  | { type: 'drop-function'; fn: string }
  | { type: 'collapse-module'; module: string }
  | { type: 'collapse-node-internals' }
  | { type: 'hide-frame'; frame: PseudoFrame }

/** The most transforms a stack holds (the URL and request schemas refuse more). */
export const MAX_TRANSFORMS = 32

/**
 * Applies a stack of transforms in order. Keys the tree does not have make focus transforms leave an
 * empty tree (that run never ran the function) and the others change nothing.
 */
export function applyTransforms(tree: CallTree, transforms: readonly ProfileTransform[]): CallTree {
  let out = tree
  for (const t of transforms) out = applyTransform(out, t)
  return out
}

function applyTransform(tree: CallTree, t: ProfileTransform): CallTree {
  const index = (key: string): FunctionIndex => tree.functions.key.indexOf(key)
  switch (t.type) {
    case 'focus-function': {
      const fn = index(t.fn)
      return fn < 0 ? emptyTree(tree) : focusFunction(tree, fn)
    }
    case 'focus-subtree': {
      const path = t.path.map(index)
      return path.some((fn) => fn < 0) ? emptyTree(tree) : focusSubtree(tree, path)
    }
    case 'merge-function': {
      const fn = index(t.fn)
      return fn < 0 ? tree : mergeFunction(tree, fn)
    }
    case 'drop-function': {
      const fn = index(t.fn)
      return fn < 0 ? tree : dropFunction(tree, fn)
    }
    case 'collapse-module':
      return collapseModule(tree, t.module)
    case 'collapse-node-internals':
      return collapseNodeInternals(tree)
    case 'hide-frame':
      return dropPseudoFrame(tree, t.frame)
  }
}

/** The function keys of a node's call path below the root: what a focus-subtree transform names. */
export function callPathKeys(tree: CallTree, node: NodeIndex): string[] {
  const keys: string[] = []
  for (let i = node; i > 0; i = tree.nodes.parent[i] as number) keys.push(tree.functions.key[tree.nodes.func[i] as number] as string)
  return keys.reverse()
}

/** A short label of a transform for breadcrumbs and lists: `Focus: match`, `Collapse: fflate`. */
export function describeTransform(t: ProfileTransform): string {
  const nameOf = (key: string): string => {
    const space = key.lastIndexOf(' ')
    return space > 0 ? key.slice(0, space) : key
  }
  switch (t.type) {
    case 'focus-function':
      return `Focus: ${nameOf(t.fn)}`
    case 'focus-subtree':
      return `Focus path: ${t.path.length > 0 ? nameOf(t.path[t.path.length - 1] as string) : '(root)'}`
    case 'merge-function':
      return `Merge: ${nameOf(t.fn)}`
    case 'drop-function':
      return `Drop: ${nameOf(t.fn)}`
    case 'collapse-module':
      return `Collapse: ${moduleLabel(t.module)}`
    case 'collapse-node-internals':
      return 'Collapse: node internals'
    case 'hide-frame':
      return `Hide: ${t.frame}`
  }
}

/** The label of a module id (moduleOf's id): the package, the `node:` name, or the file name. */
function moduleLabel(id: string): string {
  if (id.startsWith('npm:')) return id.slice(4)
  if (id.startsWith('node:')) return id
  return id.split(/[\\/]/).pop() || id
}
