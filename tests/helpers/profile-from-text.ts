/**
 * Draws CPU profiles as text for tests (Firefox Profiler's getProfileFromTextSamples idea): each column
 * is one sample, rows are stack depth from the outermost frame down. Also readable dumps of call trees.
 *
 *     main   main   main
 *     parse  parse  render
 *     lex
 *
 * A frame is `name` or `name@url`. Names in parentheses ((program), (idle), and (gc) for
 * "(garbage collector)", since a frame cannot contain spaces) get no url; others default to
 * file:///app/main.js. Each distinct frame gets its own line number.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type CpuProfileNode, type CpuProfileRaw, importCpuProfile } from '../../core/import/cpuprofile.js'
import { type CallTree, getFunctionName } from '../../core/model/call-tree.js'

/** The folder of the recorded profiles (see tests/fixtures/README.md). */
export const PROFILE_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'profiles', 'node-20.20.2')

/** The text of a recorded profile fixture, e.g. `fib-strings-json.cpuprofile`. */
export function readProfileFixture(name: string): string {
  return readFileSync(path.join(PROFILE_FIXTURES, name), 'utf8')
}

export interface ProfileFromTextOptions {
  /** Interval between samples, in ms (default 1). */
  intervalMs?: number
  /**
   * Per-column intervals, in ms: column i lasts weights[i] (the gap to the next sample). The last column
   * lasts the mean interval whatever its weight says, as in DevTools (see core/import/cpuprofile.ts).
   */
  weights?: number[]
  /** Profile startTime, in µs (default 1,000,000). */
  startTimeUs?: number
}

/** Parses the drawing into one frame list per column (outermost frame first). */
export function parseTextColumns(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  if (lines.length === 0) throw new Error('profileFromText: empty drawing')
  const first = lines[0] as string
  const starts: number[] = []
  for (const m of first.matchAll(/\S+/g)) starts.push(m.index)
  const columns: string[][] = starts.map(() => [])
  lines.forEach((line, row) => {
    const seen = new Set<number>()
    for (const m of line.matchAll(/\S+/g)) {
      let c = -1
      for (let k = 0; k < starts.length; k++) if ((starts[k] as number) <= m.index) c = k
      if (c < 0) throw new Error(`profileFromText: "${m[0]}" on row ${row + 1} starts left of the first column`)
      if (seen.has(c)) throw new Error(`profileFromText: two frames in column ${c + 1} on row ${row + 1}`)
      seen.add(c)
      const column = columns[c] as string[]
      if (column.length !== row) throw new Error(`profileFromText: column ${c + 1} has a gap above row ${row + 1}`)
      column.push(m[0])
    }
  })
  return columns
}

/** A raw `.cpuprofile` with one sample per column. */
export function profileFromText(text: string, options: ProfileFromTextOptions = {}): CpuProfileRaw {
  const columns = parseTextColumns(text)
  const interval = options.intervalMs ?? 1
  const weights = options.weights ?? columns.map(() => interval)
  if (weights.length !== columns.length) throw new Error(`profileFromText: ${columns.length} columns but ${weights.length} weights`)
  const startTime = options.startTimeUs ?? 1_000_000
  const nodes: CpuProfileNode[] = [
    { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [] },
  ]
  const frameLine = new Map<string, number>()
  const childByKey = new Map<string, number>()
  const samples: number[] = []
  for (const column of columns) {
    let parent = nodes[0] as CpuProfileNode
    for (const token of column) {
      const key = `${parent.id}/${token}`
      let id = childByKey.get(key)
      if (id === undefined) {
        const at = token.lastIndexOf('@')
        const written = at > 0 ? token.slice(0, at) : token
        const name = written === '(gc)' ? '(garbage collector)' : written
        const url = at > 0 ? token.slice(at + 1) : name.startsWith('(') ? '' : 'file:///app/main.js'
        if (!frameLine.has(token)) frameLine.set(token, url === '' ? -1 : frameLine.size)
        id = nodes.length + 1
        nodes.push({
          id,
          callFrame: {
            functionName: name,
            scriptId: url === '' ? '0' : '1',
            url,
            lineNumber: frameLine.get(token) as number,
            columnNumber: url === '' ? -1 : 0,
          },
          hitCount: 0,
          children: [],
        })
        parent.children!.push(id)
        childByKey.set(key, id)
      }
      parent = nodes[id - 1] as CpuProfileNode
    }
    parent.hitCount = (parent.hitCount ?? 0) + 1
    samples.push(parent.id)
  }
  const timeDeltas = samples.map((_, i) => (i === 0 ? 0 : Math.round((weights[i - 1] as number) * 1000)))
  const total = weights.reduce((a, b) => a + b, 0)
  return { nodes, startTime, endTime: startTime + Math.round(total * 1000), samples, timeDeltas }
}

/** profileFromText, imported with the default (DevTools) rules. */
export function treeFromText(text: string, options: ProfileFromTextOptions = {}): CallTree {
  return importCpuProfile(profileFromText(text, options))
}

/** Self value per function name (the root pseudo-function left out). */
export function selfTimeByName(tree: CallTree): Record<string, number> {
  return byName(tree, tree.functions.self)
}

/** Total value per function name (the root pseudo-function left out). */
export function totalTimeByName(tree: CallTree): Record<string, number> {
  return byName(tree, tree.functions.total)
}

function byName(tree: CallTree, values: Float64Array): Record<string, number> {
  const out: Record<string, number> = {}
  const rootFn = tree.nodes.func[0]
  for (let f = 0; f < tree.functions.length; f++) {
    if (f === rootFn) continue
    const name = getFunctionName(tree.functions, f)
    out[name] = (out[name] ?? 0) + (values[f] as number)
  }
  return out
}

/**
 * A readable dump, speedscope-style: `a;b;c 1.23ms` per call path with self value, in tree order,
 * root frame left out. `limit` keeps the heaviest lines (then sorts them by path) for large profiles.
 */
export function dumpTree(tree: CallTree, options: { limit?: number; digits?: number } = {}): string {
  const { nodes } = tree
  const digits = options.digits ?? 2
  const suffix = tree.unit === 'ms' ? 'ms' : 'B'
  const paths: string[] = new Array<string>(nodes.length)
  let lines: { text: string; value: number }[] = []
  for (let i = 0; i < nodes.length; i++) {
    const p = nodes.parent[i] as number
    const name = getFunctionName(tree.functions, nodes.func[i] as number)
    paths[i] = p <= 0 ? name : `${paths[p]};${name}`
    const self = nodes.self[i] as number
    if (self > 0) lines.push({ text: `${paths[i]} ${self.toFixed(digits)}${suffix}`, value: self })
  }
  if (options.limit !== undefined && lines.length > options.limit) {
    lines = lines
      .map((l, k) => ({ ...l, k }))
      .sort((a, b) => b.value - a.value || a.k - b.k)
      .slice(0, options.limit)
      .sort((a, b) => (a.text < b.text ? -1 : 1))
  }
  return lines.map((l) => l.text).join('\n')
}
