/**
 * electron/main/windows.ts and the link confirmation in dialogs.ts, with `electron` mocked: the
 * window's webPreferences, denied window.open, blocked navigation and webviews, session permissions
 * and the request filter, and https-only external links after the user confirms.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'

type Listener = (...args: unknown[]) => unknown

const mock = vi.hoisted(() => {
  const created: { options: Record<string, unknown>; contents: ReturnType<typeof makeContents>; loaded: string[] }[] = []
  function makeContents() {
    const listeners = new Map<string, Listener[]>()
    return {
      listeners,
      openHandler: undefined as undefined | ((details: { url: string }) => { action: string }),
      setWindowOpenHandler(fn: (details: { url: string }) => { action: string }) {
        this.openHandler = fn
      },
      on(name: string, fn: Listener) {
        listeners.set(name, [...(listeners.get(name) ?? []), fn])
      },
      emit(name: string, ...args: unknown[]) {
        for (const fn of listeners.get(name) ?? []) fn(...args)
      },
    }
  }
  class BrowserWindow {
    webContents = makeContents()
    loaded: string[] = []
    constructor(readonly options: Record<string, unknown>) {
      created.push({ options, contents: this.webContents, loaded: this.loaded })
    }
    once() {}
    show() {}
    loadFile(file: string) {
      this.loaded.push(`file:${file}`)
      return Promise.resolve()
    }
    loadURL(url: string) {
      this.loaded.push(`url:${url}`)
      return Promise.resolve()
    }
  }
  return {
    created,
    makeContents,
    BrowserWindow,
    dialog: { showMessageBox: vi.fn(async () => ({ response: 0 })) },
    shell: { openExternal: vi.fn(async () => undefined) },
  }
})

vi.mock('electron', () => ({ BrowserWindow: mock.BrowserWindow, dialog: mock.dialog, shell: mock.shell }))

import { openExternalAfterConfirm } from '../../../../electron/main/dialogs.js'
import { createMainWindow, createRequestFilter, hardenSession, secureWebPreferences } from '../../../../electron/main/windows.js'

const APP = 'file:///app/dist/renderer/index.html'
const isAppUrl = (url: string): boolean => url.split('#')[0] === APP

beforeEach(() => {
  mock.created.length = 0
  mock.dialog.showMessageBox.mockClear()
  mock.shell.openExternal.mockClear()
})

describe('the main window', () => {
  it('is isolated, sandboxed, without Node, with web security, and loads our page', () => {
    createMainWindow({ preloadPath: '/app/dist/electron/preload/index.cjs', load: { file: '/app/dist/renderer/index.html' }, isAppUrl })
    const { options, loaded } = mock.created[0]!
    const prefs = options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    expect(prefs).toEqual(secureWebPreferences('/app/dist/electron/preload/index.cjs'))
    expect(loaded).toEqual(['file:/app/dist/renderer/index.html'])
  })

  it('never opens a window; https links go to the browser (after confirmation), others nowhere', () => {
    const openExternal = vi.fn(async () => true)
    createMainWindow({ preloadPath: 'p', load: { url: 'http://127.0.0.1:5173/' }, isAppUrl, openExternal })
    const { contents, loaded } = mock.created[0]!
    expect(loaded).toEqual(['url:http://127.0.0.1:5173/'])
    for (const url of [
      'https://github.com/jlfwong/speedscope',
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      APP,
    ]) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' })
    }
    expect(openExternal.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['https://github.com/jlfwong/speedscope'])
  })

  it('cancels navigation and redirects away from our page, and every webview', () => {
    createMainWindow({ preloadPath: 'p', load: { file: '/app/dist/renderer/index.html' }, isAppUrl })
    const { contents } = mock.created[0]!
    const attempt = (name: string, url: string): boolean => {
      const event = { preventDefault: vi.fn() }
      contents.emit(name, event, url)
      return event.preventDefault.mock.calls.length > 0
    }
    expect(attempt('will-navigate', 'https://evil.example/')).toBe(true)
    expect(attempt('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(attempt('will-redirect', 'https://evil.example/')).toBe(true)
    expect(attempt('will-navigate', `${APP}#/runs`)).toBe(false)
    expect(attempt('will-attach-webview', 'https://anything/')).toBe(true)
  })
})

describe('openExternalAfterConfirm', () => {
  it('opens https links only when the user says so', async () => {
    mock.dialog.showMessageBox.mockResolvedValueOnce({ response: 0 })
    expect(await openExternalAfterConfirm('https://example.com/docs', undefined)).toBe(true)
    expect(mock.shell.openExternal).toHaveBeenCalledWith('https://example.com/docs')
    mock.dialog.showMessageBox.mockResolvedValueOnce({ response: 1 })
    expect(await openExternalAfterConfirm('https://example.com/other', undefined)).toBe(false)
    expect(mock.shell.openExternal).toHaveBeenCalledTimes(1)
  })

  it('refuses anything but https without asking', async () => {
    for (const url of ['http://example.com/', 'file:///Applications/Calculator.app', 'ms-msdt:/id', 'javascript:alert(1)', 'not a url']) {
      expect(await openExternalAfterConfirm(url, undefined)).toBe(false)
    }
    expect(mock.dialog.showMessageBox).not.toHaveBeenCalled()
    expect(mock.shell.openExternal).not.toHaveBeenCalled()
  })
})

describe('the session', () => {
  function fakeSession() {
    let permission: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined
    let check: ((c: unknown, p: string) => boolean) | undefined
    let beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined
    const session = {
      setPermissionRequestHandler: (fn: typeof permission) => (permission = fn),
      setPermissionCheckHandler: (fn: typeof check) => (check = fn),
      webRequest: { onBeforeRequest: (fn: typeof beforeRequest) => (beforeRequest = fn) },
    }
    return {
      session,
      ask: (p: string) => new Promise<boolean>((resolve) => permission!(null, p, resolve)),
      check: (p: string) => check!(null, p),
      request: (url: string) => new Promise<boolean>((resolve) => beforeRequest!({ url }, (r) => resolve(!r.cancel))),
    }
  }

  it('denies every permission but clipboard writes, and requests outside the app', async () => {
    const s = fakeSession()
    hardenSession(s.session as never, createRequestFilter({ appRootUrl: 'file:///app' }))
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen']) expect(await s.ask(p), p).toBe(false)
    expect(await s.ask('clipboard-sanitized-write')).toBe(true)
    expect(s.check('media')).toBe(false)
    expect(await s.request('file:///app/dist/renderer/assets/index.js')).toBe(true)
    expect(await s.request('https://evil.example/beacon')).toBe(false)
    expect(await s.request('file:///etc/passwd')).toBe(false)
  })

  it('filters request URLs by where they really point', () => {
    const allowed = createRequestFilter({ appRootUrl: 'file:///app/' })
    expect(allowed('file:///app/dist/renderer/index.html')).toBe(true)
    expect(allowed('file:///app/../etc/passwd')).toBe(false)
    expect(allowed('file:///application/x.js')).toBe(false)
    expect(allowed('data:image/png;base64,AAAA')).toBe(true)
    expect(allowed('blob:file:///1234')).toBe(true)
    expect(allowed('http://127.0.0.1:5173/src/main.tsx')).toBe(false)
    const dev = createRequestFilter({ appRootUrl: 'file:///app', devServerOrigin: 'http://127.0.0.1:5173' })
    expect(dev('http://127.0.0.1:5173/src/main.tsx')).toBe(true)
    expect(dev('ws://127.0.0.1:5173/')).toBe(true)
    expect(dev('http://127.0.0.1:5174/')).toBe(false)
    expect(dev('https://cdn.example/react.js')).toBe(false)
  })
})
