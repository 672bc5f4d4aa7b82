// The person's examples ("this is a 3"), kept in IndexedDB so they survive a reload.
// Each record: { id, dataset, label (class index), pixels: Uint8Array(one byte per pixel), created }.
// Where IndexedDB is unavailable (private modes), examples live in memory for the session.

const DB_NAME = "mlpvis";
const STORE = "examples";

export class ExampleStore {
  constructor(indexedDB = globalThis.indexedDB) {
    this.db = indexedDB ? open(indexedDB).catch(() => null) : Promise.resolve(null);
    this.memory = [];
    this.nextId = 1;
  }

  /** Add one example; resolves with its id. */
  async add(dataset, label, pixels) {
    const record = { dataset, label, pixels: new Uint8Array(pixels), created: Date.now() };
    const db = await this.db;
    if (!db) {
      const id = this.nextId++;
      this.memory.push({ ...record, id });
      return id;
    }
    return run(db, "readwrite", (store) => store.add(record));
  }

  /** The examples of `dataset`, oldest first. */
  async list(dataset) {
    const db = await this.db;
    const all = db ? await run(db, "readonly", (store) => store.getAll()) : this.memory;
    return all.filter((record) => record.dataset === dataset).sort((a, b) => a.id - b.id);
  }

  async remove(id) {
    const db = await this.db;
    if (!db) {
      this.memory = this.memory.filter((record) => record.id !== id);
      return;
    }
    await run(db, "readwrite", (store) => store.delete(id));
  }

  /** Forget every example of `dataset`; resolves with how many there were. */
  async clear(dataset) {
    const records = await this.list(dataset);
    for (const record of records) await this.remove(record.id);
    return records.length;
  }
}

function open(indexedDB) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function run(db, mode, action) {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = action(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}
