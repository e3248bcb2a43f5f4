import { describe, expect, it } from 'vitest'
import { describeHeapLimit, maxOldSpaceSizeOf } from '../../../../core/model/heap-limit.js'

describe('maxOldSpaceSizeOf', () => {
  it('reads the flag from the Node flags, with "=" or as the next argument, dashes or underscores', () => {
    expect(maxOldSpaceSizeOf(['--import', 'x', '--max-old-space-size=48'], undefined)).toEqual({ mb: 48, from: 'execArgv' })
    expect(maxOldSpaceSizeOf(['--max_old_space_size', '96'], undefined)).toEqual({ mb: 96, from: 'execArgv' })
  })

  it('takes the last value, and the command line over NODE_OPTIONS', () => {
    expect(maxOldSpaceSizeOf(['--max-old-space-size=48', '--max-old-space-size=64'], undefined)).toEqual({ mb: 64, from: 'execArgv' })
    expect(maxOldSpaceSizeOf(['--max-old-space-size=48'], '--max-old-space-size=512')).toEqual({ mb: 48, from: 'execArgv' })
    expect(maxOldSpaceSizeOf([], ' --enable-source-maps  --max-old-space-size=512 ')).toEqual({ mb: 512, from: 'NODE_OPTIONS' })
  })

  it('is undefined without the flag or with a value that is no size', () => {
    expect(maxOldSpaceSizeOf(['--max-semi-space-size=16'], '--trace-gc')).toBeUndefined()
    expect(maxOldSpaceSizeOf(['--max-old-space-size=abc', '--max-old-space-size='], undefined)).toBeUndefined()
  })
})

describe('describeHeapLimit', () => {
  it('names the limit and the flag behind it, or V8 default', () => {
    expect(describeHeapLimit({ bytes: 96 * 1024 ** 2, maxOldSpaceSizeMb: 48, from: 'execArgv' })).toBe('96.0 MB (--max-old-space-size=48, from the Node flags)')
    expect(describeHeapLimit({ bytes: 544 * 1024 ** 2, maxOldSpaceSizeMb: 512, from: 'NODE_OPTIONS' })).toBe('544 MB (--max-old-space-size=512, from NODE_OPTIONS)')
    expect(describeHeapLimit({ bytes: 4345298944 })).toBe("4.05 GB (V8's default; no --max-old-space-size)")
  })
})
