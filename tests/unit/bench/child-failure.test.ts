import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { childFailureReason } from '../../../bench/child-failure.js'

describe('childFailureReason', () => {
  it("names a real child's error line, not the stack under it", () => {
    // A child that fails as JSON.parse does past V8's string limit: a RangeError with a stack below it.
    const child = spawnSync(process.execPath, ['-e', 'function read() { throw new RangeError("Invalid string length") }\nread()'], {
      encoding: 'utf8',
    })
    expect(child.status).toBe(1)
    expect(child.stderr).toMatch(/at read/)
    expect(childFailureReason(child.status, child.signal, child.stderr)).toBe('exit 1: RangeError: Invalid string length')
  })

  it('falls back to the last lines of stderr, and names a signal', () => {
    expect(childFailureReason(null, 'SIGKILL', 'first\n\nsecond\nthird\n')).toBe('exit null (SIGKILL): second | third')
    expect(childFailureReason(2, null, '')).toBe('exit 2: ')
  })
})
