/**
 * The Trend view (issue 11): a store with a planted 15% step in a workload's history (20 commits, ±3%
 * noise, two commits measured three times), a named baseline, a 3-point history and a 1,200-point one,
 * served by the real `hotpath serve` and driven in Chromium. Checks the change point is drawn with the
 * commits around it, hover names the commit, the baseline line is drawn, a click on the change point opens
 * the comparison of the runs on either side, fewer than 4 points claim no change point, and a long history
 * stays responsive. Screenshots at 1440x900 and 1024x768, light and dark.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStatsRng } from '../../core/stats/rng.js'
import { saveBaseline } from '../../service/baselines.js'
import { openRunStore } from '../../store/run-store.js'
import { makeRun } from '../helpers/make-run.js'
import { launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, makeTempStore, startServe } from './helpers/serve.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
const commitOf = (i: number): string => `a${i.toString(16).padStart(3, '0')}`.padEnd(40, '0')
/** Run ids per commit of the stepped history, oldest first. */
const stepRuns: string[][] = []

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-trend-')
  const runs = openRunStore(store.dir)
  const rng = createStatsRng(11)
  const noise = (): number => 1 + 0.03 * (rng.next() * 2 - 1)
  const book = { id: 'orderbook', variant: 'naive', params: { levels: 500 }, seed: 42 }
  for (let i = 0; i < 20; i++) {
    const ids: string[] = []
    for (let k = 0; k < (i === 3 || i === 4 ? 3 : 1); k++) {
      const run = makeRun({
        meanNs: Math.round(1000 * (i >= 12 ? 1.15 : 1) * noise()),
        at: new Date(Date.UTC(2026, 10, 1, i, k)),
        workload: book,
        provenance: {
          git: { commit: commitOf(i), branch: 'main', dirty: false, commitTime: new Date(Date.UTC(2026, 10, 1, i)).toISOString(), subject: `step commit ${i}` },
          meta: {},
          nodeFlags: [],
        },
      })
      await runs.save(run)
      ids.push(run.id)
    }
    stepRuns.push(ids)
  }
  await saveBaseline(runs, {
    schemaVersion: 1,
    name: 'nightly',
    createdAt: new Date(Date.UTC(2026, 10, 1, 2)).toISOString(),
    group: 'suite-nightly',
    members: [{ key: 'orderbook/naive?levels=500', workload: 'orderbook', variant: 'naive', params: { levels: 500 }, runIds: stepRuns[1]! }],
  })
  const slip = { id: 'slippage', variant: 'scalar', params: {}, seed: 1 }
  for (let i = 0; i < 3; i++) await runs.save(makeRun({ meanNs: 500 + i, at: new Date(Date.UTC(2026, 10, 2, i)), workload: slip }))
  // A long history without git: one point per run, in run-time order.
  const ser = { id: 'serialization', variant: 'json', params: {}, seed: 1 }
  for (let i = 0; i < 1200; i++) {
    await runs.save(makeRun({ meanNs: Math.round((i >= 1000 ? 1300 : 1000) * noise()), at: new Date(Date.UTC(2026, 9, 1, 0, i)), workload: ser }))
  }
  serve = await startServe(store.dir)
  browser = await launchBrowser()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

async function openTrend(page: Page, query: string): Promise<void> {
  await page.goto(`${serve.url}#/trend?${query}`)
  await page.locator('.trend-body').waitFor({ timeout: 20_000 })
}

describe('Trend view', () => {
  it('is reachable from the nav and from a run, draws the planted change point with its commits, the baseline and hover details', async () => {
    const { page, errors } = await openPage(browser)
    await page.goto(serve.url)
    await page.getByRole('link', { name: /^Trend$/ }).or(page.getByRole('button', { name: /^Trend$/ })).first().click()
    await page.locator('#trend-title').waitFor()
    await page.getByLabel('Workload', { exact: true }).selectOption('orderbook')
    const mark = page.getByTestId('change-point')
    await mark.first().waitFor({ timeout: 20_000 })
    expect(await mark.count()).toBe(1)
    await expect.poll(() => mark.locator('text').textContent()).toMatch(/^between a00b000 and a00c000, -1\d(\.\d)?% opsPerSec$/)
    // Twenty points (commits), two of them with whiskers from their three runs.
    expect(await page.locator('circle.trend-dot').count()).toBe(20)
    expect(await page.locator('line.trend-whisker').count()).toBe(2)
    // The baseline's value (commit 1's run) is drawn as a line with its name.
    await expect.poll(() => page.getByTestId('trend-baseline').textContent()).toContain('baseline nightly')
    expect(await page.locator('.trend-summary').textContent()).toContain('baseline nightly')
    // Hover on the fifth point: short sha, subject, branch and the range of its three runs.
    const dot = page.locator('circle.trend-dot').nth(4)
    const box = await dot.boundingBox()
    await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2)
    const tip = page.getByRole('tooltip')
    await tip.waitFor()
    const text = (await tip.textContent()) ?? ''
    expect(text).toContain('a004000')
    expect(text).toContain('step commit 4')
    expect(text).toContain('main')
    expect(text).toMatch(/3 runs/)
    for (const colorScheme of ['light', 'dark'] as const) {
      const shot = await openPage(browser, { colorScheme })
      await openTrend(shot.page, 'workload=orderbook')
      await shot.page.getByTestId('change-point').first().waitFor()
      const dot5 = await shot.page.locator('circle.trend-dot').nth(4).boundingBox()
      await shot.page.mouse.move(dot5!.x + 3, dot5!.y + 3)
      await screenshot(shot.page, `trend-01-1440-${colorScheme}`)
      await shot.page.setViewportSize({ width: 1024, height: 768 })
      await shot.page.waitForTimeout(200)
      await screenshot(shot.page, `trend-02-1024-${colorScheme}`)
      // Nothing in the toolbar or the change-point label is cut off at 1024 px.
      const label = await shot.page.getByTestId('change-point').locator('text').boundingBox()
      const frame = await shot.page.locator('.trend-frame').boundingBox()
      expect(label!.x).toBeGreaterThanOrEqual(frame!.x)
      expect(label!.x + label!.width).toBeLessThanOrEqual(frame!.x + frame!.width + 0.5)
      expect(shot.errors).toEqual([])
      await shot.page.context().close()
    }
    // From a run's detail: "Trend of this workload" opens this workload's trend.
    await page.goto(`${serve.url}#/runs/${stepRuns[15]![0]}`)
    await page.getByRole('button', { name: 'Trend of this workload' }).click()
    await page.getByTestId('change-point').first().waitFor({ timeout: 20_000 })
    expect(await page.locator('#trend-title').textContent()).toBe('Trend · orderbook')
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('opens the comparison of the runs on either side with one click on the change point', async () => {
    const { page, errors } = await openPage(browser)
    await openTrend(page, 'workload=orderbook&metric=mean')
    const mark = page.getByTestId('change-point')
    await mark.first().waitFor({ timeout: 20_000 })
    await expect.poll(() => mark.locator('text').textContent()).toMatch(/^between a00b000 and a00c000, \+1\d(\.\d)?% mean$/)
    await mark.locator('rect').click()
    await page.locator('#compare-title').waitFor({ timeout: 20_000 })
    const hash = decodeURIComponent(new URL(page.url()).hash)
    expect(hash).toBe(`#/compare?ids=${stepRuns[11]!.at(-1)},${stepRuns[12]![0]}`)
    expect(await page.locator('#compare-title').textContent()).toBe('Compare 2 runs')
    // The Compare button of the change point list goes to the same place.
    await page.goBack()
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    await page.locator('#compare-title').waitFor()
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(hash)
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('shows fewer than 4 points and claims no change point', async () => {
    const { page, errors } = await openPage(browser)
    await openTrend(page, 'workload=slippage')
    expect(await page.locator('circle.trend-dot').count()).toBe(3)
    expect(await page.getByTestId('change-point').count()).toBe(0)
    expect(await page.getByTestId('no-change-points').textContent()).toContain('No change points claimed: 3 points, at least 4 are needed')
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('stays responsive on a 1,200-point history: no dots, a bounded line, a change point, hover on any point', async () => {
    const { page, errors } = await openPage(browser)
    const started = Date.now()
    await openTrend(page, 'workload=serialization')
    await page.getByTestId('change-point').first().waitFor({ timeout: 30_000 })
    expect(await page.locator('.trend-caption').textContent()).toContain('1,200 points: dots hidden')
    expect(await page.locator('circle.trend-dot').count()).toBe(0)
    const path = (await page.locator('path.trend-line').getAttribute('d')) ?? ''
    expect(path.split(/[ML]/).filter(Boolean).length).toBeLessThan(1440 * 4)
    const svg = await page.locator('.trend-frame svg').boundingBox()
    // Sweep the cursor across the chart: each move re-renders the tooltip; 40 moves in well under 4 s.
    const sweepStart = Date.now()
    for (let i = 0; i < 40; i++) await page.mouse.move(svg!.x + 80 + (i * (svg!.width - 100)) / 40, svg!.y + 150)
    await page.getByRole('tooltip').waitFor()
    expect(Date.now() - sweepStart).toBeLessThan(4000)
    expect(Date.now() - started).toBeLessThan(30_000)
    await screenshot(page, 'trend-03-long-1440-light')
    expect(errors).toEqual([])
    await page.context().close()
  })
})
