/**
 * The evaluations read ../shared/data/stackexchange/<site> in place, with the importer's reader
 * of the official dump format (src/transfer/stackexchange.dump.ts).
 */
import { dumpRows, tagsOf } from "../src/transfer/stackexchange.dump.ts";

export { tagsOf };

/** The attributes of each `<row .../>` of a Stack Exchange dump file, streamed line by line. */
export const xmlRows = (file: string) => dumpRows(file);
