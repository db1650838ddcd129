// The part of the snippet every page loads: the pertinent() command queue, the first-party visitor, and
// the page's view, dwell and link clicks. Pages with slots also get the slots part (slots.js: decide and
// render), loaded the first time a slot appears. Any error leaves the page as it was (logged with data-debug).
import { readConfig } from './config.js';
import { makeStorage, sessionId } from './storage.js';
import { setConsent, visitorId } from './consent.js';
import { makeQueue, where } from './events.js';
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
  // Ids for requests and events; null while tracking is disabled (no consent, Do-Not-Track, GPC).
  const ids = () => {
    const vid = visitorId(cfg, win, store);
    return vid && { visitor_id: vid, session_id: sessionId(win) };
  };
  const queue = makeQueue(cfg, win, () => {
    const b = ids();
    return b && { ...b, context: where(win) };
  });
  // What the slots part shares with this one. It fills `decided` (what each decided slot shows, by slot
  // name) and `last` (the page's latest decision and arm), which clicks and conversions join, and sets
  // `personalize` when it has loaded.
  const core = { win, cfg, safe, log, ids, queue, decided: {}, last: {} };
  let started;
  let loading;

  // Slots on the page (now or later) are decided by the slots part, fetched once, when the first appears.
  // A tag for it already on the page (the WordPress plugin prints one next to a slot) is not fetched twice.
  const personalize = () => {
    if (core.personalize) return core.personalize();
    if (loading || !cfg.slotsSrc || !doc.querySelector('[data-pertinent-slot]')) return;
    loading = doc.querySelector('script[data-pertinent-slots]');
    if (loading) return;
    loading = doc.createElement('script');
    loading.src = cfg.slotsSrc;
    loading.setAttribute('data-pertinent-slots', '');
    doc.head.appendChild(loading);
  };

  const commands = {
    track: (type, props) => queue.push({ type, ...props }),
    convert: (props = {}) => queue.push({ type: 'conversion', ...(core.decided[props.slot] || core.last), ...props }),
    consent: (granted) => setConsent(granted, store),
    flush: () => queue.send(),
    // The slots part registering itself (slots.js register()).
    slots: (part) => {
      core.personalize = core.personalize || safe(part(core));
      if (started) core.personalize();
    },
  };
  // An unknown command throws inside safe(), so it is ignored (logged with data-debug).
  const api = safe((cmd, ...args) => commands[cmd](...args));
  api.loaded = true;
  win.pertinent = api;
  // Calls made through the queue stub before the snippet loaded, in order (consent first if given first).
  for (const args of stub?.q || []) api(...args);

  doc.addEventListener('click', safe((e) => {
    const t = e.target;
    const st = core.decided[t.closest('[data-pertinent-slot]')?.dataset.pertinentSlot];
    const item = t.closest('[data-pertinent-content-id]')?.dataset.pertinentContentId;
    // In a decided slot: the item clicked (else the slot's first item), under the slot's decision. Elsewhere
    // only links count: engagement with the item marked around the link, else with this page's content.
    if (st) queue.push({ type: 'click', ...st, content_id: item ?? st.content_id });
    else if (t.closest('a[href]')) queue.push({ type: 'click', content_id: item ?? cfg.contentId });
  }), true);

  // Dwell: time visible since the page (or the single-page view) started or came back into view. Sent
  // when the page is hidden or unloaded (pagehide catches what visibilitychange misses), once.
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
  win.addEventListener('pagehide', leave);

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
    // Pages that are not WordPress may name their content on <body data-content-id> instead of the tag.
    cfg.contentId = cfg.contentId || doc.body.dataset.contentId || undefined;
    started = 1;
    start();
    // Slots rendered later (routers render after pushState, client-side widgets) get their own decision.
    new win.MutationObserver(safe(personalize)).observe(doc.body, { childList: true, subtree: true });
  });
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', begin);
  else begin();
  return api;
}
