/**
 * The desktop "Workloads folder" setting: the folder Launch lists `*.bench.ts` files from (what
 * `hotpath serve --workloads DIR` is in browser mode). Kept in `settings.json` under userData, written
 * atomically by the service's settings module; changed through the Launch view's "Choose…" button
 * (chooseWorkloadFolder over IPC, checked like every channel) and File > Workloads Folder…, both of
 * which open the native folder dialog here. Only files under the folder may run.
 */
import { type BrowserWindow, dialog } from 'electron'
import { type WorkbenchServiceOptions, readDesktopSettings, updateDesktopSettings } from '../../service/index.js'

export type WorkloadFolderSetting = NonNullable<WorkbenchServiceOptions['workloadFolderSetting']>

/** The folder dialog; undefined when the user cancels. */
export async function chooseFolderWithDialog(parent: BrowserWindow | undefined, current?: string): Promise<string | undefined> {
  const options = {
    title: 'Workloads folder',
    message: 'Choose the folder whose *.bench.ts files Launch lists and runs',
    buttonLabel: 'Use this folder',
    properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
    ...(current ? { defaultPath: current } : {}),
  }
  const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
  if (picked.canceled || picked.filePaths.length === 0) return undefined
  return picked.filePaths[0]
}

/** The service's hooks for the setting: ask with the dialog, save to `settingsFile`. */
export function workloadFolderSetting(settingsFile: string, parent: () => BrowserWindow | undefined): WorkloadFolderSetting {
  return {
    async choose() {
      const { settings } = await readDesktopSettings(settingsFile)
      return chooseFolderWithDialog(parent(), settings.workloadsFolder)
    },
    async save(folder) {
      await updateDesktopSettings(settingsFile, { workloadsFolder: folder })
    },
  }
}

/** The saved folder at startup (undefined when none); a broken settings file is logged and ignored. */
export async function savedWorkloadsFolder(settingsFile: string, log: (message: string) => void): Promise<string | undefined> {
  const { settings, problem } = await readDesktopSettings(settingsFile)
  if (problem) log(`settings ignored: ${problem}`)
  return settings.workloadsFolder
}
