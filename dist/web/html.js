/** HTML built with tagged templates: interpolated values are escaped unless they are already Html. */
export class Html {
    value;
    constructor(value) {
        this.value = value;
    }
    toString() {
        return this.value;
    }
}
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const SPECIAL = /[&<>"']/;
const SPECIAL_ALL = /[&<>"']/g;
export function escapeHtml(value) {
    // Most values (names, numbers, dates, URLs) need no escaping: test before replacing.
    return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]) : value;
}
function render(part) {
    if (part === null || part === undefined || part === false || part === true)
        return "";
    if (typeof part === "string")
        return escapeHtml(part);
    if (part instanceof Html)
        return part.value;
    if (Array.isArray(part)) {
        let out = "";
        for (const item of part)
            out += render(item);
        return out;
    }
    return escapeHtml(String(part));
}
export function html(strings, ...values) {
    let out = strings[0];
    for (let i = 0; i < values.length; i++)
        out += render(values[i]) + strings[i + 1];
    return new Html(out);
}
/** Marks trusted markup (our own sanitized Markdown output) as HTML. */
export function raw(value) {
    return new Html(value);
}
/** Fills `{name}` placeholders of a (translated) text with values that may be markup; the text itself is escaped. */
export function fill(template, params) {
    const pieces = template.split(/\{(\w+)\}/);
    return new Html(pieces
        .map((piece, i) => (i % 2 === 0 ? escapeHtml(piece) : piece in params ? render(params[piece]) : `{${piece}}`))
        .join(""));
}
