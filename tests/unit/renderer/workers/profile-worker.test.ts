import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeBottomUp, computeSandwich } from '../../../../core/analysis/call-tree.js'
import { computeFlameRows, computeStackChart } from '../../../../core/analysis/flame-graph.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { applyTransforms } from '../../../../core/analysis/transforms.js'
import { findFunctionByName } from '../../../../core/model/call-tree.js'
import { ProfileWorkerRequestError, type WorkerLike, createProfileClient } from '../../../../renderer/src/workers/profile-client.js'
import {
  type ProfileRequest,
  type ProfileResponse,
  READ_WHOLE_BYTES,
  blobByteSource,
  collectTransferables,
  createProfileWorkerHandler,
  profileInput,
} from '../../../../renderer/src/workers/profile-worker.js'
import { profileFromText, readProfileFixture } from '../../../helpers/profile-from-text.js'

const bytesOf = (text: string): ArrayBuffer => new TextEncoder().encode(text).buffer as ArrayBuffer

/** What postMessage does to a message: structured clone with the listed buffers moved, not copied. */
function postThrough<T>(message: T, transfer: ArrayBuffer[]): T {
  return structuredClone(message, { transfer })
}

function okResult<M extends ProfileRequest['method']>(response: ProfileResponse, method: M) {
  expect(response.method).toBe(method)
  if (!response.ok) throw new Error(`${response.error.name}: ${response.error.message}`)
  return response.result as Extract<ProfileResponse<M>, { ok: true }>['result']
}

describe('profile worker handler', () => {
  const cpuText = readProfileFixture('fib-strings-json.cpuprofile')

  it('opens a file given as a Blob (read whole with FileReaderSync, or a window at a time when large), as it opens the bytes', () => {
    // Node has no FileReaderSync: a stand-in reading the bytes behind a Blob-like object's slices.
    const bytes = new TextEncoder().encode(cpuText)
    const reads: number[] = []
    const blobOf = (from: number, to: number) => ({
      size: to - from,
      from,
      to,
      slice: (a: number, b: number) => blobOf(from + a, from + b),
    })
    const g = globalThis as { FileReaderSync?: unknown }
    g.FileReaderSync = class {
      readAsArrayBuffer(b: { from: number; to: number }): ArrayBuffer {
        reads.push(b.to - b.from)
        return bytes.slice(b.from, b.to).buffer
      }
    }
    try {
      const source = blobByteSource(blobOf(0, bytes.length) as unknown as Blob)
      expect(source.size).toBe(bytes.length)
      const into = new Uint8Array(100)
      expect(source.read(into, 10, 50, bytes.length - 20)).toBe(20)
      expect(Array.from(into.subarray(10, 30))).toEqual(Array.from(bytes.subarray(bytes.length - 20)))
      expect(source.read(into, 0, 10, bytes.length)).toBe(0)
      const handler = createProfileWorkerHandler()
      const fromBlob = handler.handle({
        id: 1,
        method: 'open',
        params: { file: blobOf(0, bytes.length) as unknown as Blob, fileName: 'fib.cpuprofile' },
      })
      const fromBytes = handler.handle({ id: 2, method: 'open', params: { bytes: bytesOf(cpuText), fileName: 'fib.cpuprofile' } })
      const a = okResult(fromBlob.response, 'open')
      const b = okResult(fromBytes.response, 'open')
      expect(a.tree).toEqual(b.tree)
      expect(a.byteLength).toBe(bytes.length)
      // A file this small is read in one piece (the source above read its own windows).
      expect(reads.slice(1)).toEqual([bytes.length])
      // One past READ_WHOLE_BYTES is read a window at a time, as the importer asks (nothing read up front).
      const big = profileInput({ file: blobOf(0, READ_WHOLE_BYTES + 1) as unknown as Blob, fileName: 'big.cpuprofile' })
      if (big instanceof Uint8Array) throw new Error('read whole')
      expect(big.size).toBe(READ_WHOLE_BYTES + 1)
      expect(reads.length).toBe(2)
    } finally {
      delete g.FileReaderSync
    }
  })

  it('opens a CPU profile: tree, flame rows, stack chart and bottom-up, as core computes them', () => {
    const handler = createProfileWorkerHandler()
    const { response, transfer } = handler.handle({
      id: 1,
      method: 'open',
      params: { bytes: bytesOf(cpuText), fileName: 'fib.cpuprofile', stackChart: true, bottomUp: true },
    })
    expect(response.id).toBe(1)
    const result = okResult(postThrough(response, transfer), 'open')
    const expected = importCpuProfile(JSON.parse(cpuText))
    expect(result.format).toBe('cpuprofile')
    expect(result.tree.unit).toBe('ms')
    expect(result.tree.nodes.total).toEqual(expected.nodes.total)
    expect(result.tree.functions.key).toEqual(expected.functions.key)
    expect(result.flame).toEqual(computeFlameRows(expected))
    expect(result.stackChart).toEqual(computeStackChart(expected))
    expect(result.bottomUp!.nodes.total).toEqual(computeBottomUp(expected).nodes.total)
    expect(result.byteLength).toBe(new TextEncoder().encode(cpuText).byteLength)
    expect(Object.keys(result.timings).sort()).toEqual([
      'bottomUpMs',
      'decodeMs',
      'flameMs',
      'importMs',
      'parseMs',
      'stackChartMs',
      'totalMs',
    ])
    expect(handler.openCount()).toBe(1)
  })

  it('transfers every typed array of the result once, and keeps its own copy of the tree working', () => {
    const handler = createProfileWorkerHandler()
    const { response, transfer } = handler.handle({
      id: 1,
      method: 'open',
      params: { bytes: bytesOf(cpuText), fileName: 'fib.cpuprofile' },
    })
    expect(new Set(transfer).size).toBe(transfer.length)
    const result = okResult(response, 'open')
    const flameBuffers = result.flame.rows.flatMap((r) => [r.start.buffer, r.end.buffer, r.node.buffer])
    for (const b of flameBuffers) expect(transfer).toContain(b)
    expect(transfer).toContain(result.tree.nodes.total.buffer)
    // Transferring detaches the sent buffers; the worker's cached tree must not be among them.
    postThrough(response, transfer)
    expect(result.tree.nodes.total.byteLength).toBe(0)
    const fn = findFunctionByName(importCpuProfile(JSON.parse(cpuText)), 'fib')
    expect(fn).toBeGreaterThanOrEqual(0)
    const sandwich = handler.handle({ id: 2, method: 'sandwich', params: { profileId: result.profileId, fn } })
    const got = okResult(postThrough(sandwich.response, sandwich.transfer), 'sandwich')
    const want = computeSandwich(importCpuProfile(JSON.parse(cpuText)), fn)
    expect(got.fn).toBe(fn)
    expect(got.callers.nodes.total).toEqual(want.callers.nodes.total)
    expect(got.callees.nodes.total).toEqual(want.callees.nodes.total)
    expect(got.calleesRows).toEqual(computeFlameRows(want.callees))
  })

  it('never transfers a buffer a kept tree still uses (line ticks shared by a time-range tree), so later requests work', () => {
    const handler = createProfileWorkerHandler()
    const text = readProfileFixture('orderbook-naive.cpuprofile')
    const opened = handler.handle({ id: 1, method: 'open', params: { bytes: bytesOf(text), fileName: 'naive.cpuprofile', bottomUp: true } })
    const result = okResult(postThrough(opened.response, opened.transfer), 'open')
    expect(result.tree.functions.lineTicks).toBeDefined()
    const end = (result.tree.meta.endTimeUs ?? 0) - (result.tree.meta.startTimeUs ?? 0)
    for (let k = 0; k < 3; k++) {
      // Each range's tree carries the kept profile's line ticks; transferring them would detach the kept copy.
      const ranged = handler.handle({
        id: 2 + k,
        method: 'timeRange',
        params: { profileId: result.profileId, range: { startMs: 0, endMs: end / 2000 } },
      })
      expect(() => postThrough(ranged.response, ranged.transfer)).not.toThrow()
      const derived = handler.handle({ id: 10 + k, method: 'derive', params: { profileId: result.profileId, transforms: [] } })
      expect(() => postThrough(derived.response, derived.transfer)).not.toThrow()
      const bottomUp = handler.handle({ id: 20 + k, method: 'bottomUp', params: { profileId: result.profileId } })
      expect(bottomUp.response.ok).toBe(true)
      expect(() => postThrough(bottomUp.response, bottomUp.transfer)).not.toThrow()
    }
  })

  it('leaves the stack chart and bottom-up tree out by default and computes them on request', () => {
    const handler = createProfileWorkerHandler()
    const opened = okResult(
      handler.handle({ id: 1, method: 'open', params: { bytes: bytesOf(cpuText), fileName: 'f.cpuprofile' } }).response,
      'open',
    )
    expect(opened.bottomUp).toBeNull()
    expect(opened.stackChart).toBeNull()
    expect(opened.timings.bottomUpMs).toBeLessThan(1)
    const expected = importCpuProfile(JSON.parse(cpuText))
    const bottomUp = handler.handle({ id: 2, method: 'bottomUp', params: { profileId: opened.profileId } })
    const view = okResult(postThrough(bottomUp.response, bottomUp.transfer), 'bottomUp')
    expect(view.view.nodes.total).toEqual(computeBottomUp(expected).nodes.total)
    expect(view.ms).toBeGreaterThanOrEqual(0)
    const chart = okResult(handler.handle({ id: 3, method: 'stackChart', params: { profileId: opened.profileId } }).response, 'stackChart')
    expect(chart.view).toEqual(computeStackChart(expected))
    const heap = okResult(
      handler.handle({
        id: 4,
        method: 'open',
        params: { bytes: bytesOf(readProfileFixture('alloc-burst.heapprofile')), fileName: 'a.heapprofile' },
      }).response,
      'open',
    )
    expect(
      okResult(handler.handle({ id: 5, method: 'stackChart', params: { profileId: heap.profileId } }).response, 'stackChart').view,
    ).toBeNull()
  })

  it('opens an allocation profile in bytes, without a stack chart', () => {
    const handler = createProfileWorkerHandler()
    const text = readProfileFixture('alloc-burst.heapprofile')
    const { response } = handler.handle({
      id: 7,
      method: 'open',
      params: { bytes: bytesOf(text), fileName: 'alloc.heapprofile', stackChart: true },
    })
    const result = okResult(response, 'open')
    expect(result.format).toBe('heapprofile')
    expect(result.tree.unit).toBe('bytes')
    expect(result.stackChart).toBeNull()
    expect(result.flame.rows.length).toBeGreaterThan(2)
  })

  it('honours the options: idle dropped, stack chart and bottom-up left out', () => {
    const handler = createProfileWorkerHandler()
    const text = JSON.stringify(
      profileFromText(`
        main  (idle)  main
        work          work
      `),
    )
    const { response } = handler.handle({
      id: 1,
      method: 'open',
      params: { bytes: bytesOf(text), fileName: 'x.cpuprofile', dropIdle: true, stackChart: false, bottomUp: false },
    })
    const result = okResult(response, 'open')
    expect(result.tree.functions.name.filter((_, f) => result.tree.functions.total[f]! > 0)).not.toContain('(idle)')
    expect(result.stackChart).toBeNull()
    expect(result.bottomUp).toBeNull()
  })

  it('answers bad input with an error response naming the problem', () => {
    const handler = createProfileWorkerHandler()
    const bad = handler.handle({ id: 3, method: 'open', params: { bytes: bytesOf('{"nodes": [1, 2'), fileName: 'broken.cpuprofile' } })
    expect(bad.response).toMatchObject({ id: 3, method: 'open', ok: false, error: { name: 'ProfileFormatError' } })
    expect(bad.transfer).toEqual([])
    const snapshot = handler.handle({ id: 4, method: 'open', params: { bytes: bytesOf('{"snapshot":{}}'), fileName: 'x.heapsnapshot' } })
    expect(snapshot.response.ok).toBe(false)
    if (!snapshot.response.ok) expect(snapshot.response.error.message).toMatch(/heap snapshot/)
    const unknown = handler.handle({ id: 5, method: 'sandwich', params: { profileId: 'p99', fn: 0 } })
    expect(unknown.response).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no open profile p99/) } })
    const bogus = handler.handle({ id: 6, method: 'frobnicate', params: {} } as unknown as ProfileRequest)
    expect(bogus.response).toMatchObject({ id: 6, ok: false, error: { message: 'unknown method frobnicate' } })
  })

  it('derives a transformed profile the bottom-up tree and sandwiches then work on', () => {
    const handler = createProfileWorkerHandler()
    const opened = okResult(
      handler.handle({ id: 1, method: 'open', params: { bytes: bytesOf(cpuText), fileName: 'fib.cpuprofile' } }).response,
      'open',
    )
    const fib = findFunctionByName(opened.tree, 'fib')
    const transforms = [{ type: 'focus-function' as const, fn: opened.tree.functions.key[fib]! }]
    const derived = okResult(
      handler.handle({ id: 2, method: 'derive', params: { profileId: opened.profileId, transforms } }).response,
      'derive',
    )
    const expected = applyTransforms(importCpuProfile(JSON.parse(cpuText)), transforms)
    expect(derived.profileId).not.toBe(opened.profileId)
    expect(Array.from(derived.tree.nodes.total)).toEqual(Array.from(expected.nodes.total))
    expect(derived.tree.functions.name[derived.tree.nodes.func[0]!]).toBe('fib')
    expect(derived.flame).toEqual(computeFlameRows(expected))
    const bottomUp = okResult(handler.handle({ id: 3, method: 'bottomUp', params: { profileId: derived.profileId } }).response, 'bottomUp')
    expect(bottomUp.view.nodes.length).toBe(computeBottomUp(expected).nodes.length)
    expect(handler.openCount()).toBe(2)
    handler.handle({ id: 4, method: 'close', params: { profileId: derived.profileId } })
    expect(handler.openCount()).toBe(1)
  })

  it('closes profiles', () => {
    const handler = createProfileWorkerHandler()
    const opened = okResult(
      handler.handle({ id: 1, method: 'open', params: { bytes: bytesOf(cpuText), fileName: 'a.cpuprofile' } }).response,
      'open',
    )
    expect(okResult(handler.handle({ id: 2, method: 'close', params: { profileId: opened.profileId } }).response, 'close')).toEqual({
      closed: true,
    })
    expect(okResult(handler.handle({ id: 3, method: 'close', params: { profileId: opened.profileId } }).response, 'close')).toEqual({
      closed: false,
    })
    expect(handler.openCount()).toBe(0)
  })

  it('answers no diff requests: the service computes the one profile diff', () => {
    const handler = createProfileWorkerHandler()
    const bytes = bytesOf(JSON.stringify(profileFromText('main main\na    b')))
    const request = { id: 1, method: 'diff', params: { baseline: [{ bytes }], candidate: [{ bytes }] } } as unknown as Parameters<
      typeof handler.handle
    >[0]
    expect(handler.handle(request).response).toMatchObject({ ok: false, error: { message: 'unknown method diff' } })
  })
})

describe('collectTransferables', () => {
  it('finds each buffer once, in nested objects and arrays of objects', () => {
    const shared = new Float64Array(4)
    const value = { a: shared, b: [{ c: shared.subarray(1) }, { d: new Int32Array(2) }], names: ['x', 'y'], n: 3 }
    const found = collectTransferables(value)
    expect(found).toHaveLength(2)
    expect(found).toContain(shared.buffer)
  })
})

/** A Worker stand-in: messages go through structured clone with transfer, like postMessage, to the real handler. */
function inMemoryWorker(): WorkerLike & { terminated: boolean } {
  const handler = createProfileWorkerHandler()
  const listeners: ((event: MessageEvent<ProfileResponse>) => void)[] = []
  return {
    terminated: false,
    postMessage(message, transfer) {
      const received = postThrough(message, transfer as ArrayBuffer[])
      queueMicrotask(() => {
        if (this.terminated) return
        const { response, transfer: back } = handler.handle(received)
        const event = { data: postThrough(response, back) } as MessageEvent<ProfileResponse>
        for (const l of listeners) l(event)
      })
    },
    addEventListener(type: string, listener: (event: never) => void) {
      if (type === 'message') listeners.push(listener as (event: MessageEvent<ProfileResponse>) => void)
    },
    terminate() {
      this.terminated = true
    },
  }
}

describe('profile client', () => {
  it('pairs responses with requests and transfers the profile bytes', async () => {
    const client = createProfileClient(inMemoryWorker())
    const bytes = bytesOf(readProfileFixture('fib-strings-json.cpuprofile'))
    const heapBytes = bytesOf(readProfileFixture('alloc-burst.heapprofile'))
    const [cpu, heap] = await Promise.all([
      client.open({ bytes, fileName: 'fib.cpuprofile' }),
      client.open({ bytes: heapBytes, fileName: 'alloc.heapprofile' }),
    ])
    expect(cpu.format).toBe('cpuprofile')
    expect(heap.format).toBe('heapprofile')
    expect(cpu.profileId).not.toBe(heap.profileId)
    expect(bytes.byteLength).toBe(0)
    expect(cpu.flame.rows[0]!.end[0]).toBe(1)
    await expect(client.close({ profileId: cpu.profileId })).resolves.toEqual({ closed: true })
  })

  it('rejects with the worker-side error name and message', async () => {
    const client = createProfileClient(inMemoryWorker())
    const error = await client.open({ bytes: bytesOf('not json'), fileName: 'x.cpuprofile' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProfileWorkerRequestError)
    expect((error as ProfileWorkerRequestError).name).toBe('ProfileFormatError')
    expect((error as ProfileWorkerRequestError).method).toBe('open')
  })

  it('rejects pending requests when terminated', async () => {
    const client = createProfileClient(inMemoryWorker())
    const pending = client.open({ bytes: bytesOf(readProfileFixture('fib-strings-json.cpuprofile')), fileName: 'f.cpuprofile' })
    client.terminate()
    await expect(pending).rejects.toThrow(/terminated/)
  })
})

describe('profile worker: every format through the sniffing index', () => {
  const fixture = (rel: string): ArrayBuffer => {
    const b = readFileSync(path.resolve(import.meta.dirname, '../../../fixtures/profiles', rel))
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer
  }

  it('opens a Chrome trace (main thread first, a worker thread by choice) and reports progress', () => {
    const progress: number[] = []
    const handler = createProfileWorkerHandler({ onProgress: (m) => progress.push(m.progress.done) })
    const rel = 'chromium-156.0.8078.114/fib-main-and-worker.trace.json'
    const main = okResult(
      handler.handle({ id: 1, method: 'open', params: { bytes: fixture(rel), fileName: 'trace.json' } }).response,
      'open',
    )
    expect(main.sourceFormat).toBe('chrome-trace')
    expect(main.choices.map((c) => c.label.split(' (')[0])).toEqual(['CrRendererMain', 'DedicatedWorker thread'])
    const worker = okResult(
      handler.handle({ id: 2, method: 'open', params: { bytes: fixture(rel), fileName: 'trace.json', profile: 'DedicatedWorker thread' } })
        .response,
      'open',
    )
    expect(worker.chosen).toBe(main.choices[1]?.key)
    expect(worker.tree.nodes.length).toBeGreaterThan(1)
    // A .cpuprofile goes through the byte importer, which reports how far it has read.
    okResult(
      handler.handle({
        id: 3,
        method: 'open',
        params: { bytes: fixture('node-20.20.2/prettier-check.cpuprofile'), fileName: 'p.cpuprofile' },
      }).response,
      'open',
    )
    expect(progress.at(-1)).toBe(fixture('node-20.20.2/prettier-check.cpuprofile').byteLength)
  })

  it('opens legacy, speedscope, tick-log and id-less heap profiles; names formats it does not read', () => {
    const handler = createProfileWorkerHandler()
    const open = (rel: string) =>
      handler.handle({ id: 1, method: 'open', params: { bytes: fixture(rel), fileName: path.basename(rel) } }).response
    expect(okResult(open('hand-made/deep-recursion.legacy.cpuprofile'), 'open').sourceFormat).toBe('cpuprofile-legacy')
    expect(okResult(open('hand-made/checkout.speedscope.json'), 'open').sourceFormat).toBe('speedscope')
    expect(okResult(open('node-10.24.1/fib-strings-json.ticks.json'), 'open').sourceFormat).toBe('v8-tick-log')
    expect(okResult(open('node-10.24.1/fib-strings-json.heapprofile'), 'open').format).toBe('heapprofile')
    const folded = handler.handle({ id: 9, method: 'open', params: { bytes: bytesOf('main;a;b 3\n'), fileName: 'x.txt' } }).response
    expect(folded.ok).toBe(false)
    if (!folded.ok) expect(folded.error.message).toMatch(/folded stacks/)
  })
})
