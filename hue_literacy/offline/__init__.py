"""Offline-first: service worker, web app manifest, and the list of files a phone precaches."""
