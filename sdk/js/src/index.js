// The snippet's entry: the pertinent() command queue, one decision for the page's slots, behaviour
// events and single-page navigation. Any error leaves the page as it was, silently (unless data-debug).
import { readConfig } from './config.js';
import { makeStorage, sessionId } from './storage.js';
import { setConsent, visitorId } from './consent.js';
import { device, pageContext, requestDecision, slotRequest } from './decide.js';
import { hide, renderSlot } from './render.js';
import { makeQueue, watchImpression } from './events.js';
import { onNavigate } from './spa.js';

export function boot(win) {
  const stub = win.pertinent;
  // Defined only if absent: a second copy of the tag finds the loaded snippet and does nothing.
  if (stub && stub.loaded) return stub;
  const doc = win.document;
  const cfg = readConfig(doc.currentScript || doc.querySelector('script[data-endpoint]'), win.location);
  const log = cfg.debug ? (...a) => win.console.log('[pertinent]', ...a) : () => {};
  const safe = (fn) => (...a) => {
    try {
      return fn(...a);
    } catch (e) {
      log(e);
    }
  };
  const store = makeStorage(win);
  const seen = new WeakSet();
  // What each decided slot shows, by slot name (clicks and conversions join their decision through it).
  const decided = {};
  let last = {};
  // Ids for requests and events; null while tracking is disabled (no consent, Do-Not-Track, GPC).
  const ids = () => {
    const vid = visitorId(cfg, win, store);
    return vid && { visitor_id: vid, session_id: sessionId(win) };
  };
  const queue = makeQueue(cfg, win, () => {
    const b = ids();
    const context = { device: device(win), url: win.location.href, referrer: doc.referrer };
    return b && { ...b, context };
  });

  const personalize = () => {
    const els = [...doc.querySelectorAll('[data-pertinent-slot]')].filter((el) => !seen.has(el));
    if (!els.length || !cfg.endpoint) return;
    els.forEach((el) => seen.add(el));
    const reveal = hide(els.filter((el) => el.hasAttribute('data-pertinent-antiflicker')), cfg, win);
    const who = ids();
    const body = { ...who, context: pageContext(cfg, win, !!who), slots: els.map(slotRequest) };
    requestDecision(cfg, win, body)
      .then((res) => {
        last = res;
        for (const el of els) {
          const slot = el.dataset.pertinentSlot;
          const r = res.slots && res.slots[slot];
          if (!r) continue;
          const shown = renderSlot(el, r, cfg, doc, win.location) || [];
          const st = { slot, decision_id: res.decision_id, arm: res.arm, content_id: shown[0] };
          decided[slot] = st;
          // One impression per item shown, or one without an item when the default stayed (control).
          watchImpression(win, el, safe(() => (shown.length ? shown : [st.content_id]).forEach(
            (id) => queue.push({ type: 'impression', ...st, content_id: id }))));
        }
        doc.dispatchEvent(new win.CustomEvent('pertinent:decided', { detail: res }));
      })
      .catch(log)
      .finally(reveal);
  };

  const commands = {
    track: (type, props) => queue.push({ type, ...props }),
    convert: (props = {}) => {
      const joined = decided[props.slot] || { decision_id: last.decision_id, arm: last.arm };
      queue.push({ type: 'conversion', ...joined, ...props });
    },
    consent: (granted) => setConsent(granted, store),
    flush: () => queue.send(),
  };
  const api = function (cmd, ...args) {
    safe(commands[cmd])(...args);
  };
  api.loaded = true;
  win.pertinent = api;
  // Calls made through the queue stub before the snippet loaded, in order (consent first if given first).
  for (const args of (stub && stub.q) || []) api(...args);

  doc.addEventListener('click', safe((e) => {
    const t = e.target;
    const el = t.closest('[data-pertinent-slot]');
    const st = el && decided[el.dataset.pertinentSlot];
    const item = st && t.closest('[data-pertinent-content-id]');
    const id = item && { content_id: item.getAttribute('data-pertinent-content-id') };
    if (st) queue.push({ type: 'click', ...st, ...id });
  }), true);

  // Dwell: time visible since the page (or the single-page view) started or came back into view.
  let since = Date.now();
  const leave = safe(() => {
    const seconds = (Date.now() - since) / 1000;
    if (since) queue.push({ type: 'dwell', value: seconds, content_id: cfg.contentId });
    since = 0;
    queue.send();
  });
  doc.addEventListener('visibilitychange', safe(() => {
    if (doc.visibilityState === 'hidden') leave();
    else since = Date.now();
  }));

  const start = safe(() => {
    queue.push({ type: 'view', content_id: cfg.contentId });
    personalize();
  });
  onNavigate(win, safe(() => {
    leave();
    since = Date.now();
    // The first page's content id does not describe the next one; the url path still does.
    cfg.contentId = undefined;
    start();
  }));
  const begin = safe(() => {
    start();
    // Slots rendered later (routers render after pushState, client-side widgets) get their own decision.
    new win.MutationObserver(safe(personalize)).observe(doc.body, { childList: true, subtree: true });
  });
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', begin);
  else begin();
  return api;
}
