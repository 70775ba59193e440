// Run before the first paint (a classic script in <head>): who uses this phone (as the
// server page says, else as this phone saw last), whether it is online and can work
// offline. CSS draws the notices that depend on these in their place from the start, so
// nothing moves when /api/v1/session answers later (session.js corrects the marks then).
(function firstState() {
  const root = document.documentElement;
  let who = 'guest';
  let group = '';
  const meta = document.querySelector('meta[name="hue-who"]');
  if (meta) {
    who = meta.content;
    group = meta.getAttribute('data-group') || '';
  } else {
    try {
      const seen = JSON.parse(localStorage.getItem('hue-session'));
      if (seen && seen.signed_in) {
        who = seen.role === 'learner' ? 'learner' : 'staff';
        group = seen.group || '';
      }
    } catch { /* private mode: a guest */ }
  }
  root.setAttribute('data-who', who);
  if (group) root.setAttribute('data-group', group);
  root.setAttribute('data-online', navigator.onLine ? 'yes' : 'no');
  root.setAttribute('data-offline-use',
    window.isSecureContext && 'serviceWorker' in navigator ? 'yes' : 'no');
}());
