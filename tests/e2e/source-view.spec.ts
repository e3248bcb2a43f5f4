/**
 * The source view (issue 13, item 2): a real profiled naive order book run made with the CLI, opened in
 * the browser against `hotpath serve`. Searching rebuildHeap in the flame graph and pressing its Source
 * action opens the function's script with highlighted code, the body marked and the hottest line of the
 * body (worked out here from the saved profile's positionTicks) marked and on screen; Escape closes it; the
 * call tree row's Source button opens it too. Screenshots at 1440x900 and 1024x768, light and dark.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { functionBodyLines } from '../../core/model/line-ticks.js'
import { openRunStore } from '../../store/run-store.js'
import { launchBrowser, openPage, screenshot, forEachLook } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'
import { eventually } from './helpers/ui.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let runId: string
/** The line of rebuildHeap's body with the most ticks in the saved profile. */
let hottestLine: number

interface RawNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  positionTicks?: { line: number; ticks: number }[]
}

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-source-')
  runId = (
    await hotpathJson<{ id: string }>(
      ['run', 'orderbook', '--variant', 'naive', '--profile', 'cpu', '--duration', '1500ms', '--warmup', '300ms', '--label', 'book source'],
      store.dir,
    )
  ).id
  // The expected mark, from the raw profile and the script it names (not from the code under test's heat).
  const profile = JSON.parse(await readFile(openRunStore(store.dir).artifactPath(runId, 'cpu.cpuprofile'), 'utf8')) as { nodes: RawNode[] }
  const nodes = profile.nodes.filter((n) => n.callFrame.functionName === 'rebuildHeap')
  if (nodes.length === 0) throw new Error('the naive order book profile has no rebuildHeap frame')
  const { url, lineNumber, columnNumber } = nodes[0]!.callFrame
  const body = functionBodyLines(await readFile(fileURLToPath(url), 'utf8'), lineNumber + 1, columnNumber + 1)
  if (!body) throw new Error(`rebuildHeap's body not found in ${url}`)
  const ticks = new Map<number, number>()
  for (const n of nodes) for (const t of n.positionTicks ?? []) ticks.set(t.line, (ticks.get(t.line) ?? 0) + t.ticks)
  const inBody = [...ticks].filter(([line]) => line >= body.start && line <= body.end).sort((a, b) => b[1] - a[1] || a[0] - b[0])
  if (inBody.length === 0) throw new Error('rebuildHeap has no ticks in its own body')
  hottestLine = inBody[0]![0]
  serve = await startServe(store.dir)
  browser = await launchBrowser()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

async function openSourceOfRebuildHeap(page: Page): Promise<void> {
  await page.goto(`${serve.url.split('#')[0]}#/runs/${encodeURIComponent(runId)}`)
  await page.getByRole('tab', { name: 'Flame graph' }).waitFor()
  await page.locator('.hp-flame canvas').first().waitFor({ timeout: 30_000 })
  await page.locator('.hp-flame-search').fill('rebuildHeap')
  await page.waitForFunction(() => /match/.test(document.querySelector('.hp-flame-matches')?.textContent ?? ''))
  await page.locator('.hp-flame-search').press('Enter')
  await page.getByRole('button', { name: 'Source of rebuildHeap' }).first().click()
  await page.getByRole('dialog', { name: 'Source of rebuildHeap' }).waitFor()
  await page.locator('.source-line.hottest').waitFor({ timeout: 15_000 })
}

describe('source view', () => {
  it('opens rebuildHeap from the flame graph with highlighted code and its hottest line marked and in view', async () => {
    const { page, errors } = await openPage(browser)
    await openSourceOfRebuildHeap(page)
    const dialog = page.getByRole('dialog', { name: 'Source of rebuildHeap' })
    const hottest = dialog.locator('.source-line.hottest')
    expect(await hottest.count()).toBe(1)
    expect(await hottest.getAttribute('data-line')).toBe(String(hottestLine))
    expect(await hottest.locator('.source-tag-hot').innerText()).toBe('hottest')
    expect(await hottest.locator('.source-ms').innerText()).toMatch(/\d/)
    // Highlighted: keyword spans from highlight.js, and the function's own line names it.
    expect(await dialog.locator('.source-code .hljs-keyword').count()).toBeGreaterThan(3)
    expect(await dialog.locator('.source-line.in-body').count()).toBeGreaterThan(2)
    expect(await dialog.locator('.source-line.in-body').first().innerText()).toContain('rebuildHeap')
    // In view: inside the scrolled list's visible box.
    const list = (await dialog.locator('.source-lines').boundingBox())!
    const line = (await hottest.boundingBox())!
    expect(line.y).toBeGreaterThanOrEqual(list.y)
    expect(line.y + line.height).toBeLessThanOrEqual(list.y + list.height)
    expect(await dialog.locator('.source-summary').innerText()).toContain(`Hottest line ${hottestLine}`)

    // Ticks outside the body (code V8 inlined into rebuildHeap, such as siftDown) are labelled as such.
    const next = dialog.getByRole('button', { name: /inlined lines? outside the body/ })
    if ((await next.count()) > 0) {
      await next.click()
      const inlined = dialog.locator('.source-line.inlined').first()
      await inlined.waitFor()
      expect(await inlined.locator('.source-tag').innerText()).toBe('inlined')
      expect(Number(await inlined.getAttribute('data-line'))).not.toBe(hottestLine)
      await screenshot(page, 'source-view-inlined')
    }

    await page.keyboard.press('Escape')
    await eventually('the dialog closed', async () => (await page.getByRole('dialog').count()) === 0)

    // The call tree row of the selected frame has its own Source action.
    const row = page.locator('.profile-linked-table .hp-calltree-row[aria-selected="true"]')
    await row.waitFor()
    await row.getByRole('button', { name: 'Source of rebuildHeap' }).click()
    await page.getByRole('dialog', { name: 'Source of rebuildHeap' }).locator('.source-line.hottest').waitFor()
    await page.keyboard.press('Escape')
    expect(errors).toEqual([])
    await page.context().close()
  }, 90_000)

  it('a frame of Node itself says the source is not available and shows the location', async () => {
    const { page, errors } = await openPage(browser)
    await page.goto(`${serve.url.split('#')[0]}#/runs/${encodeURIComponent(runId)}`)
    await page.getByRole('tab', { name: 'Call tree' }).click()
    await page.getByRole('tab', { name: 'Bottom-up' }).click()
    // A node: internal frame in the bottom-up list (Node's own code is always on the stack of a workload child).
    const internal = page.locator('.hp-calltree-row', { has: page.locator('.hp-calltree-location[title^="node:"]') }).first()
    await internal.waitFor({ timeout: 30_000 })
    await internal.click()
    await internal.locator('.hp-calltree-source').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Source not available').waitFor()
    expect(await dialog.innerText()).toMatch(/node:[\w/]+:\d+/)
    await screenshot(page, 'source-view-unavailable')
    await page.keyboard.press('Escape')
    expect(errors).toEqual([])
    await page.context().close()
  }, 60_000)

  it('screenshots at 1440x900 and 1024x768, light and dark', async () => {
    await forEachLook(browser, async ({ page, errors }, { colorScheme, width: w, height: h }) => {
      await openSourceOfRebuildHeap(page)
      await page.waitForTimeout(200)
      await screenshot(page, `source-view-${w}x${h}-${colorScheme}`)
      // Where it opens from: the selected frame's Source in the flame graph footer and on its call tree row.
      await page.keyboard.press('Escape')
      await page.locator('.hp-flame-footer').scrollIntoViewIfNeeded()
      await screenshot(page, `source-view-actions-${w}x${h}-${colorScheme}`)
      expect(errors).toEqual([])
    })
  }, 180_000)
})
