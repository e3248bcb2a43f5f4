/**
 * The targets file in the app's config folder (HOTPATH_CONFIG, else ~/.config/hotpath on Linux,
 * ~/Library/Preferences/Hotpath on macOS, %APPDATA%\Hotpath\config on Windows): targets.json, written
 * atomically. Never holds a password: URLs with one are refused before anything is written.
 */
import { mkdir, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type Target, type TargetsFile, TargetUrlError, parseTargetUrl, targetNameSchema, targetSchema, targetsFileSchema } from '../core/model/target.js'
import { stableJson, writeFileAtomic } from '../store/atomic-write.js'

export function defaultConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env.HOTPATH_CONFIG) return path.resolve(env.HOTPATH_CONFIG)
  const home = env.HOME ?? os.homedir()
  if (platform === 'darwin') return path.join(home, 'Library', 'Preferences', 'Hotpath')
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Hotpath', 'config')
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config')
  return path.join(configHome, 'hotpath')
}

/** A targets request that cannot be done; the message says what to fix (the CLI exits 2). */
export class TargetError extends Error {
  constructor(
    message: string,
    readonly code: 'bad-request' | 'not-found' | 'conflict' = 'bad-request',
  ) {
    super(message)
    this.name = 'TargetError'
  }
}

export interface AddTargetInput {
  name: string
  url: string
  identity?: string
  node?: string
  jump?: string
  cacheDir?: string
}

export interface TargetRegistry {
  readonly file: string
  list(): Promise<Target[]>
  get(name: string): Promise<Target>
  add(input: AddTargetInput): Promise<Target>
  remove(name: string): Promise<boolean>
}

export function openTargetRegistry(configDir: string): TargetRegistry {
  const file = path.join(configDir, 'targets.json')

  async function load(): Promise<TargetsFile> {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, targets: [] }
      throw err
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (err) {
      throw new TargetError(`${file} is not valid JSON (${(err as Error).message}); fix or remove it`)
    }
    const parsed = targetsFileSchema.safeParse(raw)
    if (!parsed.success) throw new TargetError(`${file} is not a targets file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    return parsed.data
  }

  async function save(data: TargetsFile): Promise<void> {
    await mkdir(configDir, { recursive: true })
    await writeFileAtomic(file, stableJson(data))
  }

  return {
    file,
    async list() {
      return (await load()).targets
    },
    async get(name) {
      const { targets } = await load()
      const found = targets.find((t) => t.name === name)
      if (!found) {
        const known = targets.map((t) => t.name)
        throw new TargetError(`no target "${name}"; ${known.length ? `known targets: ${known.join(', ')}` : 'none are set up yet: hotpath target add NAME ssh://[user@]host[:port]'}`, 'not-found')
      }
      return found
    },
    async add(input) {
      const name = targetNameSchema.safeParse(input.name)
      if (!name.success) throw new TargetError(`target name "${input.name}": ${name.error.issues[0]?.message ?? 'invalid'}`)
      let address: ReturnType<typeof parseTargetUrl>
      try {
        address = parseTargetUrl(input.url)
      } catch (err) {
        if (err instanceof TargetUrlError) throw new TargetError(err.message)
        throw err
      }
      const candidate = {
        name: input.name,
        url: `ssh://${address.user ? `${address.user}@` : ''}${address.host}${address.port ? `:${address.port}` : ''}`,
        ...address,
        ...(input.identity ? { identity: path.resolve(input.identity) } : {}),
        ...(input.node ? { node: input.node } : {}),
        ...(input.jump ? { jump: input.jump } : {}),
        ...(input.cacheDir ? { cacheDir: input.cacheDir } : {}),
        addedAt: new Date().toISOString(),
      }
      const parsed = targetSchema.safeParse(candidate)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        const flag = issue?.path[0] === 'node' ? '--node' : issue?.path[0] === 'jump' ? '--jump' : issue?.path[0] === 'cacheDir' ? '--cache-dir' : String(issue?.path[0] ?? 'target')
        throw new TargetError(`${flag}: ${issue?.message ?? 'invalid'}`)
      }
      const data = await load()
      if (data.targets.some((t) => t.name === input.name)) throw new TargetError(`a target named "${input.name}" exists already; remove it first (hotpath target remove ${input.name})`, 'conflict')
      data.targets.push(parsed.data)
      await save(data)
      return parsed.data
    },
    async remove(name) {
      const data = await load()
      const before = data.targets.length
      data.targets = data.targets.filter((t) => t.name !== name)
      if (data.targets.length === before) return false
      await save(data)
      return true
    },
  }
}
