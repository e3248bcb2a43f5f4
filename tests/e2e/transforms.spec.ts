/**
 * Transforms (issue #13): on a real naive order book run in the browser against `hotpath serve`, focus the
 * CPU views on a function from the call tree's context menu (the call tree's root becomes it, the harness
 * frames above it are gone, the flame graph's total shrinks), merge a function through the keyboard
 * button, undo through the breadcrumb, keep the stack over a reload (it lives in the URL hash); and the
 * same transform on both sides of the Compare view's diff (the changed-functions table loses the merged
 * function). Screenshots in light and dark at 1440 and 1024 px wide.
 */
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { type AppPage, launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let app: AppPage
let page: Page
let naiveId: string
let optimizedId: string
let allocId: string

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-transforms-')
  const workloads = await hotpathJson<WorkloadDescriptor[]>(['workloads'], store.dir, { storeFlag: false })
  const variants = workloads.find((w) => w.id === 'orderbook')?.variants ?? []
  const naive = variants.find((v) => v.role === 'naive')
  const optimized = variants.find((v) => v.role === 'optimized')
  if (!naive || !optimized) throw new Error('orderbook needs a naive and an optimized variant')
  const common = ['--profile', 'cpu', '--duration', '1s', '--warmup', '200ms']
  naiveId = (await hotpathJson<{ id: string }>(['run', 'orderbook', '--variant', naive.id, ...common, '--label', 'book naive'], store.dir))
    .id
  optimizedId = (
    await hotpathJson<{ id: string }>(['run', 'orderbook', '--variant', optimized.id, ...common, '--label', 'book optimized'], store.dir)
  ).id
  allocId = (
    await hotpathJson<{ id: string }>(
      [
        'run',
        'orderbook',
        '--variant',
        naive.id,
        '--profile',
        'cpu,alloc',
        '--duration',
        '1s',
        '--warmup',
        '200ms',
        '--label',
        'book alloc',
      ],
      store.dir,
    )
  ).id
  serve = await startServe(store.dir)
  browser = await launchBrowser()
  app = await openPage(browser)
  page = app.page
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

const base = (): string => serve.url.split('#')[0]!
const table = (p: Page): Locator => p.locator('.profile-linked-table .hp-calltree-body').first()
const labels = (p: Page): Promise<string[]> => p.locator('.profile-linked-table .hp-calltree-row .hp-calltree-label').allTextContents()
const row = (p: Page, name: string): Locator =>
  p
    .locator('.profile-linked-table .hp-calltree-row', { has: p.locator('.hp-calltree-label', { hasText: new RegExp(`^${name}$`) }) })
    .first()
const crumbs = (p: Page): Promise<string[]> => p.locator('.hp-transform-crumb button').allTextContents()
/** The flame graph's "All (…)" breadcrumb: the shown tree's total. */
const flameTotal = (p: Page): Promise<string> => p.locator('.hp-flame-breadcrumb button').first().innerText()

/** Clicks the flame graph's root box (icicle: the top row) and returns the selected frame's summary. */
async function flameRootSummary(p: Page): Promise<string> {
  const canvas = p.locator('.hp-flame canvas').first()
  await canvas.scrollIntoViewIfNeeded()
  const box = await canvas.boundingBox()
  if (!box) throw new Error('no flame canvas')
  await p.mouse.click(box.x + box.width / 2, box.y + 9)
  return p.locator('.hp-flame-selected').innerText()
}

/** Opens the heaviest path of the linked call tree (the `h` key) and returns the row labels. */
async function expandHeaviest(p: Page): Promise<string[]> {
  await table(p).focus()
  await p.keyboard.press('Home')
  await p.keyboard.press('h')
  await p.waitForTimeout(200)
  return labels(p)
}

async function openRun(p: Page, hash = ''): Promise<void> {
  await p.goto(`${base()}#/runs/${encodeURIComponent(naiveId)}${hash}`)
  await p.locator('.hp-flame canvas').first().waitFor({ timeout: 60_000 })
  await p.locator('.profile-linked-table .hp-calltree-row').first().waitFor({ timeout: 60_000 })
}

describe('transforms', () => {
  it('focuses on a function from the context menu, undoes it from the breadcrumb, and keeps the stack over a reload', async () => {
    await openRun(page)
    const before = await expandHeaviest(page)
    expect(before).toContain('measure')
    expect(before).toContain('applyUpdatesNaive')
    const totalBefore = await flameTotal(page)

    // Right click a row: the transforms menu.
    await row(page, 'applyUpdatesNaive').click({ button: 'right' })
    const menu = page.getByRole('menu')
    await menu.waitFor()
    await page.locator('.run-profiles').scrollIntoViewIfNeeded()
    await screenshot(page, 'transforms-01-menu-light-1440')
    await menu.getByRole('menuitem', { name: /^Focus on function/ }).click()
    await expect.poll(() => crumbs(page)).toEqual(['Focus: applyUpdatesNaive'])
    expect(decodeURIComponent(await page.evaluate(() => location.hash))).toContain('"type":"focus-function"')

    // The flame graph's and the call tree's root is the function now (the table lists the root's children);
    // the harness frames above it are gone; the total shrank.
    await expect.poll(async () => (await labels(page))[0]).toBe('applyUpdate')
    expect(await flameRootSummary(page)).toMatch(/^applyUpdatesNaive: /)
    const focused = await expandHeaviest(page)
    expect(focused).not.toContain('measure')
    expect(focused).not.toContain('processImmediate')
    expect(focused).toContain('rebuildHeap')
    expect(await flameTotal(page)).not.toBe(totalBefore)
    await screenshot(page, 'transforms-02-focused-light-1440')

    // Keyboard: select a row, the "Transform selected" button, Merge.
    await row(page, 'applyUpdate').click()
    await page.getByRole('button', { name: /Transform selected/ }).focus()
    await page.keyboard.press('Enter')
    await menu.waitFor()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-transform'))).toBe('merge-function')
    await page.keyboard.press('Enter')
    await expect.poll(() => crumbs(page)).toEqual(['Focus: applyUpdatesNaive', 'Merge: applyUpdate'])
    await expect.poll(async () => (await expandHeaviest(page)).includes('applyUpdate')).toBe(false)
    expect(await labels(page)).toContain('setLevel')

    // Reload: the stack is in the hash.
    await page.reload()
    await page.locator('.profile-linked-table .hp-calltree-row').first().waitFor({ timeout: 60_000 })
    await expect.poll(() => crumbs(page), { timeout: 30_000 }).toEqual(['Focus: applyUpdatesNaive', 'Merge: applyUpdate'])
    await expect.poll(async () => (await labels(page))[0], { timeout: 30_000 }).toBe('setLevel')
    expect(await flameRootSummary(page)).toMatch(/^applyUpdatesNaive: /)

    // Undo: a crumb goes back to its step, Backspace undoes the last, "Full profile" restores everything.
    await page.locator('.hp-transform-crumb button', { hasText: 'Focus: applyUpdatesNaive' }).click()
    await expect.poll(() => crumbs(page)).toEqual(['Focus: applyUpdatesNaive'])
    expect(await expandHeaviest(page)).toContain('applyUpdate')
    await page.keyboard.press('Backspace')
    await expect.poll(() => crumbs(page)).toEqual([])
    await expect.poll(async () => (await expandHeaviest(page)).includes('measure'), { timeout: 30_000 }).toBe(true)
    expect(await flameTotal(page)).toBe(totalBefore)
    expect(await page.evaluate(() => location.hash)).not.toContain('tx=')
    expect(app.errors).toEqual([])
  })

  it('collapses Node internals and hides (garbage collector) in the flame graph and call tree alike', async () => {
    await openRun(page)
    expect(await expandHeaviest(page)).toContain('processImmediate')
    await row(page, 'measure').click({ button: 'right' })
    await page.getByRole('menuitem', { name: /Collapse Node internals/ }).click()
    await expect.poll(async () => (await expandHeaviest(page)).includes('(node internals)'), { timeout: 30_000 }).toBe(true)
    expect(await labels(page)).not.toContain('processImmediate')
    // The flame graph takes the menu too: right click its root box.
    const canvas = page.locator('.hp-flame canvas').first()
    await canvas.scrollIntoViewIfNeeded()
    const box = await canvas.boundingBox()
    if (!box) throw new Error('no flame canvas')
    await page.mouse.click(box.x + box.width / 2, box.y + 9, { button: 'right' })
    await page.getByRole('menuitem', { name: 'Hide (garbage collector)' }).click()
    await expect.poll(() => crumbs(page)).toEqual(['Collapse: node internals', 'Hide: (garbage collector)'])
    // Keyboard on the canvas: an arrow key selects a frame, Shift+F10 opens the menu, Escape closes it
    // and gives the focus back to the canvas.
    await canvas.focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Shift+F10')
    await page.getByRole('menu').waitFor()
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitem')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByRole('menu').count()).toBe(0)
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('CANVAS')
    await page.locator('.run-profiles').scrollIntoViewIfNeeded()
    await screenshot(page, 'transforms-03-collapsed-light-1440')
    await page.setViewportSize({ width: 1024, height: 768 })
    await page.locator('.run-profiles').scrollIntoViewIfNeeded()
    await screenshot(page, 'transforms-04-collapsed-light-1024')
    // The hide above gave a new tree, which opens folded: open the heaviest path again to reach its rows.
    expect(await expandHeaviest(page)).toContain('measure')
    await row(page, 'measure').click({ button: 'right' })
    await page.getByRole('menu').waitFor()
    await screenshot(page, 'transforms-05-menu-light-1024')
    await page.keyboard.press('Escape')
    await page.setViewportSize({ width: 1440, height: 900 })
    expect(app.errors).toEqual([])
  })

  it('a bottom-up row has the menu too: merging its function from there', async () => {
    await openRun(page)
    await page.locator('.profile-linked-table').getByRole('tab', { name: 'Bottom-up' }).click()
    const bottomUpRow = (name: string): Locator =>
      page
        .locator('.profile-linked-table .hp-calltree-row', {
          has: page.locator('.hp-calltree-label', { hasText: new RegExp(`^${name}$`) }),
        })
        .first()
    await bottomUpRow('rebuildHeap').waitFor({ timeout: 30_000 })
    await bottomUpRow('rebuildHeap').click({ button: 'right' })
    const menu = page.getByRole('menu')
    await menu.waitFor()
    expect(await menu.getByRole('menuitem', { name: 'Focus on this call path only' }).count()).toBe(0)
    await menu.getByRole('menuitem', { name: /^Merge “rebuildHeap”/ }).click()
    await expect.poll(() => crumbs(page)).toEqual(['Merge: rebuildHeap'])
    await expect.poll(() => bottomUpRow('rebuildHeap').count(), { timeout: 30_000 }).toBe(0)
    await page.getByRole('button', { name: 'Undo the last transform' }).click()
    await expect.poll(() => crumbs(page)).toEqual([])
    expect(app.errors).toEqual([])
  })

  it('applies the stack to the allocation flame graph too, and the CPU views keep it', async () => {
    await page.goto(`${base()}#/runs/${encodeURIComponent(allocId)}`)
    await page.locator('#tabpanel-flame .hp-flame canvas').first().waitFor({ timeout: 60_000 })
    const cpuBefore = await flameTotal(page)
    await page.getByRole('tab', { name: 'Allocations' }).click()
    const canvas = page.locator('#tabpanel-alloc .hp-flame canvas').first()
    await canvas.waitFor({ timeout: 60_000 })
    const allBefore = await flameTotal(page)
    expect(allBefore).toMatch(/B\)?$/)
    // Select Array.from (where the naive book allocates 40%: the copy in rebuildHeap, which V8 may inline
    // into applyUpdatesNaive) by search, then "Transform selected" → Focus on function.
    await page.locator('.hp-flame-search').fill('from')
    await page.waitForFunction(() => /\d+ match/.test(document.querySelector('.hp-flame-matches')?.textContent ?? ''))
    await page.locator('.hp-flame-search').press('Enter')
    await expect.poll(() => page.locator('.hp-flame-selected').innerText()).toMatch(/^from: /)
    await page.getByRole('button', { name: /Transform selected/ }).click()
    await page
      .getByRole('menu')
      .getByRole('menuitem', { name: /^Focus on function/ })
      .click()
    await expect.poll(() => crumbs(page)).toEqual(['Focus: from'])
    // The allocation flame graph's root is Array.from now, with its own (smaller) total.
    await expect.poll(() => flameTotal(page), { timeout: 30_000 }).not.toBe(allBefore)
    expect(await flameRootSummary(page)).toMatch(/^from: /)
    await page.locator('.run-profiles').scrollIntoViewIfNeeded()
    await screenshot(page, 'transforms-10-alloc-focused-light-1440')
    // The same stack on the CPU flame graph of the run (Array.from's own CPU time, little or none).
    await page.getByRole('tab', { name: 'Flame graph' }).click()
    await page.locator('#tabpanel-flame .hp-flame canvas').first().waitFor({ timeout: 60_000 })
    expect(await crumbs(page)).toEqual(['Focus: from'])
    await expect.poll(() => flameTotal(page), { timeout: 30_000 }).not.toBe(cpuBefore)
    // Undo on the allocation tab restores its whole profile.
    await page.getByRole('tab', { name: 'Allocations' }).click()
    await page.getByRole('button', { name: 'Undo the last transform' }).click()
    await expect.poll(() => flameTotal(page), { timeout: 30_000 }).toBe(allBefore)
    expect(app.errors).toEqual([])
  })

  it('applies the same transform to both sides of the diff', async () => {
    await page.goto(`${base()}#/compare?ids=${naiveId},${optimizedId}`)
    const diffTable = page.locator('.hp-diff table').first()
    const rebuild = diffTable.locator('tbody tr', { has: page.locator('td', { hasText: /^rebuildHeap/ }) })
    await rebuild.first().waitFor({ timeout: 90_000 })
    await rebuild.first().scrollIntoViewIfNeeded()
    await rebuild.first().click({ button: 'right' })
    await page.getByRole('menuitem', { name: /^Merge “rebuildHeap”/ }).click()
    await expect.poll(() => crumbs(page)).toEqual(['Merge: rebuildHeap'])
    expect(decodeURIComponent(await page.evaluate(() => location.hash))).toContain('"type":"merge-function"')
    await expect.poll(() => rebuild.count(), { timeout: 60_000 }).toBe(0)
    await page.locator('#diff-flame-title').scrollIntoViewIfNeeded()
    await screenshot(page, 'transforms-06-diff-light-1440')
    await page.getByRole('button', { name: 'Undo the last transform' }).click()
    await expect.poll(() => rebuild.count(), { timeout: 60_000 }).toBeGreaterThan(0)
    expect(app.errors).toEqual([])
  })

  it('looks right in dark mode at 1440 and 1024 px', async () => {
    const dark = await openPage(browser, { colorScheme: 'dark' })
    const p = dark.page
    const tx = encodeURIComponent(
      JSON.stringify([{ type: 'collapse-node-internals' }, { type: 'hide-frame', frame: '(garbage collector)' }]),
    )
    await openRun(p, `?tx=${tx}`)
    await expect.poll(() => crumbs(p), { timeout: 30_000 }).toEqual(['Collapse: node internals', 'Hide: (garbage collector)'])
    await expandHeaviest(p)
    await row(p, 'applyUpdatesNaive').click({ button: 'right' })
    await p.getByRole('menu').waitFor()
    await p.locator('.run-profiles').scrollIntoViewIfNeeded()
    await screenshot(p, 'transforms-07-menu-dark-1440')
    await p.keyboard.press('Escape')
    await p.setViewportSize({ width: 1024, height: 768 })
    await p.locator('.run-profiles').scrollIntoViewIfNeeded()
    await screenshot(p, 'transforms-08-dark-1024')
    await p.goto(`${base()}#/compare?ids=${naiveId},${optimizedId}&tx=${tx}`)
    await p.locator('.hp-diff table tbody tr').first().waitFor({ timeout: 90_000 })
    await p.locator('#diff-flame-title').scrollIntoViewIfNeeded()
    await screenshot(p, 'transforms-09-diff-dark-1024')
    expect(dark.errors).toEqual([])
    await p.context().close()
  })
})
