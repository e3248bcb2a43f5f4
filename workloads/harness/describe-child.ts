/**
 * Entry of the short-lived child that reads a workload file's descriptor (profilers/workload-file.ts), so
 * the parent (CLI, server, Electron main) validates parameters and variants without running user code in
 * its own process. Sends one message: { type: 'descriptor', descriptor } or { type: 'error', message, location }.
 */
import { describeDefinition, describeFileError, importDefinition } from './file-workload.js'

async function main(): Promise<void> {
  const file = process.argv[2]
  if (!file || !process.send) {
    process.stderr.write('hotpath: this is the workload-file describer; it is started by hotpath, not by hand.\n')
    process.exitCode = 2
    return
  }
  try {
    const descriptor = describeDefinition(await importDefinition(file), file)
    process.send({ type: 'descriptor', descriptor })
  } catch (err) {
    const e = describeFileError(err, file)
    process.send({ type: 'error', message: e.message, ...(e.location ? { location: e.location } : {}) })
  }
  process.disconnect?.()
}

void main()
