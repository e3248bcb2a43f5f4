/**
 * Provenance of a run: the git state of the workload's repository (commit, branch, dirty flag, commit time
 * and subject), read with `git` when it is installed and the folder is in a work tree, nothing otherwise
 * (never an error). CI checkouts are detached: the branch then comes from HOTPATH_GIT_BRANCH or the CI's
 * own variables (GITHUB_HEAD_REF, GITHUB_REF_NAME, CI_COMMIT_REF_NAME).
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GitProvenance, Provenance } from '../core/model/run.js'

const GIT_TIMEOUT_MS = 5000

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } }, (err, stdout) => {
      resolve(err ? undefined : stdout)
    })
  })
}

export interface RepositoryFacts {
  git: GitProvenance
  /** Absolute path of the work tree's top folder (not stored: it names the user's home). */
  root: string
}

/** The git facts of the repository holding `dir`, or undefined when there is no git or no repository. */
export async function readGitProvenance(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<RepositoryFacts | undefined> {
  const head = await git(dir, ['rev-parse', '--show-toplevel', 'HEAD', '--abbrev-ref', 'HEAD'])
  if (!head) return undefined
  const [root, commit, ref] = head.trim().split('\n')
  if (!root || !commit || !/^[0-9a-f]{40,64}$/.test(commit)) return undefined
  const [log, status] = await Promise.all([
    git(dir, ['log', '-1', '--format=%cI%x00%s', commit]),
    git(dir, ['status', '--porcelain', '--untracked-files=no']),
  ])
  const [commitTime, subject] = (log ?? '').replace(/\n$/, '').split('\0')
  const detached = !ref || ref === 'HEAD'
  const branch = env.HOTPATH_GIT_BRANCH || (detached ? env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME : ref) || undefined
  return {
    root: path.resolve(root),
    git: {
      commit,
      ...(branch ? { branch } : {}),
      dirty: status === undefined ? false : status.trim().length > 0,
      ...(commitTime ? { commitTime: new Date(commitTime).toISOString() } : {}),
      ...(subject !== undefined ? { subject: subject.slice(0, 200) } : {}),
    },
  }
}

/** Provenance for a run: the git state of the workload's repository (a file's folder, else Hotpath's own), meta, flags. */
export async function collectProvenance(repoDir: string | undefined, meta: Record<string, string>, nodeFlags: string[]): Promise<Provenance> {
  const repo = await readGitProvenance(repoDir ?? path.dirname(fileURLToPath(import.meta.url)))
  const nodeOptions = process.env.NODE_OPTIONS
  return {
    ...(repo ? { git: repo.git } : {}),
    meta: Object.fromEntries(Object.entries(meta).sort(([a], [b]) => a.localeCompare(b))),
    // Loader URLs name the install folder (a home directory): keep what follows node_modules/.
    nodeFlags: nodeFlags.map((f) => (f.startsWith('file:') ? f.replace(/^.*\/node_modules\//, '') : f)),
    ...(nodeOptions ? { nodeOptions } : {}),
  }
}
