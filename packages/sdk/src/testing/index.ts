// @tally/sdk/testing: an in-memory analytics client whose events can be asserted in a vendor's tests.

export type { TestAnalytics, TestAnalyticsOptions } from './test-analytics.js';
export { createTestAnalytics } from './test-analytics.js';
