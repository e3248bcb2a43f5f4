/**
 * How each call path of a diff tree changed, for the diff flame graph's colours: by the change of the
 * path's self time (Brendan Gregg's differential flame graphs colour a frame by the change of the samples
 * it holds itself, so a caller is not coloured for what its callees did), per operation by default or as
 * a share of each profile. Pure; the same classification serves the UI and any text report.
 */
import type { DiffTree } from './call-tree-diff.js'
import type { NodeIndex } from '../model/units.js'

/** What values a diff is read in: time per operation (needs operation counts on both sides) or share of each profile. */
export type DiffNormalization = 'perOp' | 'share'

/** slower/faster: the path's self time changed beyond the noise rule; same: within it. */
export type NodeChangeKind = 'slower' | 'faster' | 'same'

export const NODE_CHANGE_KINDS: readonly NodeChangeKind[] = ['same', 'slower', 'faster']

export interface DiffNodeChanges {
  normalization: DiffNormalization
  /** Index into NODE_CHANGE_KINDS per node. */
  kind: Uint8Array
  /** Change of self time (candidate − baseline) as a fraction of the baseline's whole profile (in the normalization). */
  delta: Float64Array
  /** Colour strength in [0, 1] from |delta|; 0 for `same`. */
  intensity: Float32Array
  /** 1 where the path ran in the baseline and not at all in the candidate (drawn hatched). */
  removed: Uint8Array
  /** 1 where the path ran only in the candidate. */
  added: Uint8Array
}

export interface NodeChangeOptions {
  /** Smallest relative change of a path's self time, in %, to count as changed. Default 10 (the ±10% between processes). */
  minChangePct?: number
  /** Smallest change as a fraction of the baseline's whole profile. Default 0.005 (0.5%). */
  minDelta?: number
  /**
   * Smallest |delta| that gets full colour strength when no node changed more. Default 0.05 (5% of the
   * baseline's time): a diff whose biggest change is 1% stays pale instead of shouting.
   */
  minFullAt?: number
}

/** Whether the tree carries per-operation values, so it can be read per operation. */
export function hasPerOpValues(tree: DiffTree): boolean {
  return tree.baselineSelfMsPerOp !== undefined && tree.candidateSelfMsPerOp !== undefined
}

/**
 * Classifies every node: `slower`/`faster` when its self time changed by at least `minChangePct` relative
 * and `minDelta` of the baseline's total, else `same` (grey). The root is always `same`: with harness frames
 * hidden its self is the hidden harness time plus the entry point's own, which is no one function's change.
 * Colour strength is linear in |delta| relative to the largest |delta| of the tree (as flamegraph.pl scales
 * its differential colours by the largest delta), but never relative to less than `minFullAt`, from 0.15 for
 * the smallest change that counts (so it is told apart from grey) to 1.
 */
export function classifyDiffNodes(tree: DiffTree, normalization: DiffNormalization, options: NodeChangeOptions = {}): DiffNodeChanges {
  const perOp = normalization === 'perOp' && hasPerOpValues(tree)
  const minChange = (options.minChangePct ?? 10) / 100
  const minDelta = options.minDelta ?? 0.005
  const minFullAt = options.minFullAt ?? 0.05
  const bSelf = perOp ? (tree.baselineSelfMsPerOp as number[]) : tree.baselineSelf
  const cSelf = perOp ? (tree.candidateSelfMsPerOp as number[]) : tree.candidateSelf
  const n = tree.length
  const scale = n > 0 ? (perOp ? (tree.baselineTotalMsPerOp as number[])[0]! : tree.baselineTotal[0]!) : 0
  const kind = new Uint8Array(n)
  const delta = new Float64Array(n)
  const intensity = new Float32Array(n)
  const removed = new Uint8Array(n)
  const added = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const bt = tree.baselineTotal[i]!
    const ct = tree.candidateTotal[i]!
    if (bt > 0 && !(ct > 0)) removed[i] = 1
    if (ct > 0 && !(bt > 0)) added[i] = 1
    if (i === 0 || !(scale > 0)) continue
    const b = bSelf[i]!
    const c = cSelf[i]!
    const d = (c - b) / scale
    delta[i] = d
    const rel = b > 0 ? (c - b) / b : c > 0 ? Infinity : 0
    if (Math.abs(d) < minDelta || Math.abs(rel) < minChange) continue
    kind[i] = d > 0 ? 1 : 2
  }
  let maxAbs = minFullAt
  for (let i = 0; i < n; i++) if (kind[i] !== 0) maxAbs = Math.max(maxAbs, Math.abs(delta[i]!))
  for (let i = 0; i < n; i++) if (kind[i] !== 0) intensity[i] = 0.15 + 0.85 * Math.min(1, Math.abs(delta[i]!) / maxAbs)
  return { normalization: perOp ? 'perOp' : 'share', kind, delta, intensity, removed, added }
}

export function getNodeChangeKind(changes: DiffNodeChanges, node: NodeIndex): NodeChangeKind {
  return NODE_CHANGE_KINDS[changes.kind[node]!] ?? 'same'
}

/** The share of the baseline's whole profile a node's box is sized by: the larger side's total. */
export function getNodeWeight(tree: DiffTree, normalization: DiffNormalization, node: NodeIndex): number {
  const perOp = normalization === 'perOp' && tree.baselineTotalMsPerOp !== undefined && tree.candidateTotalMsPerOp !== undefined
  return perOp
    ? Math.max(tree.baselineTotalMsPerOp![node]!, tree.candidateTotalMsPerOp![node]!)
    : Math.max(tree.baselineTotal[node]!, tree.candidateTotal[node]!)
}
