/**
 * Hosts 0x in a process of its own: 0x installs SIGINT/SIGTERM/exit handlers in whatever process
 * calls it, so it must not run inside the CLI, the server or Electron. Reads its job from argv[2]
 * (JSON), runs the workload child under `node --prof` with the chosen runtime, and writes 0x's
 * flamegraph.html and ticks.json into the job's output folder.
 */
import { createRequire } from 'node:module'

interface ZeroXJob {
  childEntry: string
  runtimePath: string
  workingDir: string
  outputDir: string
  title: string
}

type ZeroEks = (args: Record<string, unknown>) => Promise<string>

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ZeroXJob
  const require = createRequire(import.meta.url)
  let zeroEks: ZeroEks
  try {
    zeroEks = require('0x') as ZeroEks
  } catch (err) {
    process.stderr.write(`0x is not installed (${(err as Error).message}); it is an optional dependency of Hotpath\n`)
    process.exit(4)
  }
  const file = await zeroEks({
    argv: [job.childEntry],
    workingDir: job.workingDir,
    outputDir: job.outputDir,
    pathToNodeBinary: job.runtimePath,
    name: 'flamegraph',
    title: job.title,
    writeTicks: true,
    status: () => undefined,
  })
  process.stdout.write(JSON.stringify({ file }) + '\n')
}

main().catch((err: unknown) => {
  process.stderr.write(`0x failed: ${(err as Error)?.stack ?? String(err)}\n`)
  process.exitCode = 1
})
