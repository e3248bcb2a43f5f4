/**
 * Debian's Chromium through playwright-core for the browser e2e specs: launch with the flags a
 * sandboxed CI container needs, collect page errors (a spec fails on any), and save screenshots to
 * test-results/screenshots/.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { type Browser, type Page, chromium } from 'playwright-core'
import { repoRoot } from './serve.js'

export const CHROMIUM_PATH = process.env.HOTPATH_CHROMIUM ?? '/usr/bin/chromium'
export const SCREENSHOT_DIR = path.join(repoRoot, 'test-results', 'screenshots')

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it (Debian: sudo apt-get install -y chromium) or set HOTPATH_CHROMIUM.`,
    )
  }
  // Headed only on request (scripts/e2e.mjs wraps that in xvfb-run when there is no display).
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: process.env.HOTPATH_E2E_HEADED !== '1' })
}

export interface AppPage {
  page: Page
  /** Uncaught page errors and console errors seen so far. */
  errors: string[]
}

/** A page at 1440x900 in the given colour scheme, collecting errors. */
export async function openPage(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<AppPage> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  return { page, errors }
}

/** A colour scheme and window size every view is looked at in. */
export interface Look {
  colorScheme: 'light' | 'dark'
  width: number
  height: number
}

/** Light and dark at 1440×900 and 1024×768, in that order. */
export const LOOKS: readonly Look[] = (['light', 'dark'] as const).flatMap((colorScheme) =>
  [
    [1440, 900],
    [1024, 768],
  ].map(([width, height]) => ({ colorScheme, width: width as number, height: height as number })),
)

/**
 * Runs `fn` once per look on a page of its own (opened by `open`, default openPage, then sized), and
 * closes the page after each.
 */
export async function forEachLook(
  browser: Browser,
  fn: (app: AppPage, look: Look) => Promise<void>,
  open: (colorScheme: Look['colorScheme']) => Promise<AppPage> = (colorScheme) => openPage(browser, { colorScheme }),
): Promise<void> {
  for (const look of LOOKS) {
    const app = await open(look.colorScheme)
    await app.page.setViewportSize({ width: look.width, height: look.height })
    try {
      await fn(app, look)
    } finally {
      await app.page.context().close()
    }
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}

/**
 * Drops files onto the window the way a user would from a file manager: dragenter, dragover and drop
 * events carrying a DataTransfer with File objects made in the page from the given bytes.
 */
export async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array; type?: string }[]): Promise<void> {
  const payload = files.map((f) => ({
    name: f.name,
    type: f.type ?? 'application/octet-stream',
    base64: Buffer.from(f.bytes).toString('base64'),
  }))
  await page.evaluate((items) => {
    const dt = new DataTransfer()
    for (const item of items) {
      const bin = atob(item.base64)
      const bytes = new Uint8Array(bin.length)
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
      dt.items.add(new File([bytes], item.name, { type: item.type }))
    }
    const target = document.querySelector('main') ?? document.body
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }))
    }
  }, payload)
}
