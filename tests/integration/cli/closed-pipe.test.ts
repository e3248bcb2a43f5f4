/**
 * `hotpath top … | head`: the reader closes the pipe after the lines it wanted. Hotpath used to die with
 * an unhandled EPIPE stack trace on stderr; now the rest of the output is dropped and the exit code is the
 * command's own.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { assertBuilt, repoRoot } from '../../helpers/cli.js'

beforeAll(() => assertBuilt())

it('a reader that closes the pipe early gets no stack trace and exit 0', async () => {
  const profile = path.join(repoRoot, 'tests/fixtures/profiles/node-20.20.2/prettier-check.cpuprofile')
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/hotpath.js'), 'top', profile, '--limit', '500'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  // Read the first chunk, then close our end, as `head -1` does.
  let first = ''
  await new Promise<void>((resolve) => {
    child.stdout.once('data', (c: Buffer) => {
      first = c.toString()
      child.stdout.destroy()
      resolve()
    })
  })
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
  expect(first).toContain('CPU profile of')
  expect(stderr).not.toContain('EPIPE')
  expect(stderr).toBe('')
  expect(code).toBe(0)
}, 60_000)
