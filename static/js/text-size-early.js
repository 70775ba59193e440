// The text size, applied before the first paint (a small blocking script in <head>), so
// nothing grows or moves once the page shows. A page made for a signed-in person carries the
// size kept on their account (data-text-size-account); a page kept for everyone (lessons)
// takes the one this phone keeps for the person it saw last, or the phone's own.
(() => {
  const root = document.documentElement;
  const KEY = 'hue-text-size';
  const account = root.getAttribute('data-text-size-account');
  let size;
  try {
    let who = root.getAttribute('data-account');
    if (!who) {
      const session = JSON.parse(localStorage.getItem('hue-session') || 'null');
      who = session && session.signed_in ? String(session.user_id) : null;
    }
    const mine = who ? `${KEY}:${who}` : KEY;
    // A choice made offline that the server has not heard of yet wins over the account's.
    if (account && !localStorage.getItem(`${KEY}-unsent:${who}`)) localStorage.setItem(mine, account);
    size = localStorage.getItem(mine) || (who ? null : localStorage.getItem(KEY));
  } catch {
    size = account; // storage blocked: the account's size, on pages made for the person
  }
  if (size === 'large' || size === 'larger') root.setAttribute('data-text-size', size);
})();
