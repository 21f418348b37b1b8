/**
 * English phrases of the shell and the marketplace list: bundled with the first route.
 * Part of the one English table (en.ts = this + en-screens.ts); keys stay unique across both.
 */
export const enList = {
  "app.title": "Integrations",
  "app.back": "Back",
  "app.loading": "Loading…",
  "app.retry": "Try again",
  "app.dismiss": "Dismiss",
  "app.error.generic": "Something went wrong. Please try again.",
  "app.error.title": "We couldn't load this",

  "network.offline": "You're offline. Your changes are kept; we'll continue when you're back.",
  "network.reauth": "Your session has expired. Sign in again to continue; nothing you entered is lost.",
  "network.reauthAction": "Sign in again",

  "market.search": "Search integrations",
  "market.searchPlaceholder": "Search by name, vendor or label",
  "market.category": "Category",
  "market.allCategories": "All",
  "market.label": "Label",
  "market.allLabels": "All labels",
  "market.show": "Show",
  "market.filter.all": "All",
  "market.filter.activated": "Activated",
  "market.filter.available": "Available",
  "market.section.activated": "Activated",
  "market.section.available": "Available",
  "market.empty": "No integrations match",
  "market.emptyHint": "Try another search or clear the filters.",
  "market.clearFilters": "Clear filters",
  "market.showMore": "Show more",
  "market.count.one": "{count} integration",
  "market.count.other": "{count} integrations",
  "market.by": "by {vendor}",
  "market.activeCount.one": "{count} active",
  "market.activeCount.other": "{count} active",
  // Why the list could not load, by the failure's code (frame.codeText); any other code: app.error.generic.
  "market.error.NETWORK_ERROR": "You're offline. Connect to the internet, then try again.",
  "market.error.TIMEOUT": "The integrations service took too long to answer.",
  "market.error.SERVER_ERROR": "The integrations service had a problem. Try again in a moment.",
  "market.error.SERVICE_UNAVAILABLE": "The integrations service is down for a moment. Try again shortly.",
  "market.error.FORBIDDEN": "Your account may not see these integrations. Ask an admin.",
  "market.error.TOKEN_UNAVAILABLE": "Your session has expired. Sign in again, then try again.",

  "state.available": "Available",
  "state.activated": "Activated",
  "state.paused": "Paused",
  "state.needs-configuration": "Needs configuration",
  "state.update": "Update available",

  "toast.region": "Notifications",
  "toast.failed": "That didn't work: {message}",
} as const;
