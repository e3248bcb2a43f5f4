#!/usr/bin/env node
/**
 * The `hotpath` command: finds the subcommand in cli/commands/, runs it with a CliContext, and
 * turns errors into exit codes (2 for bad usage or input, with a message that says what to fix).
 */
import { readdirSync, realpathSync } from 'node:fs'
import { pathToFileURL, fileURLToPath } from 'node:url'
import path from 'node:path'
import { type CliCommand, type CliContext, EXIT, UsageError } from './context.js'
import { ApiValidationError } from '../core/api/contract.js'
import { WorkbenchError } from '../service/index.js'

const commandsDir = fileURLToPath(new URL('./commands/', import.meta.url))
const ext = path.extname(fileURLToPath(import.meta.url))

function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -ext.length))
    .sort()
}

async function loadCommand(name: string): Promise<CliCommand | undefined> {
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !commandNames().includes(name)) return undefined
  const mod = (await import(pathToFileURL(path.join(commandsDir, name + ext)).href)) as { command?: CliCommand }
  return mod.command
}

/** The order commands are listed in `hotpath --help` (DESIGN.md's contract); others follow alphabetically. */
const ORDER = ['workloads', 'run', 'sweep', 'list', 'show', 'delete', 'compare', 'top', 'heap', 'heap-diff', 'export-profile', 'env', 'export', 'import', 'profile', 'serve']

async function helpText(): Promise<string> {
  const names = commandNames().sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b))
  const lines: string[] = []
  for (const name of names) {
    const cmd = await loadCommand(name)
    if (cmd) lines.push(`  ${name.padEnd(16)}${cmd.summary}`)
  }
  return [
    'hotpath — profile trading workloads, save runs, compare them.',
    '',
    'Usage: hotpath <command> [options]       hotpath <command> --help for details',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command that touches runs takes --store DIR (default: HOTPATH_HOME, else the app-data folder).',
    'Exit codes: 0 ok, 1 regression found by a gate, 2 bad usage or input, 3 the workload failed.',
    '',
  ].join('\n')
}

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(await helpText())
    return name ? EXIT.ok : EXIT.usage
  }
  if (name === '--version' || name === '-v') {
    ctx.stdout.write(`${await readVersion()}\n`)
    return EXIT.ok
  }
  const command = await loadCommand(name)
  if (!command) {
    ctx.stderr.write(`hotpath: unknown command "${name}". Commands: ${commandNames().join(', ')}\n`)
    return EXIT.usage
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout.write(command.usage.endsWith('\n') ? command.usage : command.usage + '\n')
    return EXIT.ok
  }
  try {
    return await command.run(rest, ctx)
  } catch (err) {
    ctx.stderr.write(`hotpath ${name}: ${describeError(err, ctx.env)}\n`)
    return EXIT.usage
  }
}

/**
 * One line for the user, never a stack trace: usage errors and the service's errors carry a message that
 * says what to fix. Anything else (a bug) is one line too, with the stack only under HOTPATH_DEBUG=1.
 */
export function describeError(err: unknown, env: NodeJS.ProcessEnv): string {
  if (err instanceof UsageError || err instanceof ApiValidationError) return err.message
  // The service's sentences start with a capital; after "hotpath <command>: " the CLI's start in lower case.
  if (err instanceof WorkbenchError && err.code !== 'internal') return /^[A-Z][a-z]/.test(err.message) ? err.message[0]!.toLowerCase() + err.message.slice(1) : err.message
  const message = err instanceof Error ? err.message : String(err)
  if (env.HOTPATH_DEBUG === '1' && err instanceof Error && err.stack) return err.stack
  return `${message.split('\n')[0] || 'unexpected error'} (set HOTPATH_DEBUG=1 for details)`
}

async function readVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

/**
 * True when this file is the program Node started (`node dist/cli/index.js`). Symlinks are resolved on
 * both sides, so a linked copy counts too. bin/hotpath.js (what npx, npm exec, node_modules/.bin and a
 * global install run, often through a symlink) calls main() itself and does not depend on this.
 */
export function isMainModule(entry: string | undefined, moduleUrl: string): boolean {
  if (!entry) return false
  try {
    return realpathSync(path.resolve(entry)) === realpathSync(fileURLToPath(moduleUrl))
  } catch {
    return false
  }
}

/** Runs the CLI as a process: signals cancel, the exit code is set, nothing escapes as a stack trace. */
export function main(argv: string[] = process.argv.slice(2)): void {
  const controller = new AbortController()
  let interrupts = 0
  const onSignal = (): void => {
    interrupts++
    if (interrupts > 1) process.exit(130)
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // `hotpath top … | head`: the reader left after the lines it wanted. The rest of the output has nowhere
  // to go, which is not an error of the command (a run still finishes and is saved); anything else is.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return
    throw err
  })
  runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  }).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      process.stderr.write(`hotpath: ${describeError(err, process.env)}\n`)
      process.exitCode = 2
    },
  )
}

if (isMainModule(process.argv[1], import.meta.url)) main()
