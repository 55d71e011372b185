import { describe, expect, it } from 'vitest'
import { adjacentWeeks, clipToWindow, evaluationEnd, impactWindow, periodSearch, reviewPeriod, weekStartOf } from './period'
import { reviewQuerySchema } from './schemas'

// Wednesday 25 November 2026, 14:30 UTC
const now = new Date('2026-11-25T14:30:00Z')

describe('team weeks', () => {
  it('finds the latest week start on or before a moment, for any first weekday', () => {
    expect(weekStartOf(now, 'monday').toISOString()).toBe('2026-11-23T00:00:00.000Z')
    expect(weekStartOf(now, 'sunday').toISOString()).toBe('2026-11-22T00:00:00.000Z')
    expect(weekStartOf(now, 'wednesday').toISOString()).toBe('2026-11-25T00:00:00.000Z')
    expect(weekStartOf(now, 'thursday').toISOString()).toBe('2026-11-19T00:00:00.000Z')
    // exactly at midnight of the start day, that day is the start
    expect(weekStartOf(new Date('2026-11-23T00:00:00Z'), 'monday').toISOString()).toBe('2026-11-23T00:00:00.000Z')
  })

  it('defaults to the last complete week, compared with the week before', () => {
    const period = reviewPeriod({}, now)
    expect(period.start.toISOString()).toBe('2026-11-16T00:00:00.000Z')
    expect(period.end.toISOString()).toBe('2026-11-23T00:00:00.000Z')
    expect(period.previous).toEqual({ start: new Date('2026-11-09T00:00:00Z'), end: new Date('2026-11-16T00:00:00Z') })
    expect(period.week).toBe('2026-11-16')
    expect(period.label).toBe('week of 16 Nov 2026')
  })

  it('aligns ?week= to the team week holding that day, so a pasted link shows the same week', () => {
    expect(reviewPeriod({ week: '2026-11-18' }, now).week).toBe('2026-11-16')
    const sundays = reviewPeriod({ week: '2026-11-18' }, now, 'sunday')
    expect(sundays.start.toISOString()).toBe('2026-11-15T00:00:00.000Z')
    expect(sundays.weekStart).toBe('sunday')
  })

  it('takes from/to as given, with a previous period of the same length', () => {
    const period = reviewPeriod({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-15T00:00:00Z') }, now)
    expect(period.previous.start.toISOString()).toBe('2026-10-18T00:00:00.000Z')
    expect(period.week).toBeNull()
    expect(period.label).toBe('2026-11-01 to 2026-11-14')
    expect(periodSearch(period)).toBe('from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-15T00%3A00%3A00.000Z')
    const hours = reviewPeriod({ from: new Date('2026-11-01T06:00:00Z'), to: new Date('2026-11-01T18:00:00Z') }, now)
    expect(hours.label).toBe('2026-11-01 06:00 to 2026-11-01 18:00 UTC')
  })

  it('offers the previous week always and the next one only up to the current week', () => {
    expect(adjacentWeeks(reviewPeriod({}, now), now)).toEqual({ previous: '2026-11-09', next: '2026-11-23', current: '2026-11-23' })
    expect(adjacentWeeks(reviewPeriod({ week: '2026-11-23' }, now), now).next).toBeNull()
  })

  it('evaluates a running period as of now', () => {
    const running = reviewPeriod({ week: '2026-11-23' }, now)
    expect(evaluationEnd(running, now)).toEqual(now)
    expect(evaluationEnd(reviewPeriod({}, now), now).toISOString()).toBe('2026-11-23T00:00:00.000Z')
  })
})

describe('incident windows in a period', () => {
  const week = { start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') }
  it('clips to the period, runs an open incident to the period end, and drops one outside', () => {
    expect(clipToWindow({ startedAt: new Date('2026-11-15T22:00:00Z'), mitigatedAt: null, resolvedAt: new Date('2026-11-16T02:00:00Z') }, week)).toEqual({ start: week.start, end: new Date('2026-11-16T02:00:00Z') })
    expect(clipToWindow({ startedAt: new Date('2026-11-22T20:00:00Z'), mitigatedAt: null, resolvedAt: null }, week)).toEqual({ start: new Date('2026-11-22T20:00:00Z'), end: week.end })
    expect(clipToWindow({ startedAt: new Date('2026-11-10T00:00:00Z'), mitigatedAt: null, resolvedAt: new Date('2026-11-11T00:00:00Z') }, week)).toBeNull()
  })

  it('ends a mitigated, unresolved incident at its mitigation, as its postmortem charges it', () => {
    const incident = { startedAt: new Date('2026-11-18T10:00:00Z'), mitigatedAt: new Date('2026-11-18T11:00:00Z'), resolvedAt: null }
    expect(clipToWindow(incident, week)).toEqual(impactWindow(incident, week.end))
    expect(clipToWindow(incident, week)).toEqual({ start: incident.startedAt, end: incident.mitigatedAt })
    // mitigated before the period began: it burned nothing in it
    expect(clipToWindow({ ...incident, startedAt: new Date('2026-11-14T10:00:00Z'), mitigatedAt: new Date('2026-11-15T10:00:00Z') }, week)).toBeNull()
  })
})

describe('the review query string', () => {
  const issues = (query: Record<string, string>) => {
    const parsed = reviewQuerySchema.safeParse(query)
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
  }

  it('accepts a week, days or ISO times, or nothing', () => {
    expect(reviewQuerySchema.parse({})).toEqual({})
    expect(reviewQuerySchema.parse({ week: '2026-11-16' })).toEqual({ week: '2026-11-16' })
    expect(reviewQuerySchema.parse({ from: '2026-11-01', to: '2026-11-08T12:00:00+01:00' })).toEqual({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-08T11:00:00Z') })
  })

  it('names the parameter that is wrong', () => {
    expect(issues({ week: '16/11/2026' })).toEqual(['week: must be a date like 2026-11-16'])
    expect(issues({ week: '2026-02-30' })).toEqual(['week: is not a real date'])
    expect(issues({ from: '2026-11-01' })).toEqual(['to: is required with from'])
    expect(issues({ from: '2026-11-08', to: '2026-11-01' })).toEqual(['to: must be after from'])
    expect(issues({ from: '2026-01-01', to: '2026-11-01' })).toEqual(['to: must be at most 92 days after from'])
    expect(issues({ from: 'yesterday', to: '2026-11-01' })[0]).toMatch(/^from: must be a date/)
    expect(issues({ week: '2026-11-16', from: '2026-11-01', to: '2026-11-08' })).toEqual(['week: give either week or from and to, not both'])
    expect(issues({ weeks: '2026-11-16' })[0]).toMatch(/weeks/)
  })

  it('keeps periods, and the periods they are compared with, in years the database can hold', () => {
    expect(issues({ week: '0001-01-01' })).toEqual(['week: must be between 2000-01-01 and 2099-12-31'])
    expect(issues({ week: '9999-12-31' })).toEqual(['week: must be between 2000-01-01 and 2099-12-31'])
    expect(issues({ week: '2000-01-20' })).toEqual([])
    expect(issues({ from: '2000-01-02', to: '2000-01-09' })).toEqual(['from: must be between 2000-01-01 and 2099-12-31, with the period before it'])
    expect(issues({ from: '2099-12-20', to: '2100-01-02' })).toEqual(['to: must be between 2000-01-01 and 2099-12-31'])
  })
})
