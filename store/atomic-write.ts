/**
 * Atomic file writes: write a temp file in the same folder, fsync, then rename over the target,
 * so a reader (or a crash) never sees a half-written file.
 */
import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import path from 'node:path'

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(tmp, 'wx', 0o644)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } catch (err) {
    await handle.close().catch(() => undefined)
    await rm(tmp, { force: true })
    throw err
  }
  await handle.close()
  try {
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

/** JSON with stable key order and a trailing newline, so stores diff cleanly in git. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, stableReplacer, 2) + '\n'
}

function stableReplacer(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
    const sorted: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k]
    return sorted
  }
  return value
}
