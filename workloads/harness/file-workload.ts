/**
 * Loads a workload file (`bench/orders.bench.ts`, `.js`, `.mjs`) written with `defineWorkload` and turns it
 * into the same WorkloadModule the built-in workloads export, so the harness measures it unchanged.
 * Runs inside a child process (the workload child, or the describe child that reads its descriptor); for
 * TypeScript files that child was started with tsx's loader (see profilers/workload-file.ts).
 * Every failure is a WorkloadFileError whose message starts with "file:line:column" when it can be located.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { type ParamValues, type VariantRole, type WorkloadDescriptor, paramRuleSpecProblems, workloadDescriptorSchema } from '../../core/model/workload.js'
import { type DefinedWorkload, type VariantDetails, WORKLOAD_FILE_BRAND } from '../define.js'
import type { WorkloadInstance, WorkloadModule } from '../types.js'

/** File names a workload file may have. */
export const WORKLOAD_FILE_PATTERN = /\.(bench\.)?(m?[jt]s|c[jt]s)$/
/** TypeScript needs the loader; plain JavaScript does not. */
export const isTypeScriptFile = (file: string): boolean => /\.[mc]?ts$/.test(file)

export class WorkloadFileError extends Error {
  constructor(
    message: string,
    /** "file:line:column" of the cause, when known. */
    readonly location?: string,
  ) {
    super(message)
    this.name = 'WorkloadFileError'
  }
}

/**
 * Finds where in `file` an error happened: the first "file:line[:col]" of the file in the stack or message
 * (V8 stacks name it as a path or a file: URL; esbuild's transform errors as "path:line:col: ERROR").
 */
export function locateInFile(err: unknown, file: string): string | undefined {
  const text = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err)
  const url = pathToFileURL(file).href
  for (const candidate of [url, file]) {
    const escaped = candidate.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const m = new RegExp(`${escaped}:(\\d+)(?::(\\d+))?`).exec(text)
    if (m) return `${file}:${m[1]}${m[2] ? `:${m[2]}` : ''}`
  }
  return undefined
}

/** Where and why: the error's first meaningful line and its location in the file. */
export function explainFileError(err: unknown, file: string): { location?: string; reason: string } {
  if (err instanceof WorkloadFileError) return { ...(err.location ? { location: err.location } : {}), reason: err.message }
  const location = locateInFile(err, file)
  const raw = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err)
  // esbuild repeats the location inside its message ("Transform failed with 1 error:\n/x.ts:3:7: ERROR: ..."): keep the reason.
  const lines = raw.split('\n').map((l) => l.trim()).filter((l) => l && !/Transform failed with \d+ error/.test(l))
  const reason = (lines[0] ?? raw).replace(/^.*?:\d+:\d+: (ERROR: )?/, '')
  return { ...(location ? { location } : {}), reason }
}

/** The error as "file:line:column: reason" (the file alone when the line is unknown). */
export function describeFileError(err: unknown, file: string): WorkloadFileError {
  if (err instanceof WorkloadFileError) return err
  const { location, reason } = explainFileError(err, file)
  return new WorkloadFileError(`${location ?? file}: ${reason}`, location)
}

function isDefined(x: unknown): x is DefinedWorkload {
  return typeof x === 'object' && x !== null && (x as Record<string, unknown>)[WORKLOAD_FILE_BRAND] === 1
}

function roleOf(name: string, given: VariantDetails<unknown>['role'] | undefined): VariantRole {
  if (given) return given
  if (name === 'naive' || name === 'baseline' || name === 'before') return 'naive'
  if (name === 'optimized' || name === 'after' || name === 'fast') return 'optimized'
  if (name === 'leaky') return 'leaky'
  return 'alternative'
}

function isDetails(v: unknown): v is VariantDetails<unknown> {
  return typeof v === 'object' && v !== null && 'impl' in v
}

/** The plain-data descriptor of a definition; throws WorkloadFileError naming every problem. */
export function describeDefinition(def: DefinedWorkload, file: string): WorkloadDescriptor {
  const problems: string[] = []
  if (typeof def.run !== 'function') problems.push('`run` must be a function (impl, state, ctx) => unknown')
  if (def.setup !== undefined && typeof def.setup !== 'function') problems.push('`setup` must be a function')
  if (def.checksum !== undefined && typeof def.checksum !== 'function') problems.push('`checksum` must be a function')
  if (def.opsPerIteration !== undefined && !(Number.isInteger(def.opsPerIteration) && def.opsPerIteration >= 1)) {
    problems.push('`opsPerIteration` must be a whole number >= 1')
  }
  const variantNames = typeof def.variants === 'object' && def.variants !== null ? Object.keys(def.variants) : []
  if (variantNames.length < 2) problems.push('`variants` needs at least two implementations (a "before" and an "after"), e.g. { naive, optimized }')
  const candidate = {
    id: def.id,
    title: def.title,
    description: def.description ?? '',
    operation: def.operation ?? 'one call of run()',
    variants: variantNames.map((name) => {
      const v = (def.variants as Record<string, unknown>)[name]
      const details = isDetails(v) ? v : undefined
      return { id: name, title: details?.title ?? name, description: details?.description ?? '', role: roleOf(name, details?.role) }
    }),
    defaultVariant: variantNames[0] ?? '',
    params: def.params ?? {},
    ...(def.rules ? { rules: def.rules } : {}),
    figureToBeat: '',
    file,
  }
  const parsed = workloadDescriptorSchema.safeParse(candidate)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.join('.')
      problems.push(where === 'id' || where.endsWith('.id') ? `${where}: ${issue.message} (lower-case letters, digits and dashes, starting with a letter)` : `${where || '(definition)'}: ${issue.message}`)
    }
  }
  for (const [name, spec] of Object.entries(def.params ?? {})) {
    if ((spec.type === 'int' || spec.type === 'number') && !(spec.min <= spec.default && spec.default <= spec.max)) {
      problems.push(`params.${name}: default ${spec.default} is outside ${spec.min}..${spec.max}`)
    }
    if (spec.type === 'enum' && !spec.values.includes(spec.default)) problems.push(`params.${name}: default "${spec.default}" is not one of ${spec.values.join(', ')}`)
  }
  if (parsed.success) problems.push(...paramRuleSpecProblems(parsed.data))
  for (const name of variantNames) {
    const v = (def.variants as Record<string, unknown>)[name]
    if (v === undefined || v === null) problems.push(`variants.${name} is ${String(v)}`)
  }
  if (problems.length > 0) throw new WorkloadFileError(`${file}: not a valid workload definition: ${problems.join('; ')}`)
  return parsed.data as WorkloadDescriptor
}

/** Imports the file and finds its definition: the default export, else a named `workload`, else the only defined one. */
export async function importDefinition(file: string): Promise<DefinedWorkload> {
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(path.resolve(file)).href)) as Record<string, unknown>
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(file)) {
      throw new WorkloadFileError(`${file}: no such file`)
    }
    throw describeFileError(err, file)
  }
  // tsx compiles some files to CommonJS; their exports then arrive under `default`.
  const nested = typeof mod.default === 'object' && mod.default !== null && !isDefined(mod.default) ? (mod.default as Record<string, unknown>) : undefined
  const pools = [mod, ...(nested ? [nested] : [])]
  for (const pool of pools) {
    if (isDefined(pool.default)) return pool.default
    if (isDefined(pool.workload)) return pool.workload
  }
  const all = pools.flatMap((p) => Object.values(p).filter(isDefined))
  if (all.length === 1) return all[0] as DefinedWorkload
  const names = Object.keys(mod).filter((k) => k !== '__esModule')
  if (all.length > 1) throw new WorkloadFileError(`${file}: exports ${all.length} workloads; export one as default`)
  throw new WorkloadFileError(
    `${file}: exports no workload (found ${names.length ? names.join(', ') : 'no exports'}); add \`export default defineWorkload({ ... })\` from 'hotpath/workload'`,
  )
}

/** Loads a workload file as a WorkloadModule. */
export async function loadWorkloadFile(file: string): Promise<WorkloadModule> {
  const def = await importDefinition(file)
  const descriptor = describeDefinition(def, file)
  return {
    descriptor,
    async create(ctx): Promise<WorkloadInstance> {
      const raw = (def.variants as Record<string, unknown>)[ctx.variant]
      if (raw === undefined) throw new WorkloadFileError(`${file}: no variant "${ctx.variant}" (variants: ${Object.keys(def.variants).join(', ')})`)
      const impl = isDetails(raw) ? raw.impl : raw
      const fileCtx = { variant: ctx.variant, params: ctx.params as ParamValues as never, seed: ctx.seed }
      const located = <T>(what: string, fn: () => T): T => {
        try {
          return fn()
        } catch (err) {
          throw tagged(err, what)
        }
      }
      const tagged = (err: unknown, what: string): WorkloadFileError => {
        if (err instanceof WorkloadFileError) return err
        const { location, reason } = explainFileError(err, file)
        return new WorkloadFileError(`${location ?? file}: ${what} threw: ${reason}`, location)
      }
      let state: unknown
      try {
        state = def.setup ? await def.setup(fileCtx) : undefined
      } catch (err) {
        throw tagged(err, 'setup()')
      }
      const run = def.run
      const checksum = def.checksum
      return {
        opsPerIteration: def.opsPerIteration ?? 1,
        iterate() {
          const out = located('run()', () => run(impl, state, fileCtx))
          if (out instanceof Promise) return out.then(() => undefined, (err: unknown) => Promise.reject(tagged(err, 'run()')))
          return undefined
        },
        async answer() {
          if (!checksum) return undefined
          try {
            return await checksum(impl, state, fileCtx)
          } catch (err) {
            throw tagged(err, 'checksum()')
          }
        },
        async close() {
          if (!def.teardown) return
          try {
            await def.teardown(state, fileCtx)
          } catch (err) {
            throw tagged(err, 'teardown()')
          }
        },
      }
    },
  }
}
