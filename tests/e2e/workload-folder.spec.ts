/**
 * Launch lists the workload files of `hotpath serve --workloads DIR`, and the ones that fail to load
 * (a syntax error, a module without the default export) appear as errors with file, line and reason
 * instead of vanishing. Browser mode cannot change the folder (no Choose… button). Screenshots at
 * 1440x900 and 1024x768, light and dark.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, makeTempStore, repoRoot, startServe } from './helpers/serve.js'

let folder: Awaited<ReturnType<typeof makeTempStore>>
let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser

const good = `import { defineWorkload } from 'hotpath/workload'

export default defineWorkload({
  id: 'sums',
  title: 'Sums',
  description: 'Sum of n integers',
  operation: 'one sum',
  params: { n: { type: 'int', default: 1000, min: 1, max: 1_000_000, description: 'numbers summed' } },
  variants: {
    loop: (xs: number[]) => { let s = 0; for (const x of xs) s += x; return s },
    reduce: (xs: number[]) => xs.reduce((a, b) => a + b, 0),
  },
  setup: ({ params }) => Array.from({ length: params.n }, (_, i) => i),
  run: (sum, xs) => sum(xs),
})
`

beforeAll(async () => {
  folder = await makeTempStore('hotpath-e2e-benches-')
  store = await makeTempStore('hotpath-e2e-folder-store-')
  await mkdir(path.join(folder.dir, 'bench'))
  await mkdir(path.join(folder.dir, 'node_modules'))
  await symlink(repoRoot, path.join(folder.dir, 'node_modules', 'hotpath'), 'dir')
  await writeFile(path.join(folder.dir, 'bench', 'sums.bench.ts'), good)
  await writeFile(path.join(folder.dir, 'bench', 'broken.bench.ts'), "import { defineWorkload } from 'hotpath/workload'\n\nexport default defineWorkload({ id: 'broken' oops })\n")
  await writeFile(path.join(folder.dir, 'bench', 'no-export.bench.ts'), 'export const notAWorkload = 1\n')
  serve = await startServe(store.dir, { args: ['--workloads', folder.dir] })
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
  await folder?.remove()
})

describe('Launch with a workloads folder', () => {
  it('lists the good file and shows each broken one as an error with file, line and reason', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, errors } = await openPage(browser, { colorScheme })
      await page.goto(serve.url)
      await page.getByRole('option', { name: /Sums/ }).waitFor({ timeout: 30_000 }).catch((err: unknown) => {
        throw new Error(`${String(err)}\nserve said:\n${serve.output()}`)
      })
      const problems = page.getByRole('list', { name: 'Workload files with errors' }).getByRole('alert')
      await problems.first().waitFor({ timeout: 30_000 })
      expect(await problems.count()).toBe(2)
      const [first, second] = [await problems.nth(0).textContent(), await problems.nth(1).textContent()]
      expect(first).toMatch(/^bench\/broken\.bench\.ts:3(:\d+)?/)
      expect(first).toMatch(/expected/i)
      expect(second).toContain('bench/no-export.bench.ts')
      expect(second).toMatch(/default export|defineWorkload/i)
      expect(await page.locator('.workload-folder-path').textContent()).toBe(folder.dir)
      // Browser mode: the folder is set by `serve --workloads`, so there is nothing to choose.
      expect(await page.getByRole('button', { name: 'Choose…' }).count()).toBe(0)
      await screenshot(page, `workload-folder-01-1440-${colorScheme}`)
      await page.setViewportSize({ width: 1024, height: 768 })
      await page.waitForTimeout(200)
      await screenshot(page, `workload-folder-02-1024-${colorScheme}`)
      // The problem cards stay inside the sidebar at 1024 px.
      const sidebar = await page.locator('.launch-sidebar').boundingBox()
      for (let i = 0; i < 2; i++) {
        const card = await problems.nth(i).boundingBox()
        expect(card!.x + card!.width).toBeLessThanOrEqual(sidebar!.x + sidebar!.width + 0.5)
      }
      expect(errors).toEqual([])
      await page.context().close()
    }
  }, 90_000)
})
