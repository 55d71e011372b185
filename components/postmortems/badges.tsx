import { ACTION_STATUS_LABELS, PRIORITY_LABELS } from '@/lib/postmortems/action-items'
import { STATUS_LABELS } from '@/lib/postmortems/lifecycle'
import type { ActionItemPriority, ActionItemStatus, PostmortemStatus } from '@/lib/postmortems/schemas'
import './postmortems.css'

export function PostmortemStatusBadge({ status }: { status: PostmortemStatus }) {
  return <span className={`pm-status pm-status-${status}`} data-testid="postmortem-status">{STATUS_LABELS[status]}</span>
}

export function PriorityBadge({ priority }: { priority: ActionItemPriority }) {
  return <span className={`ai-priority ai-priority-${priority}`}>{PRIORITY_LABELS[priority]}</span>
}

export function ActionStatusText({ status }: { status: ActionItemStatus }) {
  return <>{ACTION_STATUS_LABELS[status]}</>
}

export function OverdueFlag({ days }: { days: number }) {
  return <span className="ai-overdue" title={`Due ${days} day${days === 1 ? '' : 's'} ago and still open`}>overdue{days > 0 ? ` ${days}d` : ''}</span>
}
