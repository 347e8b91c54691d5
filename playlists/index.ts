export * from './plan.js';
export * from './validate.js';
export * from './resolver.js';
export { ZoneCalendar, isValidTimeZone } from './zone.js';
export type { Interval } from './activity.js';
export * from './protocol.js';
export { canonicalJson } from './canonical.js';
export * from './release-proof.js';
export * from './release-index.js';
