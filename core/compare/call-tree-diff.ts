/**
 * Compares CPU profiles of a baseline and a candidate: per-function changes in self and total time (as
 * shares of the profile and, when operation counts are known, as ms per operation), a significance test
 * when each side has several runs, and a merged top-down tree for the diff flame graph. The one profile
 * diff: the service computes it (service/profile-diff.ts) for the CLI, the HTTP/IPC API and the renderer.
 */
import { importCpuProfile, type CpuProfileRaw } from '../import/cpuprofile.js'
import { computeVisibleFunctionValues, foldHarnessFrames, isHarnessFrame, isSchedulingFrame } from '../analysis/align-stacks.js'
import { type ProfileTransform, applyTransforms, dropIdle } from '../analysis/transforms.js'
import { type CallTree, type FunctionCategory, createCallTreeBuilder, getTreeTotal } from '../model/call-tree.js'
import type { Milliseconds, UnitInterval } from '../model/units.js'
import { benjaminiHochberg, welchTTest } from '../stats/significance.js'
import { mean } from '../stats/summarize.js'

/** One profiled run of one side. */
export interface CpuProfileInput {
  profile: CpuProfileRaw
  /** Operations in the profiled window, to normalize per op (RunRecord.metrics.operations). */
  operations?: number
}

/** How one function changed. Shares are of the run's non-idle total; per-run values are averaged per side. */
export interface FunctionDiff {
  key: string
  name: string
  url: string
  /** 1-based; 0 when unknown. */
  line: number
  category: string
  baselineSelfShare: UnitInterval
  candidateSelfShare: UnitInterval
  baselineTotalShare: UnitInterval
  candidateTotalShare: UnitInterval
  /** Self time per operation; present when every run of that side has an operation count. */
  baselineSelfMsPerOp?: Milliseconds
  candidateSelfMsPerOp?: Milliseconds
  /** Total (inclusive) time per operation; present with the self values. */
  baselineTotalMsPerOp?: Milliseconds
  candidateTotalMsPerOp?: Milliseconds
  /** candidateSelfShare − baselineSelfShare. */
  deltaSelfShare: number
  /** Change in self time per op, in %; present when both sides have per-op values and the baseline's is > 0. */
  deltaSelfPct?: number
  /**
   * `new`/`gone`: no samples at all on one side. Otherwise, with one run on a side: `grown`/`shrunk` when the
   * self time changed by at least `minChangePct` relative and `minDeltaShare` of the baseline total. With
   * several runs on both sides: `grown`/`shrunk` when the change is significant, else `same`.
   */
  status: 'grown' | 'shrunk' | 'new' | 'gone' | 'same'
  /**
   * With several runs per side: Welch's t-test p-value of the per-run self time per op (per-run self share
   * when operation counts are missing), adjusted across the listed functions by Benjamini–Hochberg, so
   * `significant` is exactly `pValue < alpha`.
   */
  pValue?: number
  significant?: boolean
}

/** Function identities of the merged tree. */
export interface DiffFunctionTable {
  length: number
  key: string[]
  name: string[]
  url: string[]
  line: number[]
  category: FunctionCategory[]
}

/**
 * The merged top-down tree: every call path of any run, matched by the function keys along the path.
 * Same layout as CallTree nodes (pre-order, root 0, subtree of i = [i, subtreeEnd[i])), siblings ordered by
 * the larger of the two totals. Values are means over each side's runs. Plain number arrays (not typed
 * arrays) so the tree crosses JSON (HTTP), structured clone (IPC, workers) and contextBridge unchanged.
 */
export interface DiffTree {
  length: number
  parent: number[]
  depth: number[]
  subtreeEnd: number[]
  func: number[]
  functions: DiffFunctionTable
  /** Shares of each run's non-idle total, averaged over the side's runs. */
  baselineSelf: number[]
  baselineTotal: number[]
  candidateSelf: number[]
  candidateTotal: number[]
  /** Milliseconds per operation, averaged over the side's runs; present when every run has operations. */
  baselineSelfMsPerOp?: number[]
  baselineTotalMsPerOp?: number[]
  candidateSelfMsPerOp?: number[]
  candidateTotalMsPerOp?: number[]
}

/** How the call paths of the two sides were aligned before merging (see core/analysis/align-stacks.ts). */
export interface DiffAlignment {
  /** Whether harness and scheduling frames above the workload's entry point were folded into the root. */
  harnessHidden: boolean
  /** Names of the functions merged into the root as each side's entry point. */
  entryPoints: { baseline: string[]; candidate: string[] }
  /** Share of each side's total that ran in hidden frames only (now the root's self), averaged over runs. */
  hiddenShare: [UnitInterval, UnitInterval]
}

export interface ProfileDiff {
  /** Sorted by |change| descending: the change of self time per op as a share of the baseline's total per op
   * when both sides have operation counts, else the change of self share. */
  functions: FunctionDiff[]
  tree: DiffTree
  runsPerSide: [number, number]
  alignment: DiffAlignment
  /** Each side's whole profile per operation (ms), averaged over runs; present when values are per op. */
  totalMsPerOp?: [Milliseconds, Milliseconds]
  /** How the comparison was made. */
  method: {
    /** Whether values were normalized per operation (both sides have operation counts). */
    perOp: boolean
    /** 'welch-t' when both sides have at least two runs. */
    test: 'welch-t' | 'none'
    correction: 'benjamini-hochberg'
    alpha: number
  }
}

export interface DiffOptions {
  /** Functions whose self and total shares are below this on both sides are not listed. Default 0.001 (0.1%). */
  minShare?: number
  /** Single-run rule: smallest relative change of self time, in %, to call a function grown or shrunk. Default 10. */
  minChangePct?: number
  /** Single-run rule: smallest change as a fraction of the baseline total. Default 0.005 (0.5 points). */
  minDeltaShare?: number
  /** Significance level after the Benjamini–Hochberg correction. Default 0.05. */
  alpha?: number
  /**
   * Fold the harness's frames and Node's scheduling frames above the workload's entry point into the root,
   * and leave harness functions out of the list (foldHarnessFrames). Default true.
   */
  hideHarness?: boolean
  /** Transforms applied to every profile of both sides (after `(idle)` is dropped), in order. Default none. */
  transforms?: readonly ProfileTransform[]
}

interface SideRun {
  /** The profile's tree (idle dropped): function-level values, which do not depend on call paths. */
  tree: CallTree
  /** The tree whose paths are merged into the diff tree: folded when harness frames are hidden. */
  flow: CallTree
  total: Milliseconds
  operations: number | undefined
  entryPoints: string[]
  hidden: Milliseconds
  /** Per-function self and total (ms) outside the hidden frames; the tree's own when nothing is hidden. */
  fnSelf: ArrayLike<number>
  fnTotal: ArrayLike<number>
}

/**
 * Diffs the CPU profiles of two sides. `(idle)` is dropped first: shares are of CPU work, not of waiting.
 *
 * Why Welch's t-test: each per-run value is a mean over thousands of samples, so it is close to normal
 * (central limit theorem) even when single samples are not; Welch's test does not assume equal variances,
 * and an optimization often changes the variance along with the mean. Mann–Whitney U was the alternative,
 * but with the 3–5 runs per side a profile comparison usually has, its exact p-value cannot go below
 * 2 / C(n1 + n2, n1) (0.1 for 3 vs 3, 0.008 for 5 vs 5), which no correction across tens of functions lets
 * reach significance. Benjamini–Hochberg controls the false discovery rate across functions (and, when
 * nothing changed, the chance of any false alarm), with more power than Holm's family-wise control when
 * several functions did change, which is the common case after a code change.
 */
export function diffProfiles(baseline: CpuProfileInput[], candidate: CpuProfileInput[], options: DiffOptions = {}): ProfileDiff {
  if (baseline.length === 0 || candidate.length === 0) throw new Error('diffProfiles needs at least one profile on each side')
  const minShare = options.minShare ?? 0.001
  const minChange = (options.minChangePct ?? 10) / 100
  const minDeltaShare = options.minDeltaShare ?? 0.005
  const alpha = options.alpha ?? 0.05
  const hideHarness = options.hideHarness ?? true
  const toRun = (input: CpuProfileInput): SideRun => {
    const tree = applyTransforms(dropIdle(importCpuProfile(input.profile)), options.transforms ?? [])
    const ops = input.operations !== undefined && input.operations > 0 ? input.operations : undefined
    const folding = hideHarness ? foldHarnessFrames(tree) : undefined
    const visible = folding ? computeVisibleFunctionValues(tree, folding.hidden) : { self: tree.functions.self, total: tree.functions.total }
    return {
      fnSelf: visible.self,
      fnTotal: visible.total,
      tree,
      flow: folding?.tree ?? tree,
      total: getTreeTotal(tree),
      operations: ops,
      entryPoints: (folding?.entryPoints ?? []).map((f) => tree.functions.name[f] as string),
      hidden: folding?.hiddenValue ?? 0,
    }
  }
  const sides = [baseline.map(toRun), candidate.map(toRun)] as const
  const perOp = sides.every((runs) => runs.every((r) => r.operations !== undefined))

  // The union of functions over every run, by key.
  const keyIndex = new Map<string, number>()
  const fnTable = {
    key: [] as string[],
    name: [] as string[],
    url: [] as string[],
    line: [] as number[],
    category: [] as FunctionCategory[],
  }
  const runFuncMaps = sides.map((runs) =>
    runs.map((run) => {
      const f = run.tree.functions
      const map = new Int32Array(f.length)
      for (let i = 0; i < f.length; i++) {
        const key = f.key[i] as string
        let id = keyIndex.get(key)
        if (id === undefined) {
          id = fnTable.key.length
          keyIndex.set(key, id)
          fnTable.key.push(key)
          fnTable.name.push(f.name[i] as string)
          fnTable.url.push(f.url[i] as string)
          fnTable.line.push(f.line[i] as number)
          fnTable.category.push(f.category[i] as FunctionCategory)
        }
        map[i] = id
      }
      return map
    }),
  )
  const F = fnTable.key.length

  // Per-run values per function: self share, total share, self ms per op.
  const perRun = sides.map((runs, s) =>
    runs.map((run, r) => {
      const map = runFuncMaps[s]![r]!
      const selfShare = new Float64Array(F)
      const totalShare = new Float64Array(F)
      const selfPerOp = new Float64Array(F)
      const totalPerOp = new Float64Array(F)
      const f = run.tree.functions
      for (let i = 0; i < f.length; i++) {
        const id = map[i] as number
        const self = run.fnSelf[i] as number
        const total = run.fnTotal[i] as number
        selfShare[id] = run.total > 0 ? self / run.total : 0
        totalShare[id] = run.total > 0 ? total / run.total : 0
        selfPerOp[id] = run.operations ? self / run.operations : 0
        totalPerOp[id] = run.operations ? total / run.operations : 0
      }
      return { selfShare, totalShare, selfPerOp, totalPerOp }
    }),
  )
  const sideMean = (s: 0 | 1, field: 'selfShare' | 'totalShare' | 'selfPerOp' | 'totalPerOp', id: number): number => {
    const runs = perRun[s]!
    let sum = 0
    for (const run of runs) sum += run[field][id] as number
    return sum / runs.length
  }
  const baseTotalPerOp = perOp ? mean(sides[0].map((r) => r.total / (r.operations as number))) : 0
  const candTotalPerOp = perOp ? mean(sides[1].map((r) => r.total / (r.operations as number))) : 0

  const rootKeys = new Set(sides.flatMap((runs) => runs.map((r) => r.tree.functions.key[r.tree.nodes.func[0] as number] as string)))
  const multi = sides[0].length >= 2 && sides[1].length >= 2
  const listed: { diff: FunctionDiff; change: number; weight: number; rawP?: number }[] = []
  for (let id = 0; id < F; id++) {
    const key = fnTable.key[id] as string
    if (rootKeys.has(key)) continue
    if (hideHarness && (isHarnessFrame(fnTable.url[id] as string) || isSchedulingFrame(fnTable.name[id] as string, fnTable.url[id] as string)))
      continue
    const bSelf = sideMean(0, 'selfShare', id)
    const cSelf = sideMean(1, 'selfShare', id)
    const bTotal = sideMean(0, 'totalShare', id)
    const cTotal = sideMean(1, 'totalShare', id)
    const weight = Math.max(bSelf, cSelf, bTotal, cTotal)
    if (weight < minShare) continue
    const diff: FunctionDiff = {
      key,
      name: fnTable.name[id] as string,
      url: fnTable.url[id] as string,
      line: fnTable.line[id] as number,
      category: fnTable.category[id] as string,
      baselineSelfShare: bSelf,
      candidateSelfShare: cSelf,
      baselineTotalShare: bTotal,
      candidateTotalShare: cTotal,
      deltaSelfShare: cSelf - bSelf,
      status: 'same',
    }
    let base = bSelf
    let cand = cSelf
    let change = cSelf - bSelf
    if (perOp) {
      base = sideMean(0, 'selfPerOp', id)
      cand = sideMean(1, 'selfPerOp', id)
      diff.baselineSelfMsPerOp = base
      diff.candidateSelfMsPerOp = cand
      diff.baselineTotalMsPerOp = sideMean(0, 'totalPerOp', id)
      diff.candidateTotalMsPerOp = sideMean(1, 'totalPerOp', id)
      if (base > 0) diff.deltaSelfPct = ((cand - base) / base) * 100
      change = baseTotalPerOp > 0 ? (cand - base) / baseTotalPerOp : 0
    }
    const inBaseline = bTotal > 0
    const inCandidate = cTotal > 0
    const entry: (typeof listed)[number] = { diff, change, weight }
    if (!inBaseline && inCandidate) diff.status = 'new'
    else if (inBaseline && !inCandidate) diff.status = 'gone'
    else if (!multi) {
      const rel = base > 0 ? (cand - base) / base : cand > 0 ? Infinity : 0
      if (rel >= minChange && change >= minDeltaShare) diff.status = 'grown'
      else if (rel <= -minChange && change <= -minDeltaShare) diff.status = 'shrunk'
    }
    if (multi) {
      const field = perOp ? 'selfPerOp' : 'selfShare'
      const test = welchTTest(
        perRun[0]!.map((r) => r[field][id] as number),
        perRun[1]!.map((r) => r[field][id] as number),
      )
      entry.rawP = test.p
    }
    listed.push(entry)
  }

  if (multi) {
    const adjusted = benjaminiHochberg(listed.map((e) => e.rawP as number))
    listed.forEach((e, i) => {
      const p = adjusted[i] as number
      // NaN (no variation on either side) does not survive JSON; such a function has no p-value.
      if (Number.isNaN(p)) return
      e.diff.pValue = p
      e.diff.significant = p < alpha
      if (e.diff.status === 'same' && e.diff.significant) e.diff.status = e.change > 0 ? 'grown' : e.change < 0 ? 'shrunk' : 'same'
    })
  }
  listed.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || b.weight - a.weight || (a.diff.key < b.diff.key ? -1 : 1))

  const entryNames = (runs: readonly SideRun[]): string[] => [...new Set(runs.flatMap((r) => r.entryPoints))]
  const hiddenShare = (runs: readonly SideRun[]): number => mean(runs.map((r) => (r.total > 0 ? r.hidden / r.total : 0)))
  return {
    functions: listed.map((e) => e.diff),
    tree: buildDiffTree(sides, runFuncMaps, fnTable, perOp),
    runsPerSide: [baseline.length, candidate.length],
    alignment: {
      harnessHidden: hideHarness,
      entryPoints: { baseline: entryNames(sides[0]), candidate: entryNames(sides[1]) },
      hiddenShare: [hiddenShare(sides[0]), hiddenShare(sides[1])],
    },
    ...(perOp ? { totalMsPerOp: [baseTotalPerOp, candTotalPerOp] as [number, number] } : {}),
    method: { perOp, test: multi ? 'welch-t' : 'none', correction: 'benjamini-hochberg', alpha },
  }
}

/** Merges every run's tree by function keys along the path; values are per-side means. */
function buildDiffTree(
  sides: readonly [SideRun[], SideRun[]],
  runFuncMaps: Int32Array[][],
  fnTable: { key: string[]; name: string[]; url: string[]; line: number[]; category: FunctionCategory[] },
  perOp: boolean,
): DiffTree {
  const rootFunc = runFuncMaps[0]![0]![sides[0][0]!.flow.nodes.func[0] as number] as number
  const builder = createCallTreeBuilder(rootFunc)
  // Per builder node: [baseSelfShare, candSelfShare, baseSelfPerOp, candSelfPerOp].
  const acc: number[][] = [[], [], [], []]
  const add = (slot: number, node: number, value: number): void => {
    const a = acc[slot] as number[]
    a[node] = (a[node] ?? 0) + value
  }
  sides.forEach((runs, s) => {
    runs.forEach((run, r) => {
      const map = runFuncMaps[s]![r]!
      // The folded tree keeps the unfolded tree's function indexes, so `map` applies to it too.
      const { nodes } = run.flow
      const mapped = new Int32Array(nodes.length)
      for (let i = 0; i < nodes.length; i++) {
        const p = nodes.parent[i] as number
        mapped[i] = p < 0 ? 0 : builder.child(mapped[p] as number, map[nodes.func[i] as number] as number)
        const self = nodes.self[i] as number
        if (self === 0) continue
        if (run.total > 0) add(s, mapped[i] as number, self / run.total / runs.length)
        if (perOp) add(2 + s, mapped[i] as number, self / (run.operations as number) / runs.length)
      }
    })
  })

  const n = builder.size
  const { parents, funcs } = builder
  const selfArrays = acc.map((a) => Float64Array.from({ length: n }, (_, i) => a[i] ?? 0))
  const totalArrays = selfArrays.map((a) => a.slice())
  for (let i = n - 1; i > 0; i--) {
    const p = parents[i] as number
    for (const t of totalArrays) t[p] = (t[p] as number) + (t[i] as number)
  }
  const weight = (i: number): number => Math.max(totalArrays[0]![i] as number, totalArrays[1]![i] as number)
  const children: number[][] = Array.from({ length: n }, () => [])
  for (let i = 1; i < n; i++) children[parents[i] as number]!.push(i)
  const order: number[] = []
  const stack = [0]
  while (stack.length > 0) {
    const i = stack.pop() as number
    order.push(i)
    const kids = children[i] as number[]
    kids.sort(
      (a, b) =>
        weight(b) - weight(a) || ((fnTable.key[funcs[a] as number] as string) < (fnTable.key[funcs[b] as number] as string) ? -1 : 1),
    )
    for (let c = kids.length - 1; c >= 0; c--) stack.push(kids[c] as number)
  }
  const newIndex = new Int32Array(n)
  order.forEach((old, j) => (newIndex[old] = j))
  const pick = (a: Float64Array): number[] => Array.from(order, (old) => a[old] as number)
  const parent = Array.from(order, (old) => ((parents[old] as number) < 0 ? -1 : (newIndex[parents[old] as number] as number)))
  const depth = new Array<number>(n).fill(0)
  for (let j = 1; j < n; j++) depth[j] = (depth[parent[j] as number] as number) + 1
  const subtreeEnd = new Array<number>(n).fill(n)
  const open: number[] = []
  for (let j = 0; j < n; j++) {
    while (open.length > 0 && (depth[open[open.length - 1] as number] as number) >= (depth[j] as number))
      subtreeEnd[open.pop() as number] = j
    open.push(j)
  }
  const tree: DiffTree = {
    length: n,
    parent,
    depth,
    subtreeEnd,
    func: Array.from(order, (old) => funcs[old] as number),
    functions: {
      length: fnTable.key.length,
      key: fnTable.key.slice(),
      name: fnTable.name.slice(),
      url: fnTable.url.slice(),
      line: fnTable.line.slice(),
      category: fnTable.category.slice(),
    },
    baselineSelf: pick(selfArrays[0]!),
    baselineTotal: pick(totalArrays[0]!),
    candidateSelf: pick(selfArrays[1]!),
    candidateTotal: pick(totalArrays[1]!),
  }
  if (perOp) {
    tree.baselineSelfMsPerOp = pick(selfArrays[2]!)
    tree.baselineTotalMsPerOp = pick(totalArrays[2]!)
    tree.candidateSelfMsPerOp = pick(selfArrays[3]!)
    tree.candidateTotalMsPerOp = pick(totalArrays[3]!)
  }
  return tree
}
