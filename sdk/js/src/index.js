// The snippet's entry: the pertinent() command queue, one decision for the page's slots, behaviour
// events and single-page navigation. Any error leaves the page as it was, silently (unless data-debug).
import { readConfig } from './config.js';
import { makeStorage, sessionId } from './storage.js';
import { setConsent, visitorId } from './consent.js';
import { pageContext, requestDecision, slotRequest, where } from './decide.js';
import { hide, renderSlot } from './render.js';
import { makeQueue, watchImpression } from './events.js';
import { onNavigate } from './spa.js';

export function boot(win) {
  const stub = win.pertinent;
  // Defined only if absent: a second copy of the tag finds the loaded snippet and does nothing.
  if (stub?.loaded) return stub;
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
  // What each decided slot shows, by slot name (clicks and conversions join their decision through it),
  // and the page's latest decision and arm (for conversions without a slot).
  const decided = {};
  let last = {};
  // Ids for requests and events; null while tracking is disabled (no consent, Do-Not-Track, GPC).
  const ids = () => {
    const vid = visitorId(cfg, win, store);
    return vid && { visitor_id: vid, session_id: sessionId(win) };
  };
  const queue = makeQueue(cfg, win, () => {
    const b = ids();
    return b && { ...b, context: where(win) };
  });

  // A slot shown under a decision: its impression (half visible for a second), clicks and conversions join
  // that decision. The one path for slots decided here and for those the server already rendered.
  const track = (el, res, shown) => {
    const slot = el.dataset.pertinentSlot;
    last = { decision_id: res.decision_id, arm: res.arm };
    const st = (decided[slot] = { slot, ...last, content_id: shown[0] });
    // One impression per item shown, or one without an item when the default stayed (control).
    watchImpression(win, el, safe(() => (shown.length ? shown : [st.content_id]).forEach(
      (id) => queue.push({ type: 'impression', ...st, content_id: id }))));
  };

  const personalize = () => {
    // A slot the server rendered (WordPress server mode) is never decided again: it is tracked with the
    // decision, arm and items in its markup (not at all without a decision: the server's call failed).
    const els = [...doc.querySelectorAll('[data-pertinent-slot]')].filter((el) => {
      const d = el.dataset;
      if (seen.has(el)) return;
      seen.add(el);
      if (d.pertinentRendered != 'server') return true;
      if (d.pertinentDecision) track(el, { decision_id: d.pertinentDecision, arm: d.pertinentArm },
        [...el.querySelectorAll('[data-pertinent-content-id]')].map((n) => n.dataset.pertinentContentId));
    });
    if (!els.length || !cfg.endpoint) return;
    const reveal = hide(els.filter((el) => el.hasAttribute('data-pertinent-antiflicker')), cfg, win);
    const who = ids();
    const body = { ...who, context: pageContext(cfg, win, !!who), slots: els.map(slotRequest) };
    requestDecision(cfg, win, body)
      .then((res) => {
        for (const el of els) {
          const r = res.slots?.[el.dataset.pertinentSlot];
          if (r) track(el, res, renderSlot(el, r, cfg, doc, win.location) || []);
        }
        doc.dispatchEvent(new win.CustomEvent('pertinent:decided', { detail: res }));
      })
      .catch(log)
      .finally(reveal);
  };

  const commands = {
    track: (type, props) => queue.push({ type, ...props }),
    convert: (props = {}) => queue.push({ type: 'conversion', ...(decided[props.slot] || last), ...props }),
    consent: (granted) => setConsent(granted, store),
    flush: () => queue.send(),
  };
  // An unknown command throws inside safe(), so it is ignored (logged with data-debug).
  const api = safe((cmd, ...args) => commands[cmd](...args));
  api.loaded = true;
  win.pertinent = api;
  // Calls made through the queue stub before the snippet loaded, in order (consent first if given first).
  for (const args of stub?.q || []) api(...args);

  doc.addEventListener('click', safe((e) => {
    const t = e.target;
    const st = decided[t.closest('[data-pertinent-slot]')?.dataset.pertinentSlot];
    // The item clicked, else the slot's first item.
    const item = t.closest('[data-pertinent-content-id]');
    if (st) queue.push({ type: 'click', ...st, content_id: item?.dataset.pertinentContentId ?? st.content_id });
  }), true);

  // Dwell: time visible since the page (or the single-page view) started or came back into view.
  let since = Date.now();
  const leave = safe(() => {
    if (since) queue.push({ type: 'dwell', value: (Date.now() - since) / 1000, content_id: cfg.contentId });
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
  // (leave and start are safe themselves.)
  onNavigate(win, () => {
    leave();
    since = Date.now();
    // The first page's content id does not describe the next one; the url path still does.
    cfg.contentId = undefined;
    start();
  });
  const begin = safe(() => {
    start();
    // Slots rendered later (routers render after pushState, client-side widgets) get their own decision.
    new win.MutationObserver(safe(personalize)).observe(doc.body, { childList: true, subtree: true });
  });
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', begin);
  else begin();
  return api;
}
