/**
 * The desktop app's settings file (`settings.json` in Electron's userData): today the workloads folder
 * Launch lists files from, the desktop counterpart of `hotpath serve --workloads DIR`. Written atomically
 * (temp file beside it, then rename); a missing file is no settings, an unreadable one is reported and
 * ignored so the app still starts.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { stableJson, writeFileAtomic } from '../store/atomic-write.js'

export const desktopSettingsSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** Absolute path of the workloads folder. */
    workloadsFolder: z.string().min(1).optional(),
  })
  .strict()
export type DesktopSettings = z.infer<typeof desktopSettingsSchema>

/** The settings in `file`; `problem` says why a file that exists could not be used. */
export async function readDesktopSettings(file: string): Promise<{ settings: DesktopSettings; problem?: string }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: { schemaVersion: 1 } }
    return { settings: { schemaVersion: 1 }, problem: `${file}: ${(err as Error).message}` }
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    return { settings: { schemaVersion: 1 }, problem: `${file}: not JSON (${(err as Error).message})` }
  }
  const parsed = desktopSettingsSchema.safeParse(raw)
  if (!parsed.success) return { settings: { schemaVersion: 1 }, problem: `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}` }
  return { settings: parsed.data }
}

/** Changes some settings and writes the file atomically (other fields kept). */
export async function updateDesktopSettings(file: string, patch: Omit<Partial<DesktopSettings>, 'schemaVersion'>): Promise<DesktopSettings> {
  const { settings } = await readDesktopSettings(file)
  const next = desktopSettingsSchema.parse({ ...settings, ...patch, schemaVersion: 1 })
  await writeFileAtomic(file, stableJson(next))
  return next
}
