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

// What a failed decide means for whoever set the tag up (data-debug): the status or the browser's bare
// "Failed to fetch" alone does not say which attribute or setting to check.
export function explain(err, cfg, origin) {
  const at = cfg.endpoint + '/decide';
  if (err === 401 || err === 403) {
    return `${at} refused the key (${err}): data-site-key must be the sidecar's public key (PERTINENT_PUBLIC_KEY), never the server key`;
  }
  if (err === 404) return `${at} does not exist (404): data-endpoint ends in /v1, e.g. https://sidecar.example.com/v1`;
  if (err === 429) return `${at} is rate-limiting this browser (429); the default content stays`;
  if (typeof err === 'number') return `${at} answered ${err}; the default content stays`;
  if (err?.name === 'AbortError') return `${at} did not answer within ${cfg.timeout} ms (data-timeout); the default content stays`;
  const v1 = /\/v\d+$/.test(cfg.endpoint) ? '' : ' data-endpoint does not end in /v1;';
  return `could not reach ${at} (${err?.message || err}):${v1} check that the sidecar runs there and that PERTINENT_ALLOWED_ORIGINS lists ${origin}`;
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
