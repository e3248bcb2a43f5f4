import { describe, expect, it } from 'vitest'
import { classifySshFailure, remotePath, shq, sshArgs } from '../../../remote/ssh.js'
import { importedPackages } from '../../../remote/runner-package.js'
import type { Target } from '../../../core/model/target.js'

const target: Target = { name: 'a', url: 'ssh://u@h:2222', host: 'h', user: 'u', port: 2222, addedAt: '2026-12-03T00:00:00Z' }

describe('ssh arguments', () => {
  it('always checks host keys and never prompts, ahead of any config file', () => {
    const args = sshArgs({ ...target, identity: '/k', jump: 'j@jump:22' }, { configFile: '/cfg' })
    const options = args.flatMap((a, i) => (args[i - 1] === '-o' ? [a] : []))
    expect(options).toContain('BatchMode=yes')
    expect(options).toContain('StrictHostKeyChecking=yes')
    // ssh takes the first value it sees for an option: ours come before -F's file.
    expect(args.indexOf('StrictHostKeyChecking=yes')).toBeLessThan(args.indexOf('-F'))
    expect(args.slice(-1)).toEqual(['u@h'])
    expect(args).toEqual(expect.arrayContaining(['-p', '2222', '-i', '/k', '-J', 'j@jump:22']))
  })

  it('quotes for the remote shell', () => {
    expect(shq("it's")).toBe(`'it'\\''s'`)
    expect(remotePath('~/.cache/hotpath')).toBe(`"$HOME"/'.cache/hotpath'`)
    expect(remotePath('/opt/x')).toBe(`'/opt/x'`)
  })

  it('words ssh failures by what the user must fix', () => {
    expect(classifySshFailure(target, 255, 'Host key verification failed.\n')?.kind).toBe('host-key')
    expect(classifySshFailure(target, 255, '@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@')?.message).toMatch(/refused/)
    expect(classifySshFailure(target, 255, 'u@h: Permission denied (publickey).')?.kind).toBe('auth')
    expect(classifySshFailure(target, 255, 'ssh: connect to host h port 2222: Connection refused')?.kind).toBe('unreachable')
    expect(classifySshFailure(target, 255, 'Connection to h closed by remote host.')?.kind).toBe('dropped')
    expect(classifySshFailure(target, 1, 'remote command failed')).toBeUndefined()
  })
})

describe('runner packaging', () => {
  it('finds the npm packages a compiled file imports, not builtins or words in strings', () => {
    const src = `import { z } from "zod";\nimport fs from 'node:fs';\nimport os from 'os';\nconst t = await import('tar');\nconst x = "from '(Document DOM trees)'";\nimport * as a from '@scope/pkg/sub';\nconst hint = \`add export default defineWorkload() from 'hotpath/workload'\``
    expect(importedPackages(src).sort()).toEqual(['@scope/pkg', 'tar', 'zod'])
  })
})
