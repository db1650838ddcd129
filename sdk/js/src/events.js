// Behaviour events, queued and sent in batches with sendBeacon (fetch keepalive as the fallback), as a
// text/plain JSON body so no CORS preflight is needed; the page going hidden sends what is queued.
import { apiUrl } from './config.js';
import { attempt } from './storage.js';

// Where the page is seen: sent with the decide request and with every event.
export function where(win) {
  const w = win.innerWidth || 1024;
  return {
    url: win.location.href,
    referrer: win.document.referrer,
    device: w < 768 ? 'mobile' : w < 1024 ? 'tablet' : 'desktop',
  };
}

export function makeQueue(cfg, win, base) {
  let q = [];
  const send = () => {
    if (!q.length) return;
    const body = JSON.stringify({ events: q });
    const url = apiUrl(cfg, 'events');
    const n = win.navigator;
    q = [];
    // sendBeacon, or fetch where it is missing or refuses; dropped silently when both fail.
    attempt(() => n.sendBeacon(url, body))
      || attempt(() => win.fetch(url, { method: 'POST', body, keepalive: true }).catch(() => {}));
  };
  // base() is null while tracking is disabled: nothing is queued then, not even anonymously. Without an
  // endpoint (a tag missing data-endpoint) there is nowhere to send to.
  const push = (ev) => {
    const b = cfg.endpoint && base();
    if (!b) return;
    q.push({ timestamp: Date.now() / 1000, ...b, ...ev });
    if (q.length >= 20) send();
  };
  return { push, send };
}

// An impression is a slot at least half visible for a second, counted once per decision. (Every browser
// that parses this bundle's syntax has IntersectionObserver.)
export function watchImpression(win, el, fire) {
  let timer = 0;
  const io = new win.IntersectionObserver(
    (entries) => {
      if (entries.pop().intersectionRatio >= 0.5) {
        timer = timer || win.setTimeout(() => { io.disconnect(); fire(); }, 1000);
      } else {
        win.clearTimeout(timer);
        timer = 0;
      }
    },
    { threshold: 0.5 },
  );
  io.observe(el);
}
