/**
 * Hardware targets end to end, through the built CLI and the real ssh client, against real sshd servers
 * on 127.0.0.1 (tests/helpers/sshd.ts): add/check, runs on two targets with different Node versions,
 * the runner cache (a second run uploads nothing), compare --by target, a target whose sshd is stopped
 * mid-run, a target without Node (and --ship-node), a wrong host key, a full disk, and a pull that
 * breaks off and resumes without re-running. Nothing reaches beyond 127.0.0.1.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { existsSync, readFileSync, readdirSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, runCliProcess, startCli } from '../../helpers/cli.js'
import { createSshLab, type SshLab, type SshServer, sshdUnavailable } from '../../helpers/sshd.js'
import { rawTgz } from '../../helpers/raw-tar.js'

const skipReason = sshdUnavailable()
if (skipReason) console.warn(`skipping the SSH target tests: ${skipReason}`)
const node22 = path.join(repoRoot, '.cache', 'node22', 'package', 'bin', 'node')

interface TargetsJson {
  group: string
  targets: { target: string; ok: boolean; runIds: string[]; failedRunId?: string; failure?: { kind: string; message: string }; bytesSent: number; runner?: { cached: boolean; uploadedBytes: number; uploadedObjects: number }; pullAttempts?: number }[]
  runs: { id: string; status: string; error?: string; tags: string[]; env: { runtime: { node: string } }; runtime: { node: string }; workload: { params: Record<string, unknown> } }[]
}

describe.skipIf(skipReason !== undefined)('hotpath target and --on, over real sshd', () => {
  let lab: SshLab
  let a: SshServer
  let b: SshServer
  let tmp: string
  let env: NodeJS.ProcessEnv
  let store: string
  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runCliProcess(args, { store, env: { ...env, ...extraEnv } })
  const cacheOf = (name: string): string => path.join(tmp, `cache-${name}`)

  beforeAll(async () => {
    lab = await createSshLab()
    a = await lab.startServer('a')
    b = await lab.startServer('b')
    tmp = await mkdtemp(path.join(os.tmpdir(), 'hotpath-remote-'))
    store = path.join(tmp, 'store')
    env = { HOTPATH_CONFIG: path.join(tmp, 'config'), HOTPATH_SSH_CONFIG: lab.clientConfig }
    expect((await cli(['target', 'add', 'a', `ssh://root@127.0.0.1:${a.port}`, '--cache-dir', cacheOf('a')])).code).toBe(0)
    const addB = await cli(['target', 'add', 'b', `ssh://127.0.0.1:${b.port}`, '--cache-dir', cacheOf('b'), ...(existsSync(node22) ? ['--node', node22] : [])])
    expect(addB.code, addB.stderr).toBe(0)
  }, 120_000)

  afterAll(async () => {
    await lab?.cleanup()
    if (tmp) await rm(tmp, { recursive: true, force: true })
  })

  it('adds, lists and checks targets; refuses passwords and names the known targets', async () => {
    const list = await cli(['target', 'list', '--json'])
    expect(JSON.parse(list.stdout).map((t: { name: string }) => t.name)).toEqual(['a', 'b'])
    const withPassword = await cli(['target', 'add', 'p', 'ssh://root:hunter2@127.0.0.1:22'])
    expect(withPassword.code).toBe(2)
    expect(withPassword.stderr).toMatch(/password/)
    expect(withPassword.stderr.trim().split('\n')).toHaveLength(1)
    expect(readFileSync(path.join(tmp, 'config', 'targets.json'), 'utf8')).not.toContain('hunter2')
    const unknown = await cli(['target', 'check', 'nope'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/known targets: a, b/)

    const check = await cli(['target', 'check', 'a'])
    expect(check.code, check.stderr).toBe(0)
    const lines = check.stdout.trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^a {2}reachable {2}yes: root@127\.0\.0\.1:\d+, linux x64/)
    expect(lines[1]).toMatch(new RegExp(`^a {2}node {7}${process.versions.node.replace(/\./g, '\\.')} at `))
    expect(lines[2]).toMatch(/^a {2}disk {7}[\d.]+ [KMGT]?B free in /)
    if (existsSync(node22)) {
      const checkB = await cli(['target', 'check', 'b', '--json'])
      expect(JSON.parse(checkB.stdout).node.version).toMatch(/^22\./)
    }
  }, 120_000)

  it('refuses a wrong host key with a clear message, and records the failed run', async () => {
    const evil = await lab.startServer('evil')
    // known_hosts holds another key for this address: exactly what a man in the middle looks like.
    const other = path.join(lab.dir, 'other_key')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other])
    const known = readFileSync(lab.knownHosts, 'utf8').split('\n').filter((l) => !l.startsWith(`[127.0.0.1]:${evil.port} `))
    known.push(`[127.0.0.1]:${evil.port} ${readFileSync(`${other}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')}`)
    writeFileSync(lab.knownHosts, known.join('\n') + '\n')
    await cli(['target', 'add', 'evil', `ssh://127.0.0.1:${evil.port}`, '--cache-dir', cacheOf('evil')])
    const check = await cli(['target', 'check', 'evil'])
    expect(check.code).toBe(3)
    expect(check.stdout).toMatch(/host key .* does not match|REMOTE HOST IDENTIFICATION HAS CHANGED/)
    expect(check.stdout).toMatch(/refused/)
    const run = await cli(['run', 'orderbook', '--on', 'evil', '--duration', '200ms', '--json'])
    expect(run.code).toBe(3)
    const out = JSON.parse(run.stdout) as TargetsJson
    expect(out.targets[0]?.failure?.kind).toBe('host-key')
    expect(out.runs[0]?.status).toBe('failed')
    expect(out.runs[0]?.error).toMatch(/host key/)
    expect(existsSync(cacheOf('evil'))).toBe(false)
    await evil.stop()
  }, 120_000)

  it('runs on two targets, tags the runs with their target and environment, and a second run uploads nothing', async () => {
    const first = await cli(['run', 'orderbook', '--variant', 'optimized', '--on', 'a,b', '--duration', '500ms', '--warmup', '200ms', '--json'])
    expect(first.code, first.stderr).toBe(0)
    const one = JSON.parse(first.stdout) as TargetsJson
    expect(one.targets.map((t) => [t.target, t.ok, t.runIds.length])).toEqual([['a', true, 1], ['b', true, 1]])
    expect(one.runs.map((r) => r.tags.find((t) => t.startsWith('target:')))).toEqual(['target:a', 'target:b'])
    expect(one.runs[0]?.env.runtime.node).toBe(process.versions.node)
    if (existsSync(node22)) expect(one.runs[1]?.env.runtime.node).toMatch(/^22\./)
    for (const t of one.targets) {
      expect(t.runner?.cached).toBe(false)
      expect(t.runner?.uploadedBytes).toBeGreaterThan(100_000)
    }
    const second = await cli(['run', 'orderbook', '--variant', 'optimized', '--on', 'a,b', '--duration', '500ms', '--warmup', '200ms', '--json'])
    expect(second.code, second.stderr).toBe(0)
    const two = JSON.parse(second.stdout) as TargetsJson
    for (const t of two.targets) {
      expect(t.runner).toMatchObject({ cached: true, uploadedBytes: 0, uploadedObjects: 0 })
      // What is left is the job description (the run request), a few hundred bytes.
      expect(t.bytesSent).toBeLessThan(2000)
    }
    console.info(`bytes sent: first ${one.targets.map((t) => `${t.target} ${t.bytesSent}`).join(', ')}; second ${two.targets.map((t) => `${t.target} ${t.bytesSent}`).join(', ')}`)
    const text = await runCliProcess(['list', '--tag', 'target:b', '--json'], { store, env })
    expect(JSON.parse(text.stdout)).toHaveLength(2)

    // compare --by target: both columns, the Node versions marked as differing.
    const ids = [...one.runs, ...two.runs].map((r) => r.id)
    const table = await cli(['compare', '--by', 'target', ...ids])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toMatch(/a \(reference\)\s+b/)
    expect(table.stdout).toMatch(/throughput \(ops\/s\)\s+\S+ \S* ?\[/)
    expect(table.stdout).toMatch(/speed vs a\s+1\.00x\s+\d+\.\d\dx \[/)
    if (existsSync(node22)) expect(table.stdout).toMatch(/runtime\.node\s+\*\d+\.\d+\.\d+\s+\*22\./)
    const md = await cli(['compare', '--by', 'target', ...ids, '--format', 'md'])
    if (existsSync(node22)) expect(md.stdout).toMatch(/\| runtime\.node \| \*\*\d+\.\d+\.\d+\*\* \| \*\*22\./)
    const html = await cli(['compare', '--by', 'target', ...ids, '--format', 'html'])
    expect(html.stdout).toContain('<!doctype html>')
    if (existsSync(node22)) expect(html.stdout).toMatch(/<td class="differs"><mark>22\./)
    // Without ids: the newest group made on targets.
    const newest = await cli(['compare', '--by', 'target', '--json'])
    expect(JSON.parse(newest.stdout).runIds.sort()).toEqual(two.runs.map((r) => r.id).sort())
  }, 600_000)

  it('a target whose sshd is stopped mid-run gives a failed run with the reason while the other carries on', async () => {
    const run = startCli(['run', 'orderbook', '--variant', 'optimized', '--on', 'a,b', '--duration', '15s', '--warmup', '200ms', '--json'], { store, env })
    // Mid-run: b's runner has created its run folder in the job's store on the target.
    const jobs = path.join(cacheOf('b'), 'jobs')
    const deadline = Date.now() + 240_000
    const started = (): boolean => existsSync(jobs) && readdirSync(jobs).some((j) => existsSync(path.join(jobs, j, 'store', 'runs')) && readdirSync(path.join(jobs, j, 'store', 'runs')).length > 0)
    while (!started()) {
      if (Date.now() > deadline) throw new Error('the run on b never started')
      await new Promise((r) => setTimeout(r, 200))
    }
    await b.stop()
    try {
      await checkStoppedTarget(await run.done)
    } finally {
      // The later tests need b again, whatever happened above.
      b = await lab.startServer('b2')
      await cli(['target', 'remove', 'b'])
      await cli(['target', 'add', 'b', `ssh://127.0.0.1:${b.port}`, '--cache-dir', cacheOf('b'), ...(existsSync(node22) ? ['--node', node22] : [])])
    }
  }, 600_000)

  async function checkStoppedTarget(result: { code: number | null; stdout: string }): Promise<void> {
    expect(result.code).toBe(3)
    const out = JSON.parse(result.stdout) as TargetsJson
    const [ta, tb] = out.targets
    expect(ta?.ok).toBe(true)
    expect(out.runs.find((r) => r.id === ta?.runIds[0])?.status).toBe('ok')
    expect(tb?.ok).toBe(false)
    expect(tb?.failure?.kind).toBe('dropped')
    // "mid-run" when the run's own session broke; without it when the next ssh step found sshd gone first.
    expect(tb?.failure?.message).toMatch(/b: the connection to 127\.0\.0\.1:\d+ dropped( mid-run)?/)
    const failed = out.runs.find((r) => r.id === tb?.failedRunId)
    expect(failed?.status).toBe('failed')
    expect(failed?.tags).toContain('target:b')
    // The runner on b saw its client go and stopped (no process left behind).
    const leftovers = (): string[] =>
      readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(cacheOf('b'))
        } catch {
          return false
        }
      })
    for (let i = 0; i < 100 && leftovers().length > 0; i++) await new Promise((r) => setTimeout(r, 200))
    expect(leftovers()).toEqual([])
  }

  it('a target without Node fails with the reason; --ship-node runs there with this Node', async () => {
    const bare = await lab.startServer('bare', { path: lab.pathWithoutNode() })
    await cli(['target', 'add', 'bare', `ssh://127.0.0.1:${bare.port}`, '--cache-dir', cacheOf('bare')])
    const check = await cli(['target', 'check', 'bare'])
    expect(check.code).toBe(0)
    expect(check.stdout).toMatch(/bare {2}node {7}none: no Node on the PATH/)
    const run = await cli(['run', 'orderbook', '--on', 'bare', '--duration', '200ms', '--json'])
    expect(run.code).toBe(3)
    const out = JSON.parse(run.stdout) as TargetsJson
    expect(out.targets[0]?.failure?.kind).toBe('no-node')
    expect(out.runs[0]?.error).toMatch(/no Node .*--ship-node/)
    const shipped = await cli(['run', 'orderbook', '--on', 'bare', '--ship-node', '--duration', '200ms', '--warmup', '100ms', '--json'])
    expect(shipped.code, shipped.stderr).toBe(0)
    const ok = JSON.parse(shipped.stdout) as TargetsJson
    expect(ok.runs[0]?.status).toBe('ok')
    expect(ok.runs[0]?.runtime.node).toBe(process.versions.node)
    expect(ok.targets[0]?.runner?.uploadedBytes).toBeGreaterThan(10_000_000)
    await bare.stop()
  }, 600_000)

  it('a target with too little disk fails before uploading, and the local store is untouched', async () => {
    const small = path.join(tmp, 'small-disk')
    mkdirSync(small)
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', small])
    } catch {
      console.warn('skipping the full-disk case: cannot mount a tmpfs here')
      return
    }
    try {
      await cli(['target', 'add', 'small', `ssh://127.0.0.1:${a.port}`, '--cache-dir', path.join(small, 'cache')])
      const before = (await cli(['list', '--json'])).stdout
      const run = await cli(['run', 'orderbook', '--on', 'small', '--duration', '200ms', '--json'])
      expect(run.code).toBe(3)
      const out = JSON.parse(run.stdout) as TargetsJson
      expect(out.targets[0]?.failure?.kind).toBe('disk-full')
      expect(out.targets[0]?.failure?.message).toMatch(/MB free/)
      // The one new local record is the failed run; no other run changed.
      const after = JSON.parse((await cli(['list', '--json'])).stdout) as { id: string }[]
      expect(after.map((r) => r.id).filter((id) => !before.includes(id))).toEqual([out.targets[0]?.failedRunId])
    } finally {
      execFileSync('umount', [small])
    }
  }, 300_000)

  it('sweep --on runs every value on each target, one target at a time with --parallel 1', async () => {
    const sweep = await cli(['sweep', 'orderbook', '--param', 'levels=100,200', '--on', 'a,b', '--parallel', '1', '--duration', '200ms', '--warmup', '100ms', '--json'])
    expect(sweep.code, sweep.stderr).toBe(0)
    const out = JSON.parse(sweep.stdout) as TargetsJson
    expect(out.targets.map((t) => t.runIds.length)).toEqual([2, 2])
    expect(out.runs.map((r) => `${r.tags.find((t) => t.startsWith('target:'))} ${String(r.workload.params.levels)}`).sort()).toEqual(['target:a 100', 'target:a 200', 'target:b 100', 'target:b 200'])
    const byTarget = await cli(['compare', '--by', 'target', '--group', out.group, '--json'])
    expect(JSON.parse(byTarget.stdout).cases).toHaveLength(2)
  }, 600_000)

  it('a pull that breaks off resumes where it stopped, without re-running; a lost one resumes with target pull', async () => {
    // An ssh wrapper that cuts the first bundle transfer short (as a dropped connection would).
    const wrapper = path.join(tmp, 'flaky-ssh')
    const mark = path.join(tmp, 'cut-once')
    writeFileSync(mark, '')
    writeFileSync(wrapper, `#!/bin/sh\ncase "$*" in *"tail -c +1 "*) if [ -f ${mark} ]; then rm -f ${mark}; ssh "$@" | head -c 3000; exit 255; fi;; esac\nexec ssh "$@"\n`)
    chmodSync(wrapper, 0o755)
    const run = await cli(['run', 'orderbook', '--on', 'a', '--duration', '200ms', '--warmup', '100ms', '--json'], { HOTPATH_SSH: wrapper })
    expect(run.code, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout) as TargetsJson
    expect(out.targets[0]?.pullAttempts).toBe(2)
    expect(out.runs).toHaveLength(1)
    expect(out.runs[0]?.status).toBe('ok')

    // Every pull fails: the run is recorded as failed with how to resume; target pull brings the run in.
    const always = path.join(tmp, 'no-pull-ssh')
    const block = path.join(tmp, 'block-pulls')
    writeFileSync(block, '')
    writeFileSync(always, `#!/bin/sh\ncase "$*" in *"tail -c +"*) if [ -f ${block} ]; then exit 255; fi;; esac\nexec ssh "$@"\n`)
    chmodSync(always, 0o755)
    const lost = await cli(['run', 'orderbook', '--on', 'a', '--duration', '200ms', '--warmup', '100ms', '--json'], { HOTPATH_SSH: always })
    expect(lost.code).toBe(3)
    const lostOut = JSON.parse(lost.stdout) as TargetsJson
    expect(lostOut.targets[0]?.failure?.kind).toBe('pull')
    expect(lostOut.targets[0]?.failure?.message).toMatch(/hotpath target pull a/)
    const runsOnA = readdirSync(path.join(cacheOf('a'), 'jobs'))
    expect(runsOnA).toHaveLength(1)
    await rm(block)
    const pulled = await cli(['target', 'pull', 'a', '--json'])
    expect(pulled.code, pulled.stderr).toBe(0)
    const result = JSON.parse(pulled.stdout) as { imported: string[]; jobs: number }
    expect(result.jobs).toBe(1)
    expect(result.imported).toHaveLength(1)
    // The failed placeholder is replaced by the run itself; the job is gone from the target.
    expect(JSON.parse((await cli(['list', '--json'])).stdout).some((r: { id: string }) => r.id === lostOut.targets[0]?.failedRunId)).toBe(false)
    expect(readdirSync(path.join(cacheOf('a'), 'jobs'))).toEqual([])
  }, 600_000)

  it('a bundle from the target that fails validation is refused like any import', async () => {
    // A tampered runner on the target (in the cache under the real runner's name) hands back a bundle
    // whose member would land outside the store.
    const pkgModule = (await import(pathToFileURL(path.join(repoRoot, 'dist', 'remote', 'runner-package.js')).href)) as typeof import('../../../remote/runner-package.js')
    const runner = await pkgModule.buildRunnerPackage()
    const root = path.join(cacheOf('t'), 'runners', runner.id)
    mkdirSync(path.join(root, 'engine', 'remote'), { recursive: true })
    const evil = rawTgz([{ path: 'hotpath-bundle.json', body: '{"format":"hotpath-bundle","version":1,"createdAt":"2026-12-03T00:00:00Z","runs":[]}' }, { path: '../../escaped.txt', body: 'outside' }])
    writeFileSync(path.join(root, 'evil.tgz'), evil)
    const sha = createHash('sha256').update(evil).digest('hex')
    writeFileSync(
      path.join(root, runner.entry),
      `import fs from 'node:fs'\nimport path from 'node:path'\nconst dir = process.argv[process.argv.indexOf('--job-dir') + 1]\nfs.mkdirSync(dir, { recursive: true })\nfs.copyFileSync(new URL('../../evil.tgz', import.meta.url), path.join(dir, 'bundle.tgz'))\nconsole.log(JSON.stringify({ t: 'bundle', file: 'bundle.tgz', bytes: ${evil.length}, sha256: '${sha}', runIds: [] }))\n`,
    )
    writeFileSync(path.join(root, 'engine', 'package.json'), '{"type":"module"}\n')
    writeFileSync(path.join(root, '.complete'), '')
    await cli(['target', 'add', 't', `ssh://127.0.0.1:${a.port}`, '--cache-dir', cacheOf('t')])
    const run = await cli(['run', 'orderbook', '--on', 't', '--duration', '200ms', '--json'])
    expect(run.code).toBe(3)
    const out = JSON.parse(run.stdout) as TargetsJson
    expect(out.targets[0]?.failure?.kind).toBe('invalid-bundle')
    expect(out.targets[0]?.failure?.message).toMatch(/refused: .*escaped\.txt|refused: .*outside|refused: .*\.\./)
    expect(existsSync(path.join(store, '..', 'escaped.txt'))).toBe(false)
    expect(existsSync(path.join(store, 'escaped.txt'))).toBe(false)
  }, 300_000)
})
