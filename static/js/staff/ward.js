// The ward on the phone: the households, members, last visits and "needs a visit" marks the
// staff member may see (GET /api/v1/ward-households, ward-scoped on the server), kept in
// IndexedDB sealed with the account's own key (vault.js), refreshed whenever a staff page
// opens with network. One record per account: another account on the same phone finds
// nothing it can read, and signing out deletes the copy, the key and the cached shell.
import { get, transaction } from '../idb.js';
import { DATABASE, vault } from '../households-queue.js';
import { getJson } from '../sender.js';

const FRESH_MS = 60 * 1000; // a page opened again within a minute reuses the copy

/** The ward copy of `account` ({generated_at, households, learners, ...}), or null. */
export async function loadWard(account) {
  const kept = await get(DATABASE, 'ward', account);
  if (!kept) return null;
  const data = await vault.open(account, kept.sealed);
  return data ? { ...data, fetched_at: kept.fetched_at } : null;
}

/** Fetch a new copy when online and the kept one is older than a minute; the copy kept. */
export async function refreshWard(account, { force = false } = {}) {
  const kept = await get(DATABASE, 'ward', account);
  if (!force && kept && Date.now() - kept.fetched_at < FRESH_MS) return loadWard(account);
  if (!navigator.onLine) return loadWard(account);
  const data = await getJson('/api/v1/ward-households', 60000);
  if (!data || data.account !== account) return loadWard(account);
  const sealed = await vault.seal(account, data);
  const fetchedAt = Date.now();
  await transaction(DATABASE, 'ward', 'readwrite', (stores) => {
    stores.ward.put({ account, sealed, fetched_at: fetchedAt });
  });
  return { ...data, fetched_at: fetchedAt };
}

/** Delete the ward copies and keys of every account but `keep` (all when null). */
export async function forgetWards(keep = null) {
  await transaction(DATABASE, 'ward', 'readwrite', (stores) => {
    stores.ward.openCursor().onsuccess = (event) => {
      const cursor = event.target.result;
      if (!cursor) return;
      if (cursor.key !== keep) cursor.delete();
      cursor.continue();
    };
  });
  await vault.forget({ keep });
}
