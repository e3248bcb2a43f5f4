/**
 * `export --redact-heap`: home paths in heap snapshot strings are rewritten while streaming, whatever the
 * chunk boundaries; the bundle's run.json lists the rewritten snapshot's size and sha256, the manifest
 * says what was done, and the bundle imports (the snapshot still validates).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { gunzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseHeapSnapshot } from '../../../core/import/heap-snapshot.js'
import { exportBundleToFile, importBundleFile } from '../../../store/bundle.js'
import { createHeapRedactionStream } from '../../../store/heap-redaction.js'
import { openRunStore } from '../../../store/run-store.js'
import { makeRun } from '../../helpers/make-run.js'

let tmp: string
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hotpath-heapredact-'))
})
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true })
})

/** A valid snapshot whose strings hold home paths (root → object → string). */
function snapshotWith(strings: string[]): string {
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
    node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'], 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'], 'string_or_number', 'node'],
  }
  return JSON.stringify({
    snapshot: { meta, node_count: 3, edge_count: 2, trace_function_count: 0 },
    nodes: [9, 0, 1, 0, 1, 0, 0, 3, 1, 3, 32, 1, 0, 0, 2, 2, 5, 16, 0, 0, 0],
    edges: [2, 3, 7, 2, 4, 14],
    locations: [],
    strings,
  })
}

const HOME = os.homedir()
const STRINGS = ['(root)', `${HOME}/project/leak.js`, `file:///home/alice/app/server.js`, 'a', 'value /Users/bob/notes.txt and C:\\Users\\carol\\x']

async function redact(text: string, chunk: number): Promise<string> {
  const bytes = Buffer.from(text)
  const parts: Buffer[] = []
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk))
  const out: Buffer[] = []
  for await (const c of Readable.from(parts).pipe(createHeapRedactionStream({ homes: [HOME], users: ['alice'] }))) out.push(c as Buffer)
  return Buffer.concat(out).toString('utf8')
}

describe('heap snapshot redaction', () => {
  it('rewrites home paths whatever the chunk boundaries, and the snapshot still parses', async () => {
    const text = snapshotWith(STRINGS)
    const results = new Set<string>()
    for (const chunk of [1, 3, 7, 64, 1 << 20]) results.add(await redact(text, chunk))
    expect(results.size).toBe(1)
    const out = [...results][0]!
    expect(out).not.toContain(`${HOME}/`)
    expect(out).not.toMatch(/alice|bob|carol/)
    expect(out).toContain('~/project/leak.js')
    const parsed = parseHeapSnapshot(Buffer.from(out))
    expect(parsed.strings).toHaveLength(STRINGS.length)
  })

  it('export --redact-heap carries the rewritten snapshot with matching checksums; without it the manifest says "as-written"', async () => {
    const store = openRunStore(path.join(tmp, 'a'))
    const run = makeRun()
    await store.createRunDir(run.id)
    await writeFile(store.artifactPath(run.id, 'heap-end.heapsnapshot'), snapshotWith(STRINGS))
    run.artifacts = [await store.describeArtifact(run.id, 'heapsnapshot', 'heap-end.heapsnapshot', 'heap snapshot at end')]
    await store.save(run)

    const plain = path.join(tmp, 'plain.tgz')
    await exportBundleToFile(store, [run.id], plain)
    const plainText = gunzipSync(await readFile(plain)).toString('utf8')
    expect(plainText).toContain('"heapSnapshots": "as-written"')
    expect(plainText).toContain('/home/alice/app/server.js')

    const redacted = path.join(tmp, 'redacted.tgz')
    await exportBundleToFile(store, [run.id], redacted, { redactHeap: true })
    const text = gunzipSync(await readFile(redacted)).toString('utf8')
    expect(text).toContain('"heapSnapshots": "home-paths-redacted"')
    // (run.json here is makeRun's unredacted test record; only the snapshot's strings are checked.)
    expect(text).not.toMatch(/alice\/app\/server\.js|Users\/bob|Users\\\\carol/)
    expect(text).toContain('[redacted]/app/server.js')
    // The store's own copy is untouched.
    expect(await readFile(store.artifactPath(run.id, 'heap-end.heapsnapshot'), 'utf8')).toContain('/home/alice/')

    const target = openRunStore(path.join(tmp, 'b'))
    const result = await importBundleFile(target, redacted)
    expect(result).toEqual({ imported: [run.id], skipped: [] })
    const imported = await target.get(run.id)
    expect(imported.artifacts[0]!.label).toMatch(/home paths redacted/)
    expect(await readFile(target.artifactPath(run.id, 'heap-end.heapsnapshot'), 'utf8')).not.toMatch(/alice|bob|carol/)
  })
})
