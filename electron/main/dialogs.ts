/**
 * Native dialogs for the desktop menu (File > Import…, File > Export All Runs…) and the confirmation
 * before a link opens in the user's browser. Main-process only: nothing here is reachable over IPC.
 */
import { type BrowserWindow, dialog, shell } from 'electron'
import type { ImportResult } from '../../core/api/schemas.js'
import type { WorkbenchService } from '../../service/index.js'

const IMPORT_FILTERS = [
  { name: 'Hotpath bundles and profiles', extensions: ['tgz', 'gz', 'cpuprofile', 'heapsnapshot', 'heapprofile'] },
  { name: 'All files', extensions: ['*'] },
]

/** Lets the user pick bundles or profiles and imports each; reports what happened in one message box. */
export async function importWithDialog(service: WorkbenchService, parent: BrowserWindow | undefined): Promise<ImportResult[]> {
  const options = {
    title: 'Import runs or profiles',
    properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[],
    filters: IMPORT_FILTERS,
  }
  const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
  if (picked.canceled || picked.filePaths.length === 0) return []
  const results: ImportResult[] = []
  const lines: string[] = []
  for (const file of picked.filePaths) {
    try {
      const result = await service.importLocalFile(file)
      results.push(result)
      lines.push(
        `${file}: imported ${result.imported.length} run(s)${result.skipped.length ? `, skipped ${result.skipped.map((s) => `${s.id} (${s.reason})`).join(', ')}` : ''}`,
      )
    } catch (err) {
      lines.push(`${file}: ${(err as Error).message}`)
    }
  }
  await showMessage(parent, { type: 'info', message: 'Import finished', detail: lines.join('\n') })
  return results
}

/** Asks where to save a bundle of every run in the store, then writes it there. */
export async function exportAllWithDialog(service: WorkbenchService, parent: BrowserWindow | undefined): Promise<string | undefined> {
  const runs = await service.listRuns()
  if (runs.length === 0) {
    await showMessage(parent, { type: 'info', message: 'There are no runs to export yet.' })
    return undefined
  }
  const stamp = new Date().toISOString().slice(0, 16).replace(/:/g, '')
  const options = {
    title: `Export ${runs.length} runs`,
    defaultPath: `hotpath-runs-${stamp}.tgz`,
    filters: [{ name: 'Hotpath bundle', extensions: ['tgz'] }],
  }
  const picked = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
  if (picked.canceled || !picked.filePath) return undefined
  try {
    await service.exportRunsToFile(
      runs.map((r) => r.id),
      picked.filePath,
    )
    await showMessage(parent, { type: 'info', message: `Exported ${runs.length} runs`, detail: picked.filePath })
    return picked.filePath
  } catch (err) {
    await showMessage(parent, { type: 'error', message: 'Export failed', detail: (err as Error).message })
    return undefined
  }
}

/**
 * Opens an https link in the user's browser after they confirm; anything else (http, file, custom
 * schemes) is refused, because a page-controlled URL handed to the OS can launch programs.
 */
export async function openExternalAfterConfirm(url: string, parent: BrowserWindow | undefined): Promise<boolean> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'https:') return false
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
    message: 'Open this link in your browser?',
    detail: parsed.href,
  }
  const answer = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options)
  if (answer.response !== 0) return false
  await shell.openExternal(parsed.href)
  return true
}

async function showMessage(
  parent: BrowserWindow | undefined,
  options: { type: 'info' | 'error'; message: string; detail?: string },
): Promise<void> {
  if (parent) await dialog.showMessageBox(parent, options)
  else await dialog.showMessageBox(options)
}
