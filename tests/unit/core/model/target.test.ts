import { describe, expect, it } from 'vitest'
import { getRunTarget, parseTargetUrl, TargetUrlError } from '../../../../core/model/target.js'

describe('parseTargetUrl', () => {
  it('reads user, host and port', () => {
    expect(parseTargetUrl('ssh://alice@build-7.example.com:2222')).toEqual({ user: 'alice', host: 'build-7.example.com', port: 2222 })
    expect(parseTargetUrl('ssh://10.0.0.5')).toEqual({ host: '10.0.0.5' })
    expect(parseTargetUrl('ssh://[fd00::2]:22')).toEqual({ host: '[fd00::2]', port: 22 })
  })

  it('refuses passwords, other schemes, paths and option-like hosts', () => {
    expect(() => parseTargetUrl('ssh://alice:secret@host')).toThrow(/never stores passwords/)
    expect(() => parseTargetUrl('ssh://alice:@host')).toThrow(TargetUrlError)
    expect(() => parseTargetUrl('http://host')).toThrow(/ssh:\/\//)
    expect(() => parseTargetUrl('ssh://host/path')).toThrow(TargetUrlError)
    expect(() => parseTargetUrl('ssh://-oProxyCommand=evil')).toThrow(TargetUrlError)
    expect(() => parseTargetUrl('ssh://host:99999')).toThrow(/port/)
  })

  it('finds the target of a run from its tag', () => {
    expect(getRunTarget({ tags: ['remote', 'target:arm-box'] })).toBe('arm-box')
    expect(getRunTarget({ tags: ['remote'] })).toBeUndefined()
  })
})
