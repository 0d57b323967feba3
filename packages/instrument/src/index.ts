// @tally/instrument: wiring Tally into a host app. HTTP middleware (one core, thin adapters),
// performance decorators, and domain trackers that take the app's records.
export {};
