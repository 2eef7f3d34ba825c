import { notFound } from "../core/errors.js";
import { storageFor } from "./storage.js";
/** Uploaded files by key. Keys name their content (a hash), so a response never changes: cache it for a year. */
export function registerUploadRoutes(app, deps) {
    app.get("/uploads/*", async (req, reply) => {
        const key = req.params["*"];
        const file = await storageFor(deps.config).get(key);
        if (!file)
            throw notFound("File");
        return reply
            .header("cache-control", "public, max-age=31536000, immutable")
            .header("x-content-type-options", "nosniff")
            .type(file.type)
            .send(file.bytes);
    });
}
