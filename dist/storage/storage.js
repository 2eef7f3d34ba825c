import fs from "node:fs/promises";
import path from "node:path";
/** Content types we store, by file extension; a key always ends in one of these. */
const TYPES = { ".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png" };
/** Keys are paths of plain segments: no "..", no absolute paths, no odd characters. */
function isValidKey(key) {
    return /^[a-z0-9-]+(\/[a-z0-9-]+)*\.[a-z0-9]+$/.test(key) && path.extname(key) in TYPES;
}
function checkKey(key) {
    if (!isValidKey(key))
        throw new Error(`Invalid storage key "${key}"`);
}
/** Files under a directory, one file per key; the type comes from the key's extension. */
export class LocalStorage {
    root;
    constructor(root) {
        this.root = root;
    }
    async put(key, bytes, type) {
        checkKey(key);
        if (TYPES[path.extname(key)] !== type)
            throw new Error(`Key "${key}" does not match type ${type}`);
        const file = path.join(this.root, key);
        await fs.mkdir(path.dirname(file), { recursive: true });
        // Write then rename, so a reader never sees half a file.
        const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
        await fs.writeFile(temporary, bytes);
        await fs.rename(temporary, file);
    }
    async get(key) {
        if (!isValidKey(key))
            return null;
        try {
            return { bytes: await fs.readFile(path.join(this.root, key)), type: TYPES[path.extname(key)] };
        }
        catch (error) {
            if (error.code === "ENOENT")
                return null;
            throw error;
        }
    }
    async delete(key) {
        checkKey(key);
        await fs.rm(path.join(this.root, key), { force: true });
    }
}
const byDirectory = new Map();
/** The upload storage of an installation: DATA_DIR/uploads. */
export function storageFor(config) {
    const root = path.join(config.dataDir, "uploads");
    let storage = byDirectory.get(root);
    if (!storage) {
        storage = new LocalStorage(root);
        byDirectory.set(root, storage);
    }
    return storage;
}
