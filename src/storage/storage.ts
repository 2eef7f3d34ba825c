import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/** Where uploaded files live: local disk by default, an object store later behind the same three calls. */
export interface Storage {
  put(key: string, bytes: Buffer, type: string): Promise<void>;
  get(key: string): Promise<{ bytes: Buffer; type: string } | null>;
  delete(key: string): Promise<void>;
}

/** Content types we store, by file extension; a key always ends in one of these. */
const TYPES: Record<string, string> = { ".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png" };

/**
 * Keys are paths of plain segments: no "..", no absolute paths, no odd characters, and no segment
 * longer than a file system takes (a 300-character name would fail with ENAMETOOLONG).
 */
function isValidKey(key: string): boolean {
  return /^[a-z0-9-]{1,128}(\/[a-z0-9-]{1,128}){0,7}\.[a-z0-9]{1,8}$/.test(key) && path.extname(key) in TYPES;
}

function checkKey(key: string): void {
  if (!isValidKey(key)) throw new Error(`Invalid storage key "${key}"`);
}

/** Files under a directory, one file per key; the type comes from the key's extension. */
export class LocalStorage implements Storage {
  constructor(private readonly root: string) {}

  async put(key: string, bytes: Buffer, type: string): Promise<void> {
    checkKey(key);
    if (TYPES[path.extname(key)] !== type) throw new Error(`Key "${key}" does not match type ${type}`);
    const file = path.join(this.root, key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Write then rename, so a reader never sees half a file. The temporary name is random: two
    // uploads of the same picture (the same key) in one millisecond must not share it. The bytes
    // reach the disk before the rename: after a crash the key must not name an empty or cut file,
    // which would be served as it is for a year. A write that fails leaves no temporary file.
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      const handle = await fs.open(temporary, "wx");
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<{ bytes: Buffer; type: string } | null> {
    if (!isValidKey(key)) return null;
    try {
      return { bytes: await fs.readFile(path.join(this.root, key)), type: TYPES[path.extname(key)] };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await fs.rm(path.join(this.root, key), { force: true });
  }
}

const byDirectory = new Map<string, Storage>();

/** The upload storage of an installation: DATA_DIR/uploads. */
export function storageFor(config: { dataDir: string }): Storage {
  const root = path.join(config.dataDir, "uploads");
  let storage = byDirectory.get(root);
  if (!storage) {
    storage = new LocalStorage(root);
    byDirectory.set(root, storage);
  }
  return storage;
}
