/**
 * redactRunRecord: identifiers go from every field of a run record (environment, stderr, error, runtime
 * path, command, warnings, artifact labels, timeline); data that only looks like an identifier stays.
 */
import { describe, expect, it } from 'vitest'
import { createScrubber, redactRunRecord } from '../../../../core/format/redact-run.js'
import { makeRun, testEnvironment } from '../../../helpers/make-run.js'

const env = {
  ...testEnvironment,
  os: { ...testEnvironment.os, hostname: 'alice-laptop.corp.example' },
  machine: { ...testEnvironment.machine, machineId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', fingerprint: 'hp1-0123456789abcdef' },
}

describe('redactRunRecord', () => {
  const run = makeRun({
    env,
    label: 'alice tries the pooled variant',
    runtime: { path: '/home/alice/.nvm/versions/node/v20.20.2/bin/node', node: '20.20.2', v8: '11.3.244.8-node.33' },
    command: ['node', '/home/alice/app/server.js', '--host', 'alice-laptop.corp.example'],
    status: 'failed',
    error: 'the workload exited with code 1',
    stderrTail: 'listening on 192.0.2.2 and [fd00::2] (mac 02:fc:00:00:00:01)\nat /home/alice/app/server.js:1:1\nuser alice on alice-laptop\nid 0f1e2d3c4b5a69788796a5b4c3d2e1f0\n',
    warnings: [{ kind: 'x', message: 'could not read C:\\Users\\alice\\x and /Users/alice/y' }],
    timeline: [{ tMs: 1, phase: 'timing on alice-laptop' }],
    artifacts: [{ kind: 'stderr', file: 'stderr.log', bytes: 1, sha256: 'a'.repeat(64), label: 'from /home/alice/app' }],
  })
  const out = redactRunRecord(run)
  const text = JSON.stringify(out)

  it('leaves no identifier anywhere', () => {
    for (const id of ['alice-laptop', 'corp.example', '/home/alice', 'Users\\\\alice', '/Users/alice', '192.0.2.2', 'fd00::2', '02:fc:00:00:00:01', '0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'SN-123456', '3d1219c7-c4c5-404a-aa1f-6d2a48adfda4']) {
      expect(text, id).not.toContain(id)
    }
    expect(out.stderrTail).toContain('user [redacted] on [redacted]')
    expect(out.runtime.path).toBe('~/.nvm/versions/node/v20.20.2/bin/node')
    expect(out.command).toEqual(['node', '~/app/server.js', '--host', '[redacted]'])
    expect(out.env.redacted).toBe(true)
    expect(out.env.user).toEqual({ name: '[redacted]', home: '~' })
  })

  it('keeps the fingerprint, the performance facts and data that only looks like an identifier', () => {
    expect(out.env.machine?.fingerprint).toBe('hp1-0123456789abcdef')
    expect(out.runtime.v8).toBe('11.3.244.8-node.33')
    expect(out.env.cpu).toEqual(run.env.cpu)
    expect(out.metrics).toEqual(run.metrics)
    expect(out.samplesNs).toEqual(run.samplesNs)
    expect(out.artifacts[0]!.sha256).toBe('a'.repeat(64))
    expect(out.id).toBe(run.id)
  })

  it("leaves the user's own words in labels (only paths and machine values are scrubbed there)", () => {
    expect(out.label).toBe('alice tries the pooled variant')
  })

  it('is idempotent', () => {
    expect(redactRunRecord(out)).toEqual(out)
  })
})

describe('createScrubber', () => {
  it('replaces a home outside /home and /Users only where it starts a path', () => {
    const scrub = createScrubber({ homes: ['/root'], users: ['root'], values: [] })
    expect(scrub('/root/app.js and file:///root/x.js and /rootless/y', { userAsWord: false })).toBe('~/app.js and file://~/x.js and /rootless/y')
    expect(scrub('(root) is a frame name', { userAsWord: false })).toBe('(root) is a frame name')
  })

  it('skips values too short to be told from ordinary text', () => {
    const scrub = createScrubber({ values: ['vm', '10.0.0.7'] })
    expect(scrub('node:vm on 10.0.0.7; 110.0.0.70 stays')).toBe('node:vm on [redacted]; 110.0.0.70 stays')
  })
})
