/**
 * The app shell: the left navigation, the connection banner, the app-wide notice, the window-wide
 * drop target for imports, and the view the route names.
 */
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { Icon, type IconName } from './components/Icon.js'
import { CompareView } from './features/compare/CompareView.js'
import { EnvironmentView } from './features/environment/EnvironmentView.js'
import { LaunchView } from './features/launch/LaunchView.js'
import { LiveView } from './features/live/LiveView.js'
import { OpenFileView } from './features/runs/OpenFileView.js'
import { RunDetail } from './features/runs/RunDetail.js'
import { RunsView } from './features/runs/RunsView.js'
import { SweepView } from './features/sweep/SweepView.js'
import { TargetsView } from './features/targets/TargetsView.js'
import { TrendView } from './features/trend/TrendView.js'
import { dragHasFiles } from './features/runs/import-files.js'
import { useImportFiles } from './features/runs/use-import.js'
import type { Route } from './lib/route.js'
import { countActiveRuns } from './state/selectors.js'
import { useWorkbench, useWorkbenchStore } from './state/store.js'

const NAV: { view: Route['view']; label: string; icon: IconName; route: Route }[] = [
  { view: 'launch', label: 'Launch', icon: 'launch', route: { view: 'launch' } },
  { view: 'live', label: 'Live runs', icon: 'live', route: { view: 'live' } },
  { view: 'runs', label: 'Runs', icon: 'runs', route: { view: 'runs' } },
  { view: 'compare', label: 'Compare', icon: 'copy', route: { view: 'compare', ids: [] } },
  { view: 'trend', label: 'Trend', icon: 'trend', route: { view: 'trend', workload: '', variant: '', metric: '', branch: '' } },
  { view: 'environment', label: 'Environment', icon: 'environment', route: { view: 'environment' } },
  { view: 'targets', label: 'Targets', icon: 'environment', route: { view: 'targets' } },
]

function Sidebar(): ReactNode {
  const { route, navigate, active, runCount } = useWorkbench(
    useShallow((s) => ({ route: s.route, navigate: s.navigate, active: countActiveRuns(s), runCount: s.runsTotal })),
  )
  const current = route.view === 'run' || route.view === 'sweep' || route.view === 'open' ? 'runs' : route.view
  const selectedIds = useWorkbench((s) => s.selectedIds)
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Hotpath</span>
      </div>
      <ul className="nav-list">
        {NAV.map((item) => (
          <li key={item.view}>
            <a
              href={item.view === 'compare' ? '#/compare' : `#/${item.view}`}
              className={`nav-item ${current === item.view ? 'active' : ''}`}
              aria-current={current === item.view ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault()
                // Compare opens on the library's selection (the first selected run is the baseline).
                navigate(item.view === 'compare' && route.view !== 'compare' ? { view: 'compare', ids: selectedIds } : item.route)
              }}
            >
              <Icon name={item.icon} />
              <span>{item.label}</span>
              {item.view === 'live' && active > 0 ? (
                <span className="nav-badge nav-badge-live" aria-label={`${active} running`}>
                  {active}
                </span>
              ) : null}
              {item.view === 'runs' && runCount > 0 ? <span className="nav-count">{runCount.toLocaleString('en-US')}</span> : null}
            </a>
          </li>
        ))}
      </ul>
      <ConnectionIndicator />
    </nav>
  )
}

function ConnectionIndicator(): ReactNode {
  const connection = useWorkbench((s) => s.connection)
  const text = connection === 'connected' ? 'Engine connected' : connection === 'reconnecting' ? 'Reconnecting…' : 'Engine offline'
  return (
    <div className={`conn conn-${connection}`}>
      <span className="conn-dot" aria-hidden="true" />
      {text}
    </div>
  )
}

function ConnectionBanner(): ReactNode {
  const connection = useWorkbench((s) => s.connection)
  if (connection === 'connected') return null
  return (
    <div className={`banner banner-${connection}`} role="status">
      <Icon name="alert" />
      {connection === 'reconnecting'
        ? 'Lost the connection to the Hotpath engine. Reconnecting… Runs keep going; progress will catch up.'
        : 'The Hotpath engine is offline. Start it again (`hotpath serve`) and reload this page.'}
    </div>
  )
}

/** How long a success notice stays; errors and progress notices stay until dismissed or replaced. */
const SUCCESS_NOTICE_MS = 8000

function NoticeBar(): ReactNode {
  const { notice, dismissNotice } = useWorkbench(useShallow((s) => ({ notice: s.notice, dismissNotice: s.dismissNotice })))
  const store = useWorkbenchStore()
  useEffect(() => {
    if (notice?.kind !== 'success' || (notice.details && notice.details.length > 0)) return
    // Dismiss this notice only: a newer one may have replaced it meanwhile.
    const timer = setTimeout(() => {
      if (store.getState().notice === notice) dismissNotice()
    }, SUCCESS_NOTICE_MS)
    return () => clearTimeout(timer)
  }, [notice, dismissNotice, store])
  if (!notice) return null
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <div className="notice-body">
        <span>{notice.text}</span>
        {notice.details && notice.details.length > 0 ? (
          <ul className="notice-details">
            {notice.details.slice(0, 8).map((d) => (
              <li key={d}>{d}</li>
            ))}
            {notice.details.length > 8 ? <li>…and {notice.details.length - 8} more</li> : null}
          </ul>
        ) : null}
      </div>
      <button type="button" className="icon-btn" onClick={dismissNotice} aria-label="Dismiss">
        <Icon name="close" />
      </button>
    </div>
  )
}

/** Files dragged anywhere over the window import on drop; the overlay says so while dragging. */
function useWindowDrop(onFiles: (files: File[]) => void): boolean {
  const [dragging, setDragging] = useState(false)
  const depth = useRef(0)
  const onFilesRef = useRef(onFiles)
  onFilesRef.current = onFiles
  useEffect(() => {
    const enter = (e: DragEvent): void => {
      if (!dragHasFiles(e)) return
      e.preventDefault()
      depth.current++
      setDragging(true)
    }
    const over = (e: DragEvent): void => {
      if (!dragHasFiles(e)) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
    }
    const leave = (e: DragEvent): void => {
      if (!dragHasFiles(e)) return
      depth.current = Math.max(0, depth.current - 1)
      if (depth.current === 0) setDragging(false)
    }
    const drop = (e: DragEvent): void => {
      if (!dragHasFiles(e)) return
      // Without preventDefault the browser would navigate to the dropped file.
      e.preventDefault()
      depth.current = 0
      setDragging(false)
      const files = Array.from(e.dataTransfer?.files ?? [])
      if (files.length > 0) onFilesRef.current(files)
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragover', over)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragover', over)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('drop', drop)
    }
  }, [])
  return dragging
}

function CurrentView(): ReactNode {
  const route = useWorkbench((s) => s.route)
  // A newly opened file gets a fresh view (its own worker, selection and scroll).
  const openedSeq = useWorkbench((s) => s.openedFile?.seq ?? 0)
  switch (route.view) {
    case 'launch':
      return <LaunchView />
    case 'live':
      return <LiveView />
    case 'runs':
      return <RunsView />
    case 'run':
      return <RunDetail key={route.runId} runId={route.runId} />
    case 'environment':
      return <EnvironmentView />
    case 'targets':
      return <TargetsView />
    case 'compare':
      return <CompareView ids={route.ids} />
    case 'sweep':
      return <SweepView key={route.group} group={route.group} />
    case 'trend':
      return <TrendView route={route} />
    case 'open':
      return <OpenFileView key={openedSeq} />
  }
}

export function App(): ReactNode {
  const importFiles = useImportFiles()
  // The import flow shows the runs library, or a single profile file at once (#/open).
  const onDrop = useCallback(
    (files: File[]) => {
      void importFiles(files)
    },
    [importFiles],
  )
  const dragging = useWindowDrop(onDrop)
  return (
    <div className="app">
      <Sidebar />
      <main className="main">
        <ConnectionBanner />
        <NoticeBar />
        <CurrentView />
      </main>
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-card">
            <Icon name="upload" size={28} />
            <p>Drop to import</p>
            <p className="muted">Hotpath bundles (.tgz), .cpuprofile, .heapsnapshot and .heapprofile files</p>
          </div>
        </div>
      ) : null}
    </div>
  )
}
