/**
 * The only place that talks to ipcMain: one handler per WorkbenchApi channel, each refusing senders
 * other than our own app page, and the forwarding of engine events to the windows.
 */
import { type IpcMainInvokeEvent, type WebContents, ipcMain } from 'electron'
import { type ApiMethod, type WorkbenchApi, apiChannel, eventChannel } from '../../core/api/contract.js'
import type { IpcResult } from '../../core/api/ipc-result.js'
import { type AnyEventListener, toWorkbenchError } from '../../service/index.js'

/** Decides whether an IPC request comes from our own app page (and its top frame). */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

/** Where our app page may be loaded from. */
export interface TrustedPages {
  /** `file:///…/dist/renderer/index.html` of this build. */
  appIndexUrl: string
  /** The Vite dev server origin (`http://127.0.0.1:5173`), only when running unpackaged in dev. */
  devServerOrigin?: string
}

/** True when `url` is our app page: the built index.html (any hash or query) or a page of the dev server. */
export function isTrustedPageUrl(url: string, trusted: TrustedPages): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === 'file:') {
    const index = new URL(trusted.appIndexUrl)
    return parsed.host === index.host && parsed.pathname === index.pathname
  }
  return (
    trusted.devServerOrigin !== undefined &&
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    parsed.origin === trusted.devServerOrigin
  )
}

/** A SenderCheck that accepts only the top frame of a page `isTrustedPageUrl` accepts (no iframes, no navigated-away frames). */
export function createSenderCheck(trusted: TrustedPages): SenderCheck {
  return (event) => {
    const frame = event.senderFrame
    if (!frame) return false
    if (frame.parent !== null) return false
    return isTrustedPageUrl(frame.url, trusted)
  }
}

/**
 * Registers one `ipcMain.handle` per entry of apiChannel. Arguments go to the service untouched: it
 * validates them with the contract's schemas. Replies are IpcResult envelopes; requests from untrusted
 * senders are refused with an Error and never reach the service. Returns the function that unregisters.
 */
export function registerIpc(
  service: WorkbenchApi,
  isTrustedSender: SenderCheck,
  log: (message: string) => void = () => undefined,
): () => void {
  const names = Object.keys(apiChannel) as ApiMethod[]
  for (const name of names) {
    const call = service[name] as (...args: unknown[]) => Promise<unknown>
    ipcMain.handle(apiChannel[name], async (event, ...args: unknown[]): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event)) {
        const from = event.senderFrame?.url ?? 'a frame that is gone'
        log(`refused ${name} from ${from}`)
        throw new Error(`Rejected ${name} from ${from}`)
      }
      try {
        return { ok: true, value: await call.apply(service, args) }
      } catch (err) {
        const error = toWorkbenchError(err)
        if (error.code === 'internal') log(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
        return { ok: false, error: error.toBody().error }
      }
    })
  }
  return () => {
    for (const name of names) ipcMain.removeHandler(apiChannel[name])
  }
}

/**
 * Sends every engine event to the app windows on its own channel (`workbench-event:<name>`), skipping
 * contents that are destroyed or not showing our page. Returns the unsubscribe function.
 */
export function forwardEvents(
  source: { onAny(listener: AnyEventListener): () => void },
  targets: () => readonly WebContents[],
  isTrustedPage: (url: string) => boolean,
): () => void {
  return source.onAny((name, payload) => {
    for (const contents of targets()) {
      if (contents.isDestroyed() || !isTrustedPage(contents.getURL())) continue
      contents.send(eventChannel[name], payload)
    }
  })
}
