// The slots part of the snippet: one decision for the page's slots, their rendering, and the impressions
// of what they show. The every-page part (tracker.js) loads it only when the page has a slot.
import { explain, pageContext, requestDecision, slotRequest } from './decide.js';
import { hide, renderSlot } from './render.js';
import { watchImpression } from './events.js';

// Returns the page's personalize(): decides every slot not seen yet, in one request. core is what the
// tracker shares: config, window, queue, ids, safe/log, and the decided slots its clicks and conversions join.
export function slots(core) {
  const { win, cfg, safe, log, ids, queue, decided } = core;
  const doc = win.document;
  const seen = new WeakSet();

  // A slot shown under a decision: its impression (half visible for a second), clicks and conversions join
  // that decision. The one path for slots decided here and for those the server already rendered.
  const track = (el, res, shown) => {
    const slot = el.dataset.pertinentSlot;
    core.last = { decision_id: res.decision_id, arm: res.arm };
    const st = (decided[slot] = { slot, ...core.last, content_id: shown[0] });
    // One impression per item shown, or one without an item when the default stayed (control).
    watchImpression(win, el, safe(() => (shown.length ? shown : [st.content_id]).forEach(
      (id) => queue.push({ type: 'impression', ...st, content_id: id }))));
  };

  return () => {
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
    // Only a failed request gets the setup explanation; a rendering bug is logged as itself.
    requestDecision(cfg, win, body)
      .catch((e) => {
        throw new Error(explain(e, cfg, win.location.origin));
      })
      .then((res) => {
        for (const el of els) {
          const r = res.slots?.[el.dataset.pertinentSlot];
          if (r) track(el, res, renderSlot(el, r, cfg, doc, win.location) || []);
        }
        doc.dispatchEvent(new win.CustomEvent('pertinent:decided', { detail: res }));
      })
      .catch((e) => log(e?.message || e))
      .finally(reveal);
  };
}

// Hands the slots part to the tracker with the 'slots' command; through the command queue stub when this
// file ran first (the tracker replays the stub's calls when it boots).
export function register(win) {
  const p = win.pertinent || (win.pertinent = function stub() { (stub.q = stub.q || []).push(arguments); });
  p('slots', slots);
}
