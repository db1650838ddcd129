// Single-page navigation: pushState and back/forward to a new path count as a new page view.
export function onNavigate(win, cb) {
  const h = win.history;
  const loc = win.location;
  const push = h.pushState;
  const path = () => loc.pathname + loc.search;
  let last = path();
  const check = () => {
    if (path() !== last) {
      last = path();
      cb();
    }
  };
  // pushState returns nothing, so the wrapper returns nothing either.
  h.pushState = function () {
    push.apply(this, arguments);
    check();
  };
  win.addEventListener('popstate', check);
}
