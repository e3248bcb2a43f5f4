/**
 * Stack alignment before a diff: the frames above a workload's entry point differ between runs for
 * reasons that have nothing to do with the workload (the harness's `measure` loop, and whether V8 ran it
 * from a timer callback through `processImmediate → runNextTicks → runMicrotasks` or directly), and
 * variants enter through different functions (`applyUpdatesNaive` vs `applyUpdatesSorted`). Folding those
 * frames into the root makes both runs start at one shared root, so a diff matches the workload's own
 * call paths instead of calling nearly every box "new" on one side and "gone" on the other.
 */
import type { CallTree, FunctionIndex } from '../model/call-tree.js'
import { NODE_INTERNALS_BOX, rebuildTree } from './transforms.js'

/** The harness's own modules (workloads/harness/*.ts, compiled under dist/ or run through tsx). */
const HARNESS_URL = /[\\/]workloads[\\/]harness[\\/]/

/**
 * Node's scheduling frames: what runs a callback (timers, immediates, the tick and microtask queues),
 * not what the callback does. Matched by name and Node's internal module, so user functions that happen
 * to share a name are not folded.
 */
const SCHEDULING_FRAMES: Record<string, RegExp> = {
  processImmediate: /^node:internal\/timers$/,
  processTimers: /^node:internal\/timers$/,
  listOnTimeout: /^node:internal\/timers$/,
  runNextTicks: /^node:internal\/process\/task_queues$/,
  processTicksAndRejections: /^node:internal\/process\/task_queues$/,
  runMicrotasks: /^$/,
}

/** Whether a frame is one of the harness's own (by its script url). */
export function isHarnessFrame(url: string): boolean {
  return HARNESS_URL.test(url)
}

/** Whether a frame is Node scheduling a callback (see SCHEDULING_FRAMES). */
export function isSchedulingFrame(name: string, url: string): boolean {
  const pattern = SCHEDULING_FRAMES[name]
  return pattern !== undefined && pattern.test(url)
}

/** What folding did to one tree. */
export interface HarnessFolding {
  tree: CallTree
  /** Functions merged into the root as the workload's entry point (the callees of the harness). */
  entryPoints: FunctionIndex[]
  /** Value (ms) of samples that were in harness or scheduling frames only, now the root's self. */
  hiddenValue: number
  /** Per node of the input tree: 1 for the folded-away harness and scheduling frames (not entry points). */
  hidden: Uint8Array
}

/**
 * Folds the frames above the workload's entry point into the root, for every call path:
 * - leading Node scheduling frames are folded away (any profile, so async callbacks line up);
 * - below a harness frame, the first frame of the program's own code (category `user`) is the workload's
 *   entry point: it and every harness frame above it merge into the root, and its callees become the
 *   root's children;
 * - a path that runs only harness code (timing, the histogram, `performance.now`) below a harness frame
 *   has no workload frame: its samples go to the root's self, with the harness frames.
 * Paths that never pass a harness frame (GC, `(program)`, a custom command's own code) keep their frames.
 * Function indexes are unchanged (transforms keep them), so a folded tree diffs like any other.
 */
export function foldHarnessFrames(tree: CallTree): HarnessFolding {
  const { nodes, functions } = tree
  const n = nodes.length
  // 0: above the entry point (folded into the root); 1: at or below the entry point, or outside the harness.
  const below = new Uint8Array(n)
  // Whether a harness frame is on the path from the root down to this node (while still folding).
  const inHarness = new Uint8Array(n)
  const hidden = new Uint8Array(n)
  const entry = new Set<FunctionIndex>()
  const folded = rebuildTree(tree, nodes.func[0] as number, (i, mappedParent, builder) => {
    if (i === 0) return 0
    const p = nodes.parent[i] as number
    const fn = nodes.func[i] as number
    if (below[p] === 1) {
      below[i] = 1
      return mappedParent < 0 ? -1 : builder.child(mappedParent, fn)
    }
    const name = functions.name[fn] as string
    const url = functions.url[fn] as string
    // The box that collapsing Node internals makes (core/analysis/transforms.ts) stands, above the entry
    // point, for the scheduling frames it swallowed, so a collapsed profile aligns as the plain one does.
    if (isSchedulingFrame(name, url) || (name === NODE_INTERNALS_BOX && url === 'node:')) {
      inHarness[i] = inHarness[p] as number
      hidden[i] = 1
      return 0
    }
    if (isHarnessFrame(url)) {
      inHarness[i] = 1
      hidden[i] = 1
      return 0
    }
    if (inHarness[p] === 1) {
      if (functions.category[fn] === 'user') {
        // The workload's entry point: it becomes the root; its callees hang below it.
        entry.add(fn)
        below[i] = 1
        return 0
      }
      // Library or Node code the harness calls (the clock, the histogram): harness work, hidden.
      inHarness[i] = 1
      hidden[i] = 1
      return 0
    }
    below[i] = 1
    return builder.child(mappedParent, fn)
  })
  let hiddenValue = 0
  for (let i = 1; i < n; i++) if (hidden[i] === 1) hiddenValue += nodes.self[i] as number
  return { tree: folded, entryPoints: [...entry], hiddenValue, hidden }
}

/**
 * Per-function self and total of a tree, leaving out the nodes marked hidden (foldHarnessFrames' `hidden`):
 * what a function's numbers are once the harness's own work is set aside. Totals count each sample once
 * per function, however often the function recurses on its stack (as FunctionTable.total does).
 */
export function computeVisibleFunctionValues(tree: CallTree, hidden: Uint8Array): { self: Float64Array; total: Float64Array } {
  const { nodes } = tree
  const F = tree.functions.length
  const self = new Float64Array(F)
  const total = new Float64Array(F)
  const active = new Int32Array(F)
  const open: number[] = []
  for (let i = 0; i < nodes.length; i++) {
    while (open.length > 0 && (nodes.subtreeEnd[open[open.length - 1] as number] as number) <= i) {
      const j = open.pop() as number
      active[nodes.func[j] as number]! -= 1
    }
    const fn = nodes.func[i] as number
    if (hidden[i] !== 1) {
      self[fn]! += nodes.self[i] as number
      if (active[fn] === 0) total[fn]! += nodes.total[i] as number
    }
    active[fn]! += 1
    open.push(i)
  }
  return { self, total }
}
