/**
 * The handful of line icons the UI uses, as inline SVG (no icon font, nothing fetched: the CSP allows
 * only our own files). 16 px on a 24-unit grid, stroked with currentColor.
 */
import type { ReactNode } from 'react'

const PATHS = {
  launch: 'M6 4l14 8-14 8z',
  live: 'M3 12h4l3-8 4 16 3-8h4',
  runs: 'M4 6h16M4 12h16M4 18h16',
  environment: 'M4 5h16v11H4zM9 20h6M12 16v4',
  search: 'M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zM21 21l-5-5',
  upload: 'M12 16V4M7 9l5-5 5 5M5 20h14',
  download: 'M12 4v12M7 11l5 5 5-5M5 20h14',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  edit: 'M4 20h4L19 9l-4-4L4 16zM14 6l4 4',
  close: 'M6 6l12 12M18 6L6 18',
  back: 'M15 6l-6 6 6 6',
  check: 'M5 12l5 5 9-10',
  copy: 'M8 8h12v12H8zM4 16V4h12',
  stop: 'M7 7h10v10H7z',
  alert: 'M12 3l10 18H2zM12 10v5M12 18v.5',
  chevron: 'M9 6l6 6-6 6',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
  trend: 'M3 17l6-6 4 4 8-8M15 7h6v6',
  refresh: 'M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7',
} as const

export type IconName = keyof typeof PATHS

export function Icon({ name, size = 16, title }: { name: IconName; size?: number; title?: string }): ReactNode {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
    >
      {title ? <title>{title}</title> : null}
      <path d={PATHS[name]} />
    </svg>
  )
}
