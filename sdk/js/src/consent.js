// Whether this visitor may be remembered and tracked is decided here and nowhere else.
import { randomId } from './storage.js';

const CONSENT = 'pertinent_consent';
const VISITOR = 'pertinent_vid';

export function trackingDisabled(cfg, win, store) {
  const n = win.navigator;
  if (cfg.respectDnt && (n.doNotTrack == '1' || n.globalPrivacyControl)) return true;
  const c = store.get(CONSENT);
  // An explicit refusal always wins; otherwise consent matters only where the site requires it.
  return c === '0' || (cfg.consentRequired && c !== '1');
}

export function setConsent(granted, store) {
  store.set(CONSENT, granted ? '1' : '0');
  if (!granted) store.set(VISITOR, null);
}

// The random visitor id, created on first use and only when tracking is allowed; null otherwise.
export function visitorId(cfg, win, store) {
  if (trackingDisabled(cfg, win, store)) return null;
  let v = store.get(VISITOR);
  if (!v) store.set(VISITOR, (v = randomId(win)));
  return v;
}
