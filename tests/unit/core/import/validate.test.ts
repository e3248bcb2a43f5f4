/**
 * The one profile validator (core/import/validate.ts), on real profiles recorded by Node and on 22
 * malformed variants of them: each is refused with a message that says what is wrong, by the pure
 * validator and by single-file import into a store (which keeps nothing).
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseHeapSnapshot } from '../../../../core/import/heap-snapshot.js'
import { ProfileFormatError, validateCpuProfile, validateHeapProfile } from '../../../../core/import/validate.js'
import { importPath } from '../../../../store/bundle.js'
import { openRunStore } from '../../../../store/run-store.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixtures = path.join(here, '../../../fixtures/profiles')

type Json = Record<string, unknown>
interface CpuNode {
  id: number
  children?: number[]
  parent?: number
  callFrame: Json
}

let cpu: { nodes: CpuNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }
let heapProfile: { head: Json & { id: number; children: Json[] }; samples: Json[] }
let snapshotText: string

beforeAll(async () => {
  cpu = JSON.parse(await readFile(path.join(fixtures, 'node-20.20.2/fib-strings-json.cpuprofile'), 'utf8'))
  heapProfile = JSON.parse(await readFile(path.join(fixtures, 'node-20.20.2/alloc-burst.heapprofile'), 'utf8'))
  snapshotText = gunzipSync(await readFile(path.join(fixtures, 'node-22.23.3/leak-start.heapsnapshot.gz'))).toString('utf8')
})

const clone = <T>(x: T): T => structuredClone(x)
const withChildren = (p: typeof cpu) => p.nodes.filter((n) => (n.children?.length ?? 0) > 0)

/** A tiny but complete V8 snapshot: root → object A → string "x", with V8's field layout. */
function tinySnapshot(overrides: { snapshot?: Json; nodes?: number[]; edges?: number[]; strings?: string[]; dropMeta?: boolean } = {}): string {
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
    node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'], 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'], 'string_or_number', 'node'],
  }
  const nodes = overrides.nodes ?? [9, 0, 1, 0, 1, 0, 0, 3, 1, 3, 32, 1, 0, 0, 2, 2, 5, 16, 0, 0, 0]
  const edges = overrides.edges ?? [2, 3, 7, 2, 4, 14]
  const strings = overrides.strings ?? ['(root)', 'A', 'x', 'a', 'value']
  const header = { ...(overrides.dropMeta ? {} : { meta }), node_count: nodes.length / 7, edge_count: edges.length / 3, trace_function_count: 0, ...overrides.snapshot }
  return JSON.stringify({ snapshot: header, nodes, edges, trace_function_infos: [], trace_tree: [], samples: [], locations: [], strings })
}

/** Each malformed profile, how it was made, and what the refusal must say. */
const cases: { name: string; file: string; make: () => string; message: RegExp }[] = [
  {
    name: 'cpuprofile: a child lists an ancestor (cyclic nodes)',
    file: 'cyclic.cpuprofile',
    make: () => {
      const p = clone(cpu)
      // The deepest node with children gets the root's first child as a child too: a second parent and a cycle.
      const inner = withChildren(p).at(-1)!
      inner.children!.push(p.nodes[0]!.children![1]!)
      return JSON.stringify(p)
    },
    message: /is a child of both|cycle/,
  },
  {
    name: 'cpuprofile: parents form a loop with no root',
    file: 'loop.cpuprofile',
    make: () => {
      const nodes = [
        { id: 1, callFrame: { functionName: 'a', scriptId: '1', url: '', lineNumber: 0, columnNumber: 0 }, parent: 2 },
        { id: 2, callFrame: { functionName: 'b', scriptId: '1', url: '', lineNumber: 0, columnNumber: 0 }, parent: 1 },
      ]
      return JSON.stringify({ nodes, startTime: 0, endTime: 10, samples: [1], timeDeltas: [1] })
    },
    message: /no root node .*cycle/,
  },
  {
    name: 'cpuprofile: duplicate node ids',
    file: 'dup-ids.cpuprofile',
    make: () => {
      const p = clone(cpu)
      p.nodes[5]!.id = p.nodes[4]!.id
      return JSON.stringify(p)
    },
    message: /node id \d+ appears twice/,
  },
  {
    name: 'cpuprofile: a child id that is not a node',
    file: 'missing-child.cpuprofile',
    make: () => {
      const p = clone(cpu)
      withChildren(p)[1]!.children!.push(999_999)
      return JSON.stringify(p)
    },
    message: /child id 999999, which is not in `nodes`/,
  },
  {
    name: 'cpuprofile: a sample of a node that does not exist',
    file: 'bad-sample.cpuprofile',
    make: () => {
      const p = clone(cpu)
      p.samples[3] = 424_242
      return JSON.stringify(p)
    },
    message: /sample 3 refers to node id 424242/,
  },
  {
    name: 'cpuprofile: fewer timeDeltas than samples',
    file: 'short-deltas.cpuprofile',
    make: () => {
      const p = clone(cpu)
      p.timeDeltas.pop()
      return JSON.stringify(p)
    },
    message: /samples but \d+ timeDeltas/,
  },
  {
    name: 'cpuprofile: two roots (a node nobody lists)',
    file: 'two-roots.cpuprofile',
    make: () => {
      const p = clone(cpu)
      p.nodes[0]!.children = p.nodes[0]!.children!.slice(1)
      return JSON.stringify(p)
    },
    message: /2 root nodes/,
  },
  {
    name: 'cpuprofile: a call frame without a url',
    file: 'no-url.cpuprofile',
    make: () => {
      const p = clone(cpu)
      delete p.nodes[2]!.callFrame.url
      return JSON.stringify(p)
    },
    message: /callFrame.url must be a string/,
  },
  {
    name: 'cpuprofile: endTime before startTime',
    file: 'time.cpuprofile',
    make: () => JSON.stringify({ ...clone(cpu), endTime: cpu.startTime - 1 }),
    message: /endTime .* is before startTime/,
  },
  {
    name: 'cpuprofile: a node that lists itself as a child',
    file: 'self-child.cpuprofile',
    make: () => {
      const p = clone(cpu)
      const n = withChildren(p)[2]!
      n.children!.push(n.id)
      return JSON.stringify(p)
    },
    message: /lists itself as a child/,
  },
  {
    name: 'heapprofile: duplicate node ids',
    file: 'dup.heapprofile',
    make: () => {
      const p = clone(heapProfile)
      const first = p.head.children[0] as Json & { children: Json[] }
      ;(p.head.children[1] as Json).id = first.id
      return JSON.stringify(p)
    },
    message: /heap profile: node id \d+ appears twice/,
  },
  {
    name: 'heapprofile: a negative selfSize',
    file: 'negative.heapprofile',
    make: () => {
      const p = clone(heapProfile)
      ;(p.head.children[0] as Json).selfSize = -5
      return JSON.stringify(p)
    },
    message: /selfSize must be a non-negative number/,
  },
  {
    name: 'heapprofile: a sample without a node id',
    file: 'sample.heapprofile',
    make: () => {
      const p = clone(heapProfile)
      delete p.samples[0]!.nodeId
      return JSON.stringify(p)
    },
    message: /sample 0 must be an object with a non-negative numeric size and an integer nodeId/,
  },
  {
    name: 'heapprofile: a child that is not a node',
    file: 'child.heapprofile',
    make: () => {
      const p = clone(heapProfile)
      p.head.children.push(7 as unknown as Json)
      return JSON.stringify(p)
    },
    message: /child \d+ of node id \d+ is not an object/,
  },
  {
    name: 'heapsnapshot: node_count disagrees with the nodes array',
    file: 'node-count.heapsnapshot',
    make: () => tinySnapshot({ snapshot: { node_count: 2 } }),
    message: /"nodes" holds more records than snapshot.node_count \(2\)/,
  },
  {
    name: 'heapsnapshot: node_count says more nodes than there are (real snapshot)',
    file: 'real-node-count.heapsnapshot',
    make: () => snapshotText.replace(/"node_count":(\d+)/, (_m, n: string) => `"node_count":${Number(n) + 1}`),
    message: /node_count is \d+ but "nodes" holds \d+ nodes/,
  },
  {
    name: 'heapsnapshot: edge_count disagrees with the edges array',
    file: 'edge-count.heapsnapshot',
    make: () => tinySnapshot({ snapshot: { edge_count: 3 } }),
    message: /edge_count is 3 but "edges" holds 2 edges/,
  },
  {
    name: 'heapsnapshot: an edge points past the last node',
    file: 'edge-range.heapsnapshot',
    make: () => tinySnapshot({ edges: [2, 3, 7, 2, 4, 21] }),
    message: /edge #1 points to node offset 21, past the last node/,
  },
  {
    name: 'heapsnapshot: an edge target that is not a multiple of the node field count',
    file: 'edge-offset.heapsnapshot',
    make: () => tinySnapshot({ edges: [2, 3, 7, 2, 4, 15] }),
    message: /points to node offset 15, which is not the start of a node/,
  },
  {
    name: 'heapsnapshot: a node name beyond the strings table',
    file: 'string-range.heapsnapshot',
    make: () => tinySnapshot({ strings: ['(root)', 'A'] }),
    message: /names string \d+, beyond the 2 strings/,
  },
  {
    name: 'heapsnapshot: the nodes array ends inside a node',
    file: 'ragged.heapsnapshot',
    make: () => tinySnapshot({ nodes: [9, 0, 1, 0, 1, 0, 0, 3, 1, 3, 32, 1, 0, 0, 2, 2, 5, 16, 0, 0], snapshot: { node_count: 3 } }),
    message: /not a multiple of the 7 fields/,
  },
  {
    name: 'heapsnapshot: the nodes edge counts do not add up to the edges',
    file: 'edge-sum.heapsnapshot',
    make: () => tinySnapshot({ nodes: [9, 0, 1, 0, 1, 0, 0, 3, 1, 3, 32, 2, 0, 0, 2, 2, 5, 16, 0, 0, 0] }),
    message: /edge counts add up to 3 but "edges" holds 2 edges/,
  },
  {
    name: 'heapsnapshot: no meta in the header',
    file: 'no-meta.heapsnapshot',
    make: () => tinySnapshot({ dropMeta: true }),
    message: /has no "meta"/,
  },
]

function validateText(file: string, text: string): void {
  if (file.endsWith('.cpuprofile')) validateCpuProfile(JSON.parse(text))
  else if (file.endsWith('.heapprofile')) validateHeapProfile(JSON.parse(text))
  else parseHeapSnapshot(new TextEncoder().encode(text))
}

describe('validate (core/import/validate.ts)', () => {
  it('accepts the real profiles the malformed ones are made from', () => {
    expect(() => validateCpuProfile(cpu)).not.toThrow()
    expect(() => validateHeapProfile(heapProfile)).not.toThrow()
    expect(() => validateText('x.heapsnapshot', snapshotText)).not.toThrow()
    expect(() => validateText('x.heapsnapshot', tinySnapshot())).not.toThrow()
  })

  it('has at least 20 malformed cases', () => expect(cases.length).toBeGreaterThanOrEqual(20))

  it.each(cases)('refuses $name', ({ file, make, message }) => {
    const text = make()
    let error: unknown
    try {
      validateText(file, text)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ProfileFormatError)
    expect((error as Error).message).toMatch(message)
  })
})

describe('single-file import uses the validator', () => {
  let tmp: string
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'hotpath-validate-'))
  })
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true })
  })

  it('refuses every malformed profile, naming the file and the problem, and keeps no run', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    const accepted: string[] = []
    for (const c of cases) {
      const file = path.join(tmp, c.file)
      await writeFile(file, c.make())
      try {
        await importPath(store, file)
        accepted.push(c.name)
      } catch (err) {
        expect((err as Error).message).toContain(c.file)
        expect((err as Error).message).toMatch(c.message)
      }
    }
    expect(accepted).toEqual([])
    expect(await readdir(store.runsDir).catch(() => [])).toEqual([])
  })
})
