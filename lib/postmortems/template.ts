/**
 * The blameless template: the sections a postmortem asks for and the question each one asks. The questions are about
 * what the system and its observability missed, never about who made a mistake (see docs/postmortems.md).
 */
export const SECTION_KEYS = ['impact', 'detection', 'root-cause', 'trigger', 'resolution', 'went-well', 'went-wrong', 'got-lucky', 'lessons'] as const
export type SectionKey = (typeof SECTION_KEYS)[number]

/** Where a root cause or contributing factor sits (DESIGN.md's pathways, with configuration named on its own). */
export const CAUSE_AREAS = ['model', 'data', 'infrastructure', 'configuration'] as const
export type CauseArea = (typeof CAUSE_AREAS)[number]

export const CAUSE_AREA_LABELS: Record<CauseArea, string> = {
  model: 'Model',
  data: 'Data',
  infrastructure: 'Infrastructure',
  configuration: 'Configuration',
}

export interface SectionTemplate {
  key: SectionKey
  title: string
  /** the question the section answers, shown beside the editor */
  prompt: string
  /** sections a postmortem cannot be published without */
  isRequiredToPublish: boolean
}

export const SECTIONS: readonly SectionTemplate[] = [
  {
    key: 'impact',
    title: 'Impact',
    prompt: 'Who and what was affected, for how long: users, requests (failed, slow, wrong answers), money where known. Which of these did our dashboards show, and which did we only learn from users?',
    isRequiredToPublish: true,
  },
  {
    key: 'detection',
    title: 'Detection',
    prompt: 'How did we find out, and how fast? Which alert or signal fired first, which should have fired earlier, and what did the system not measure that would have told us sooner?',
    isRequiredToPublish: true,
  },
  {
    key: 'root-cause',
    title: 'Root cause and contributing factors',
    prompt: 'What in the model, the data, the infrastructure or the configuration let this happen? Describe the conditions, not the person who met them: which safeguard, limit, test or signal was missing?',
    isRequiredToPublish: true,
  },
  {
    key: 'trigger',
    title: 'Trigger',
    prompt: 'What change or event set it off (a deploy, a traffic shift, a new input distribution, a node failure)? What would have shown us the risk before it happened?',
    isRequiredToPublish: false,
  },
  {
    key: 'resolution',
    title: 'Resolution',
    prompt: 'What stopped the impact and what fixed it for good? Which runbook steps helped, which were missing or wrong, and what evidence told us it was over?',
    isRequiredToPublish: true,
  },
  {
    key: 'went-well',
    title: 'What went well',
    prompt: 'Which signals, tools, runbooks and habits worked? What should we keep doing?',
    isRequiredToPublish: false,
  },
  {
    key: 'went-wrong',
    title: 'What went wrong',
    prompt: 'Where did the system, the tooling or the process make the work harder: missing or misleading telemetry, noisy alerts, unclear ownership, slow rollbacks?',
    isRequiredToPublish: false,
  },
  {
    key: 'got-lucky',
    title: 'Where we got lucky',
    prompt: 'What went right by chance, and would not next time (time of day, who happened to be online, a cache that happened to be warm)?',
    isRequiredToPublish: false,
  },
  {
    key: 'lessons',
    title: 'Lessons',
    prompt: 'What do we now know about this system that we did not before? Turn each lesson that needs work into an action item.',
    isRequiredToPublish: false,
  },
]

export function sectionTitle(key: string): string {
  const extra: Record<string, string> = { summary: 'Summary', timeline: 'Timeline', factors: 'Contributing factors' }
  return SECTIONS.find((s) => s.key === key)?.title ?? extra[key] ?? key
}

/** Comment anchors: the summary, the timeline, every written section and the contributing factors. */
export const COMMENT_SECTIONS = ['summary', 'timeline', ...SECTION_KEYS, 'factors'] as const
export type CommentSection = (typeof COMMENT_SECTIONS)[number]
