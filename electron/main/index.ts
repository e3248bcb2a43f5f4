/**
 * Electron main: app lifecycle, the store location, the one WorkbenchService wired to IPC, the window
 * and the menu. Workloads run in child processes with the user's chosen Node, or Electron's own
 * binary acting as Node (ELECTRON_RUN_AS_NODE=1) when they choose none.
 */
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BrowserWindow, app, session } from 'electron'
import { type WorkbenchService, openWorkbenchService } from '../../service/index.js'
import { exportAllWithDialog, importWithDialog } from './dialogs.js'
import { type TrustedPages, createSenderCheck, forwardEvents, isTrustedPageUrl, registerIpc } from './ipc.js'
import { installAppMenu } from './menu.js'
import { chooseFolderWithDialog, savedWorkloadsFolder, workloadFolderSetting } from './workloads-folder.js'
import { createMainWindow, createRequestFilter, hardenSession, hardenWebContents } from './windows.js'

const here = path.dirname(fileURLToPath(import.meta.url))
/** dist/: this file is dist/electron/main/index.js. */
const distDir = path.resolve(here, '..', '..')
const preloadPath = path.join(distDir, 'electron', 'preload', 'index.cjs')
const rendererIndex = path.join(distDir, 'renderer', 'index.html')
/** The folder holding dist/ and node_modules/: the repository in development, app.asar when packaged. */
const appRoot = path.dirname(distDir)

/**
 * The run store: HOTPATH_HOME when set (tests, power users), else a "store" folder in Electron's
 * userData (~/Library/Application Support/Hotpath/store, ~/.config/Hotpath/store, %APPDATA%\Hotpath\store).
 */
export function desktopStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOTPATH_HOME ? path.resolve(env.HOTPATH_HOME) : path.join(app.getPath('userData'), 'store')
}

/**
 * What workload children run with when a run request names no runtime: HOTPATH_RUNTIME (a Node binary
 * the user chose) or Electron's own binary in Node mode. The executor receives this as `defaultRuntime`.
 */
export function workloadRuntime(env: NodeJS.ProcessEnv = process.env): { path: string; env: NodeJS.ProcessEnv } {
  if (env.HOTPATH_RUNTIME) return { path: env.HOTPATH_RUNTIME, env: {} }
  return { path: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } }
}

/** The Vite dev server, only for an unpackaged app and only on loopback (HOTPATH_DEV_URL=http://127.0.0.1:5173/). */
function devServerUrl(): URL | undefined {
  const raw = process.env.HOTPATH_DEV_URL
  if (!raw || app.isPackaged) return undefined
  try {
    const url = new URL(raw)
    if (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost')) return url
  } catch {
    // Fall through: a bad value is reported below and the built files are used.
  }
  process.stderr.write(`hotpath: ignoring HOTPATH_DEV_URL=${raw} (only http://127.0.0.1:PORT or http://localhost:PORT)\n`)
  return undefined
}

function main(): void {
  app.setName('Hotpath')
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  const log = (message: string): void => void process.stderr.write(`hotpath: ${message}\n`)
  const dev = devServerUrl()
  const trusted: TrustedPages = { appIndexUrl: pathToFileURL(rendererIndex).href, ...(dev ? { devServerOrigin: dev.origin } : {}) }
  const isAppUrl = (url: string): boolean => isTrustedPageUrl(url, trusted)

  let service: WorkbenchService | undefined
  let mainWindow: BrowserWindow | undefined
  const disposers: (() => void)[] = []

  const openWindow = (): BrowserWindow => {
    mainWindow = createMainWindow({ preloadPath, load: dev ? { url: dev.href } : { file: rendererIndex }, isAppUrl })
    mainWindow.on('closed', () => {
      mainWindow = undefined
    })
    return mainWindow
  }

  // Windows are hardened by createMainWindow (the only way one is made: window.open is denied); any
  // other guest contents (webviews, which are refused anyway) get the same rules, opening nothing outside.
  app.on('web-contents-created', (_event, contents) => {
    const type = contents.getType()
    if (type === 'webview' || type === 'browserView') hardenWebContents(contents, isAppUrl, () => undefined)
  })

  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.focus()
    }
  })

  void app.whenReady().then(async () => {
    hardenSession(
      session.defaultSession,
      createRequestFilter({ appRootUrl: pathToFileURL(appRoot).href, ...(dev ? { devServerOrigin: dev.origin } : {}) }),
    )
    const storeDir = desktopStoreDir()
    // The workloads folder Launch lists (like `serve --workloads DIR`), saved in userData/settings.json.
    const settingsFile = path.join(app.getPath('userData'), 'settings.json')
    const workloadsFolder = await savedWorkloadsFolder(settingsFile, log)
    service = openWorkbenchService(
      { dir: storeDir },
      {
        defaultRuntime: workloadRuntime(),
        log,
        workloadFiles: { allowOutside: false, ...(workloadsFolder ? { root: workloadsFolder } : {}) },
        workloadFolderSetting: workloadFolderSetting(settingsFile, () => mainWindow),
      },
    )
    const svc = service
    disposers.push(registerIpc(svc, createSenderCheck(trusted), log))
    disposers.push(forwardEvents(svc, () => BrowserWindow.getAllWindows().map((w) => w.webContents), isAppUrl))
    installAppMenu(
      {
        importFiles: () => void importWithDialog(svc, mainWindow).catch((err: unknown) => log(`import failed: ${String(err)}`)),
        exportAllRuns: () => void exportAllWithDialog(svc, mainWindow).catch((err: unknown) => log(`export failed: ${String(err)}`)),
        chooseWorkloadsFolder: () =>
          void (async () => {
            const current = (await svc.getWorkloadFolder()).folder ?? undefined
            const picked = await chooseFolderWithDialog(mainWindow, current)
            if (!picked) return
            await svc.setWorkloadFolder(picked)
            // The renderer loads the workload catalogue once: a reload shows the new folder's files.
            mainWindow?.webContents.reload()
          })().catch((err: unknown) => log(`workloads folder: ${String(err)}`)),
      },
      { isMac: process.platform === 'darwin', appName: 'Hotpath', devTools: !app.isPackaged || process.env.HOTPATH_DEVTOOLS === '1' },
    )
    log(`store: ${storeDir}${workloadsFolder ? `; workloads folder: ${workloadsFolder}` : ''}`)
    openWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  // Runs in progress are cancelled and saved (as "cancelled") before the app exits.
  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting || !service || service.activeRunIds().length === 0) {
      for (const dispose of disposers.splice(0)) dispose()
      return
    }
    event.preventDefault()
    quitting = true
    void service.dispose().finally(() => app.quit())
  })
}

main()
