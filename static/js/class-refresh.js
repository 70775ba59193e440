// The class view: reload the list of who joined every 20 seconds while the page is visible.
const list = document.querySelector('[data-refresh-url]');

async function refresh() {
  if (document.visibilityState !== 'visible' || list.contains(document.activeElement)) return;
  try {
    const response = await fetch(list.dataset.refreshUrl, {
      credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' },
    });
    // Signed out meanwhile: the answer is the sign-in page, not a list; leave the list as it is.
    if (response.ok && !response.redirected) list.innerHTML = await response.text();
  } catch {
    // Offline for a moment: the next round tries again.
  }
}

if (list) setInterval(refresh, 1000 * Number(list.dataset.refreshSeconds || 20));
