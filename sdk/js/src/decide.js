// One decide request for all slots of the page, aborted after the timeout so the defaults simply stay.
import { apiUrl } from './config.js';
import { where } from './events.js';

// What a slot element asks for, read from its data- attributes.
export function slotRequest(el) {
  const d = el.dataset;
  const s = {
    name: d.pertinentSlot,
    kind: d.pertinentKind || 'recommendations',
    count: +d.pertinentCount || 1,
  };
  const c = (d.pertinentCandidates || '').match(/[^\s,]+/g);
  if (c) s.candidates = c;
  return s;
}

// What the page knows about this view; the sidecar keeps the referrer's host and the url's path only.
export function pageContext(cfg, win, consent) {
  const utm = {};
  for (const [k, v] of new URLSearchParams(win.location.search)) {
    if (k.startsWith('utm_')) utm[k.slice(4)] = v;
  }
  return { ...where(win), content_id: cfg.contentId, utm, locale: win.navigator.language, consent };
}

// POST with a text/plain JSON body and the key in the query: a "simple" request, so no CORS preflight.
export function requestDecision(cfg, win, body) {
  const ctl = new win.AbortController();
  // Aborting after the answer has been read does nothing, so the timer is simply left to run out.
  win.setTimeout(() => ctl.abort(), cfg.timeout);
  return win
    .fetch(apiUrl(cfg, 'decide'), { method: 'POST', body: JSON.stringify(body), signal: ctl.signal })
    .then((r) => {
      if (!r.ok) throw r.status;
      return r.json();
    });
}
