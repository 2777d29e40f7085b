// Messages waiting to be sent, kept in IndexedDB so that neither a lost connection nor a reload
// loses them. Each entry is keyed by its client id; the server stores a client id once, so
// sending an entry twice is harmless. Entries go out in the order they were written.

const DB_NAME = "toricy-outbox";
const STORE = "messages";
let opening = null;

function open() {
  if (!("indexedDB" in window)) return Promise.resolve(null);
  if (!opening) {
    opening = new Promise((resolve) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: "clientId" });
        store.createIndex("chat", "chatId");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null); // private mode: the page still works, unsaved
    });
  }
  return opening;
}

async function run(mode, action) {
  const db = await open();
  if (!db) return null;
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = action(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

export function put(entry) {
  return run("readwrite", (store) => store.put(entry));
}

export function remove(clientId) {
  return run("readwrite", (store) => store.delete(clientId));
}

export async function pending(chatId) {
  const rows = (await run("readonly", (store) => store.index("chat").getAll(chatId))) || [];
  return rows.sort((a, b) => a.createdAt - b.createdAt);
}
