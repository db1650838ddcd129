// Single-page navigation: pushState and back/forward to a new path count as a new page view.
export function onNavigate(win, cb) {
  const h = win.history;
  const loc = win.location;
  const push = h.pushState;
  let last = loc.pathname + loc.search;
  const check = () => {
    const now = loc.pathname + loc.search;
    if (now !== last) {
      last = now;
      cb();
    }
  };
  h.pushState = function () {
    const r = push.apply(this, arguments);
    check();
    return r;
  };
  win.addEventListener('popstate', check);
}
