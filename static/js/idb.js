// IndexedDB as promises, for pages and the service worker alike (no DOM here). A database is
// described once (name, version, stores) and opened on first use; the connection is kept and
// closed when another tab or the service worker opens a newer version, so upgrades never hang.

const connections = new Map();

function upgrade(db, stores) {
  for (const [name, { keyPath, indexes = {} }] of Object.entries(stores)) {
    if (db.objectStoreNames.contains(name)) continue;
    const store = db.createObjectStore(name, { keyPath });
    for (const [index, path] of Object.entries(indexes)) store.createIndex(index, path);
  }
}

function open(spec, forget) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(spec.name, spec.version);
    request.onupgradeneeded = () => upgrade(request.result, spec.stores);
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => { db.close(); forget(); };
      db.onclose = forget; // the browser closed it (storage cleared)
      resolve(db);
    };
    request.onerror = () => reject(request.error);
  });
}

/** The open connection to the database `spec` describes ({name, version, stores}). */
export function database(spec) {
  let opening = connections.get(spec.name);
  if (!opening) {
    const forget = () => { if (connections.get(spec.name) === opening) connections.delete(spec.name); };
    opening = open(spec, forget);
    opening.catch(forget);
    connections.set(spec.name, opening);
  }
  return opening;
}

/**
 * Run `work` in one transaction over the stores named `names` (an object of object stores is
 * passed to it); resolves with what `work` returned once the transaction is committed (an
 * IDBRequest is replaced by its result), rejects if it aborted.
 */
export async function transaction(spec, names, mode, work) {
  const list = [names].flat();
  let db = await database(spec);
  let tx;
  try {
    tx = db.transaction(list, mode);
  } catch (error) {
    if (error.name !== 'InvalidStateError') throw error;
    connections.delete(spec.name); // closed under us for an upgrade: open it again, once
    db = await database(spec);
    tx = db.transaction(list, mode);
  }
  return new Promise((resolve, reject) => {
    const stores = Object.fromEntries(list.map((name) => [name, tx.objectStore(name)]));
    let result;
    try {
      result = work(stores);
    } catch (error) {
      tx.abort();
      reject(error);
      return;
    }
    tx.oncomplete = () => resolve(result instanceof IDBRequest ? result.result : result);
    tx.onabort = () => reject(tx.error || new DOMException('The transaction was aborted.', 'AbortError'));
  });
}

/** Everything in one store. */
export function getAll(spec, name) {
  return transaction(spec, name, 'readonly', (stores) => stores[name].getAll());
}

/** One record by its key, or undefined. */
export function get(spec, name, key) {
  return transaction(spec, name, 'readonly', (stores) => stores[name].get(key));
}

/** Store (or replace) records, all or none. */
export function putAll(spec, name, records) {
  return transaction(spec, name, 'readwrite', (stores) => {
    for (const record of records) stores[name].put(record);
  });
}
