/**
 * Exports a call tree as a speedscope file (https://www.speedscope.app/file-format-schema.json, from the
 * `speedscope` package's file-format-spec): one 'sampled' profile, in time order when the tree has a
 * sample timeline, so speedscope's "Time Order" view shows the real sequence.
 */
import { type CallTree, getFunctionName } from '../model/call-tree.js'

export const SPEEDSCOPE_SCHEMA_URL = 'https://www.speedscope.app/file-format-schema.json'

/** FileFormat.Frame. */
export interface SpeedscopeFrame {
  name: string
  file?: string
  /** 1-based. */
  line?: number
  col?: number
}

/** FileFormat.SampledProfile: stacks of frame indexes (outermost first), each with a weight. */
export interface SpeedscopeSampledProfile {
  type: 'sampled'
  name: string
  unit: 'milliseconds' | 'bytes'
  startValue: number
  endValue: number
  samples: number[][]
  weights: number[]
}

/** FileFormat.File. */
export interface SpeedscopeFile {
  $schema: typeof SPEEDSCOPE_SCHEMA_URL
  shared: { frames: SpeedscopeFrame[] }
  profiles: SpeedscopeSampledProfile[]
  name?: string
  activeProfileIndex?: number
  exporter?: string
}

export interface SpeedscopeOptions {
  /** Profile name shown by speedscope. Default 'Hotpath profile'. */
  name?: string
  /** Written to the file's `exporter` field. */
  exporter?: string
}

/**
 * The speedscope file of a tree. With a timeline, one sample per run of consecutive samples on the same
 * stack, weighted by their duration in ms; without (allocation profiles), one sample per call path,
 * weighted by its self value. The root frame is left out of the stacks.
 */
export function toSpeedscope(tree: CallTree, options: SpeedscopeOptions = {}): SpeedscopeFile {
  const { nodes, functions } = tree
  const frameOf = new Int32Array(functions.length).fill(-1)
  const frames: SpeedscopeFrame[] = []
  const frameIndex = (fn: number): number => {
    let k = frameOf[fn] as number
    if (k < 0) {
      k = frames.length
      frameOf[fn] = k
      const frame: SpeedscopeFrame = { name: getFunctionName(functions, fn) }
      const url = functions.url[fn] as string
      if (url) frame.file = url
      if ((functions.line[fn] as number) > 0) frame.line = functions.line[fn] as number
      if ((functions.column[fn] as number) > 0) frame.col = functions.column[fn] as number
      frames.push(frame)
    }
    return k
  }
  // Stacks are built only for sampled nodes (all nodes' stacks would cost O(nodes × depth) memory), by an
  // iterative walk up, since recursion can make stacks thousands of frames deep.
  const stacks = new Map<number, number[]>()
  const stackOf = (node: number): number[] => {
    let stack = stacks.get(node)
    if (!stack) {
      stack = []
      for (let i = node; (nodes.parent[i] as number) >= 0; i = nodes.parent[i] as number) stack.push(frameIndex(nodes.func[i] as number))
      stack.reverse()
      stacks.set(node, stack)
    }
    return stack
  }

  const samples: number[][] = []
  const weights: number[] = []
  const timeline = tree.unit === 'ms' ? tree.timeline : undefined
  if (timeline) {
    let prevNode = -1
    for (let k = 0; k < timeline.length; k++) {
      const node = timeline.node[k] as number
      const w = timeline.durationMs[k] as number
      if (node === prevNode) weights[weights.length - 1] = (weights[weights.length - 1] as number) + w
      else {
        samples.push(stackOf(node))
        weights.push(w)
      }
      prevNode = node
    }
  } else {
    for (let i = 0; i < nodes.length; i++) {
      const self = nodes.self[i] as number
      if (self > 0) {
        samples.push(stackOf(i))
        weights.push(self)
      }
    }
  }
  let sum = 0
  for (const w of weights) sum += w
  return {
    $schema: SPEEDSCOPE_SCHEMA_URL,
    shared: { frames },
    profiles: [
      {
        type: 'sampled',
        name: options.name ?? 'Hotpath profile',
        unit: tree.unit === 'ms' ? 'milliseconds' : 'bytes',
        startValue: 0,
        endValue: sum,
        samples,
        weights,
      },
    ],
    name: options.name ?? 'Hotpath profile',
    activeProfileIndex: 0,
    ...(options.exporter ? { exporter: options.exporter } : {}),
  }
}
