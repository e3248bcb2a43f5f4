/**
 * Writes a file the user named (a report, an exported profile, a bundle) atomically: the bytes go to a
 * temp file beside the target, which is renamed over it once complete. Targets that cannot be written
 * (a missing folder, a directory, a read-only folder) fail before any work with a message that says so,
 * and a failure on the way removes the temp file, so nothing is left behind anywhere else.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { access, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ServiceInputError } from './input-error.js'

/** The target cannot be written as asked; the message names the path and what to do. */
export class OutputFileError extends ServiceInputError {
  constructor(message: string) {
    super(message)
    this.name = 'OutputFileError'
  }
}

/**
 * Checks that `file` can be created or replaced: its folder exists, is a folder and is writable, and the
 * file itself is not a directory. Returns the absolute path.
 */
export async function checkOutputFile(file: string): Promise<string> {
  const target = path.resolve(file)
  const dir = path.dirname(target)
  const dirInfo = await stat(dir).catch(() => undefined)
  if (!dirInfo) throw new OutputFileError(`cannot write ${target}: the folder ${dir} does not exist`)
  if (!dirInfo.isDirectory()) throw new OutputFileError(`cannot write ${target}: ${dir} is not a folder`)
  const info = await stat(target).catch(() => undefined)
  if (info?.isDirectory())
    throw new OutputFileError(`cannot write ${target}: it is a folder; name a file inside it, e.g. ${path.join(target, 'out')}`)
  try {
    await access(dir, constants.W_OK)
  } catch {
    throw new OutputFileError(`cannot write ${target}: the folder ${dir} is not writable`)
  }
  return target
}

const FS_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'the folder does not accept new files',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  EXDEV: 'the temp file and the target are on different file systems',
}

/**
 * Produces `file` through `produce(tmpPath)`, which writes the complete content to the temp path it is
 * given; the temp file is renamed over the target on success and removed on failure.
 */
export async function writeFileAtomicallyWith(file: string, produce: (tmpPath: string) => Promise<void>): Promise<string> {
  const target = await checkOutputFile(file)
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await produce(tmp)
    await rename(tmp, target)
  } catch (err) {
    await rm(tmp, { force: true, recursive: true })
    const code = (err as NodeJS.ErrnoException).code
    // What the file system says about the target is the user's to fix (a read-only or full disk, a pseudo-file system).
    if (typeof code === 'string' && FS_PROBLEMS[code]) throw new OutputFileError(`cannot write ${target}: ${FS_PROBLEMS[code]}`)
    throw err
  }
  return target
}

/** Writes text or bytes to `file` atomically (see writeFileAtomicallyWith). */
export function writeOutputFile(file: string, data: string | Uint8Array): Promise<string> {
  return writeFileAtomicallyWith(file, (tmp) => writeFile(tmp, data, { flag: 'wx' }))
}
