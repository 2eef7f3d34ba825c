import type { FastifyRequest } from "fastify";
import { AppError, badRequest, validationFailed } from "../core/errors.ts";

export interface MultipartFile {
  bytes: Buffer;
  /** Cut at the file size limit: too large, whatever it holds. */
  truncated: boolean;
  name: string;
}

/**
 * Reads a multipart body (a form with a file field): the file sent as `fileField`, if any, and
 * the text fields. A body the parser cannot read is a 400, not a 500; a text field cut at the
 * field size limit is refused rather than stored cut (possibly in the middle of a character).
 */
export async function readMultipart(
  req: FastifyRequest,
  fileField: string,
): Promise<{ file: MultipartFile | null; fields: Record<string, string> }> {
  let file: MultipartFile | null = null;
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === "file") {
        const bytes = await part.toBuffer();
        if (part.fieldname === fileField) file = { bytes, truncated: part.file.truncated, name: part.filename ?? "" };
      } else if (typeof part.value === "string") {
        if (part.valueTruncated) throw validationFailed({ [part.fieldname]: "This field is too long." });
        if (part.value.includes("\0")) throw validationFailed({ [part.fieldname]: "Remove the NUL character." });
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    // Ours, and the plugin's own client errors (too many parts: 413), say what went wrong already.
    const status = (error as { statusCode?: number }).statusCode;
    if (error instanceof AppError || (status !== undefined && status >= 400 && status < 500)) throw error;
    throw badRequest("The form data could not be read: send it again.");
  }
  return { file, fields };
}
