/**
 * The app window and its secure defaults: isolated, sandboxed renderer without Node; no new windows,
 * no navigation away from our page, no webviews, no permissions, and no network requests outside the
 * app's own files (and the Vite dev server in development).
 */
import { BrowserWindow, type Session, type WebContents, type WebPreferences } from 'electron'
import { openExternalAfterConfirm } from './dialogs.js'

/** The webPreferences every Hotpath window gets; exported so tests can assert each one. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  }
}

export interface MainWindowOptions {
  preloadPath: string
  /** The built index.html (production) or the dev server URL. */
  load: { file: string } | { url: string }
  /** True for our own page; navigation anywhere else is refused. */
  isAppUrl: (url: string) => boolean
  /** Opens a link in the user's browser after confirmation; default: https only, with a native dialog. */
  openExternal?: (url: string, parent: BrowserWindow) => Promise<unknown>
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Hotpath',
    backgroundColor: '#111318',
    webPreferences: secureWebPreferences(options.preloadPath),
  })
  const openExternal = options.openExternal ?? ((url: string, parent: BrowserWindow) => openExternalAfterConfirm(url, parent))
  hardenWebContents(win.webContents, options.isAppUrl, (url) => void openExternal(url, win))
  win.once('ready-to-show', () => win.show())
  if ('file' in options.load) void win.loadFile(options.load.file)
  else void win.loadURL(options.load.url)
  return win
}

/**
 * Applies the navigation rules to one WebContents: window.open and target=_blank never create a window
 * (https links may go to the user's browser, via `openExternal`), and navigating or redirecting away
 * from our page is cancelled. In-page navigation (the #route) does not fire these events.
 */
export function hardenWebContents(contents: WebContents, isAppUrl: (url: string) => boolean, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:/i.test(url)) openExternal(url)
    return { action: 'deny' }
  })
  const block = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault()
  }
  contents.on('will-navigate', block)
  contents.on('will-redirect', block)
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/**
 * Session-wide rules: every permission request is denied but clipboard writes (copy buttons), and only
 * requests for the app's own files, the dev server and DevTools may leave the renderer.
 */
export function hardenSession(session: Session, isAllowedRequestUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'))
  session.setPermissionCheckHandler((_contents, permission) => permission === 'clipboard-sanitized-write')
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url) })
  })
}

/**
 * Decides which request URLs the renderer may load: files under the app folder, data:/blob: URLs,
 * DevTools, and the dev server origin when set.
 */
export function createRequestFilter(opts: { appRootUrl: string; devServerOrigin?: string }): (url: string) => boolean {
  const root = opts.appRootUrl.endsWith('/') ? opts.appRootUrl : `${opts.appRootUrl}/`
  return (url) => {
    if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('devtools:')) return true
    if (url.startsWith('file:')) {
      try {
        // new URL resolves "..": a file:///app/../etc/passwd request is judged by where it really points.
        return new URL(url).href.startsWith(root)
      } catch {
        return false
      }
    }
    if (opts.devServerOrigin) {
      try {
        const parsed = new URL(url)
        const wsOrigin = opts.devServerOrigin.replace(/^http/, 'ws')
        return parsed.origin === opts.devServerOrigin || `${parsed.protocol}//${parsed.host}` === wsOrigin
      } catch {
        return false
      }
    }
    return false
  }
}
