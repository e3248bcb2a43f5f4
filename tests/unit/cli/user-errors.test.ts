/**
 * Bad usage and bad input through the real dispatcher (runCli, in-process, from the sources): each one
 * exits 2 with one line on stderr that says what to fix, never a stack trace, and loses nothing.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliContext } from '../../../cli/context.js'
import { runCli } from '../../../cli/index.js'
import { parseDurationMs, parseFlags, parsePercent, parsePositiveInt } from '../../../cli/shared.js'
import { openRunStore } from '../../../store/run-store.js'
import { makeRun } from '../../helpers/make-run.js'

let dir: string
let storeDir: string
const good = makeRun()
const other = makeRun()

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hotpath-user-errors-'))
  storeDir = path.join(dir, 'store')
  const store = openRunStore(storeDir)
  await store.save(good)
  await store.save(other)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString()))
  stderr.on('data', (c: Buffer) => (err += c.toString()))
  const ctx: CliContext = {
    stdout,
    stderr,
    stderrIsTTY: false,
    env: { HOTPATH_HOME: storeDir },
    cwd: dir,
    signal: new AbortController().signal,
  }
  const code = await runCli(args, ctx)
  return { code, stdout: out, stderr: err }
}

/** Exit 2, nothing on stdout, exactly one line on stderr matching `message`, and no stack frame. */
function expectOneLineError(r: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2)
  expect(r.stdout).toBe('')
  expect(r.stderr.split('\n').filter(Boolean), r.stderr).toHaveLength(1)
  expect(r.stderr).toMatch(message)
  expect(r.stderr).not.toMatch(/\n\s+at /)
}

describe('durations need a unit', () => {
  it('refuses a bare number and names both readings', () => {
    expect(() => parseDurationMs('duration', '3')).toThrow('--duration "3" needs a unit: write 3s for 3 seconds or 3000ms')
    expect(() => parseDurationMs('timeout', '60')).toThrow(/write 60s .* or 60000ms/)
  })

  it('reads values with a unit', () => {
    expect(parseDurationMs('duration', '3s')).toBe(3000)
    expect(parseDurationMs('duration', '500ms')).toBe(500)
    expect(parseDurationMs('duration', '1.5m')).toBe(90_000)
    expect(parseDurationMs('timeout', '1h')).toBe(3_600_000)
  })

  it.each([
    [['run', 'orderbook', '--duration', '3'], /^hotpath run: --duration "3" needs a unit: write 3s for 3 seconds or 3000ms/],
    [['run', 'orderbook', '--timeout', '60'], /^hotpath run: --timeout "60" needs a unit: write 60s/],
    [['profile', '--timeout', '10', '--', 'node', '-e', '0'], /^hotpath profile: --timeout "10" needs a unit/],
  ])('%j exits 2 before running anything', async (args, message) => {
    expectOneLineError(await cli(...args), message)
    expect(readdirSync(path.join(storeDir, 'runs'))).toHaveLength(2)
  })
})

describe('negative values', () => {
  it('reach the flag’s own check instead of parseArgs’ "ambiguous" error', () => {
    const { values } = parseFlags('list', ['--limit', '-1'], { limit: { type: 'string' } })
    expect(values.limit).toBe('-1')
    const short = parseFlags('x', ['-n', '-2.5'], { n: { type: 'string', short: 'n' } })
    expect(short.values.n).toBe('-2.5')
    // After --, everything belongs to the command being profiled.
    expect(parseFlags('x', ['--', '--limit', '-1'], { limit: { type: 'string' } }).positionals).toEqual(['--limit', '-1'])
    expect(() => parsePositiveInt('limit', '-1', 100)).toThrow('--limit "-1" is negative; it must be a whole number from 1 to 100')
    expect(() => parsePercent('noise', '-5%')).toThrow(/--noise "-5%" is negative/)
  })

  it.each([
    [['list', '--limit', '-1'], /^hotpath list: --limit "-1" is negative; it must be a whole number from 1 to/],
    [['run', 'orderbook', '--duration', '-1s'], /^hotpath run: --duration "-1s" is negative; give a positive duration/],
    [['run', 'orderbook', '--iterations', '-5'], /^hotpath run: --iterations "-5" is negative/],
    [['top', 'x.cpuprofile', '--limit', '-3'], /^hotpath top: --limit "-3" is negative/],
  ])('%j', async (args, message) => {
    const r = await cli(...args)
    expectOneLineError(r, message)
    expect(r.stderr).not.toMatch(/ambiguous/)
  })
})

describe('delete checks every id before deleting any', () => {
  it('deletes nothing when one id is unknown', async () => {
    const r = await cli('delete', good.id, '20990101T000000000Z-orderbook-nope')
    expectOneLineError(r, /^hotpath delete: no run 20990101T000000000Z-orderbook-nope in the store at /)
    expect(existsSync(path.join(storeDir, 'runs', good.id, 'run.json'))).toBe(true)
  })

  it('deletes nothing when one id is not a run id', async () => {
    expectOneLineError(await cli('delete', good.id, 'bad'), /^hotpath delete: not a run id: "bad"/)
    expect(existsSync(path.join(storeDir, 'runs', good.id, 'run.json'))).toBe(true)
  })
})

describe('unwritable outputs and stores', () => {
  it('compare -o into a missing folder', async () => {
    expectOneLineError(
      await cli('compare', good.id, other.id, '-o', 'missing-dir/x.md'),
      /^hotpath compare: cannot write .*missing-dir\/x\.md: the folder .*missing-dir does not exist/,
    )
    expect(existsSync(path.join(dir, 'missing-dir'))).toBe(false)
  })

  it('compare -o onto a folder', async () => {
    mkdirSync(path.join(dir, 'a-folder'), { recursive: true })
    expectOneLineError(
      await cli('compare', good.id, other.id, '-o', 'a-folder'),
      /^hotpath compare: cannot write .*a-folder: it is a folder/,
    )
    expect(readdirSync(path.join(dir, 'a-folder'))).toEqual([])
  })

  it('export -o onto a folder leaves no temp file beside it', async () => {
    const parent = path.join(dir, 'exports')
    mkdirSync(path.join(parent, 'target'), { recursive: true })
    expectOneLineError(
      await cli('export', good.id, '-o', path.join(parent, 'target')),
      /^hotpath export: cannot write .*target: it is a folder/,
    )
    expect(readdirSync(parent)).toEqual(['target'])
    expect(readdirSync(path.join(parent, 'target'))).toEqual([])
  })

  it('export writes the bundle and nothing else', async () => {
    const parent = path.join(dir, 'exports-ok')
    mkdirSync(parent)
    const r = await cli('export', good.id, '-o', path.join(parent, 'one.tgz'))
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(parent)).toEqual(['one.tgz'])
  })

  it.each([
    [
      ['run', 'orderbook', '--duration', '200ms', '--store', '/etc/passwd'],
      /^hotpath run: the store must be a folder: \/etc\/passwd is a file/,
    ],
    [['list', '--store', '/etc/passwd/sub'], /^hotpath list: the store must be a folder: \/etc\/passwd \(in the path\) is a file/],
  ])('%j', async (args, message) => {
    expectOneLineError(await cli(...args), message)
  })

  it('show of a run that is not there', async () => {
    expectOneLineError(await cli('show', '20990101T000000000Z-orderbook-nope'), /^hotpath show: no run 20990101T000000000Z-orderbook-nope/)
  })
})
