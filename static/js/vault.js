// Sealing personal data kept on a phone (no DOM here: the service worker imports it). Each
// staff account gets its own AES-GCM key, made on the phone by WebCrypto as non-extractable
// (scripts can use it but never read it out) and kept in IndexedDB; what is sealed with it
// can be opened only on this phone, only while the key exists. Forgetting the key (sign-out)
// makes everything sealed with it unreadable at once, also copies the browser kept.
import { get, transaction } from './idb.js';

/** A vault keeping its keys in `store` (keyPath `account`) of the database `spec`. */
export function createVault(spec, store) {
  async function key(account, make) {
    const kept = await get(spec, store, account);
    if (kept || !make) return kept ? kept.key : null;
    const made = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    await transaction(spec, store, 'readwrite', (stores) => stores[store].put({ account, key: made }));
    return (await get(spec, store, account)).key; // another tab may have made one first
  }

  return {
    /** `value` (anything JSON) sealed for `account`: `{iv, data}`. */
    async seal(account, value) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const plain = new TextEncoder().encode(JSON.stringify(value));
      const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await key(account, true), plain);
      return { iv, data };
    },

    /** What `seal` sealed, or undefined when the key is gone or the data was not sealed by it. */
    async open(account, sealed) {
      const found = sealed && await key(account, false);
      if (!found) return undefined;
      try {
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, found, sealed.data);
        return JSON.parse(new TextDecoder().decode(plain));
      } catch {
        return undefined;
      }
    },

    /** Forget the key of `account` (or every key but `keep`'s). */
    forget({ account = null, keep = null } = {}) {
      return transaction(spec, store, 'readwrite', (stores) => {
        if (account != null) {
          stores[store].delete(account);
          return;
        }
        stores[store].openCursor().onsuccess = (event) => {
          const cursor = event.target.result;
          if (!cursor) return;
          if (cursor.key !== keep) cursor.delete();
          cursor.continue();
        };
      });
    },
  };
}
