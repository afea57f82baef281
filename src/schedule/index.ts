/** The pure scheduling core: zone math, slots per local date, and what each scheduler tick plans. */
export {
  clearZoneCache,
  instantOfLocal,
  isTimeZone,
  type LocalParts,
  localParts,
  minuteOfDay,
} from './localTime.ts';
export {
  DEFAULT_GRACE_MS,
  DEFAULT_LOOKBACK_MS,
  type PlanDestination,
  type PlannedSlot,
  type PlanOptions,
  planTick,
  type SkippedSlot,
  type TickPlan,
} from './planTick.ts';
export { type DigestSchedule, MAX_WINDOW_MS, nextSlot, type Slot, slotOn, slotsBetween } from './slots.ts';
