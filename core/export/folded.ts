/**
 * Folded stacks (Brendan Gregg's `stackcollapse` output): one line per call path, `a;b;c 123`, which
 * flamegraph.pl, speedscope, inferno and Pyroscope read. Also the parser, for round trips and imports.
 */
import { type CallTree, getFunctionName } from '../model/call-tree.js'

/**
 * What the number after each stack counts: `microseconds` of CPU time (CPU profiles; the default, since
 * V8's sample intervals vary), `samples` (sample counts, CPU or allocation), or `bytes` (allocation
 * profiles; the default there). Values are rounded to integers, as the tools expect, so each line may be
 * off by half a unit.
 */
export type FoldedWeight = 'microseconds' | 'samples' | 'bytes'

export interface FoldedOptions {
  weight?: FoldedWeight
}

/** One frame as text: `name url:line` (or just the name without a script); `;` and line breaks replaced. */
export function formatFoldedFrame(name: string, url: string, line: number): string {
  const label = url ? `${name || '(anonymous)'} ${url}${line > 0 ? `:${line}` : ''}` : name || '(anonymous)'
  return label.replace(/;/g, ',').replace(/[\r\n]+/g, ' ')
}

/**
 * Folded stacks of a tree: one line per node with a non-zero weight, root frame left out (a sample at the
 * root itself is written as `(root)`), in tree order.
 */
export function toFoldedStacks(tree: CallTree, options: FoldedOptions = {}): string {
  const weight = options.weight ?? (tree.unit === 'ms' ? 'microseconds' : 'bytes')
  if (weight === 'microseconds' && tree.unit !== 'ms') throw new Error('microsecond weights need a CPU profile; use bytes or samples')
  if (weight === 'bytes' && tree.unit !== 'bytes') throw new Error('byte weights need an allocation profile; use microseconds or samples')
  const { nodes, functions } = tree
  const labels = functions.name.map((_, f) =>
    formatFoldedFrame(getFunctionName(functions, f), functions.url[f] as string, functions.line[f] as number),
  )
  // The text of each node's path, built from its parent's (pre-order visits parents first).
  const pathText: string[] = new Array<string>(nodes.length)
  const lines: string[] = []
  for (let i = 0; i < nodes.length; i++) {
    const p = nodes.parent[i] as number
    const label = labels[nodes.func[i] as number] as string
    pathText[i] = p <= 0 ? label : `${pathText[p]};${label}`
    const value =
      weight === 'samples'
        ? (nodes.selfSamples[i] as number)
        : weight === 'microseconds'
          ? Math.round((nodes.self[i] as number) * 1000)
          : Math.round(nodes.self[i] as number)
    if (value > 0) lines.push(`${pathText[i]} ${value}`)
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : ''
}

/** One parsed line of folded stacks. */
export interface FoldedStack {
  /** Frames from the outermost to the innermost. */
  stack: string[]
  weight: number
}

/**
 * Parses folded stacks (`a;b;c 123` per line; blank lines ignored). Throws an Error naming the first line
 * that has no trailing number.
 */
export function parseFoldedStacks(text: string): FoldedStack[] {
  const out: FoldedStack[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line.trim() === '') continue
    const m = /^(.*\S)\s+(\d+(?:\.\d+)?)\s*$/.exec(line)
    if (!m) throw new Error(`folded stacks line ${i + 1} does not end with a number: ${JSON.stringify(line.slice(0, 80))}`)
    out.push({ stack: (m[1] as string).split(';'), weight: Number(m[2]) })
  }
  return out
}
