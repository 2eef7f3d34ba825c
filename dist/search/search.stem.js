/**
 * Martin Porter's stemmer for English (the 1980 algorithm, with the usual "bli" -> "ble" and
 * "logi" -> "log" revisions, as in the reference implementations), so that the index and the
 * query reduce "disconnecting", "disconnects" and "disconnected" to one term on both engines.
 * Words that are not plain a-z (digits, other scripts) are returned unchanged.
 */
const STEP2 = {
    ational: "ate",
    tional: "tion",
    enci: "ence",
    anci: "ance",
    izer: "ize",
    bli: "ble",
    alli: "al",
    entli: "ent",
    eli: "e",
    ousli: "ous",
    ization: "ize",
    ation: "ate",
    ator: "ate",
    alism: "al",
    iveness: "ive",
    fulness: "ful",
    ousness: "ous",
    aliti: "al",
    iviti: "ive",
    biliti: "ble",
    logi: "log",
};
const STEP3 = {
    icate: "ic",
    ative: "",
    alize: "al",
    iciti: "ic",
    ical: "ic",
    ful: "",
    ness: "",
};
const c = "[^aeiou]";
const v = "[aeiouy]";
const C = `${c}[^aeiouy]*`;
const V = `${v}[aeiou]*`;
/** [C](VC){m}[V]: m > 0, m = 1, m > 1; a vowel in the stem; consonant-vowel-consonant (not w, x, y) at the end. */
const MGR0 = new RegExp(`^(${C})?${V}${C}`);
const MEQ1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
const MGR1 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
const HAS_VOWEL = new RegExp(`^(${C})?${v}`);
const CVC = new RegExp(`^${C}${v}[^aeiouwxy]$`);
const DOUBLE = /([^aeiouylsz])\1$/;
const STEP2_RE = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const STEP3_RE = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
const STEP4_RE = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
const STEP4_ION = /^(.+?)(s|t)(ion)$/;
function porter(word) {
    let w = word;
    const startsWithY = w[0] === "y";
    if (startsWithY)
        w = `Y${w.slice(1)}`;
    // Step 1a: plurals.
    const plural = /^(.+?)(ss|i)es$/.exec(w) ?? /^(.+?)([^s])s$/.exec(w);
    if (plural)
        w = plural[1] + plural[2];
    // Step 1b: -eed, -ed, -ing.
    const eed = /^(.+?)eed$/.exec(w);
    const ed = eed ? null : /^(.+?)(ed|ing)$/.exec(w);
    if (eed) {
        if (MGR0.test(eed[1]))
            w = w.slice(0, -1);
    }
    else if (ed && HAS_VOWEL.test(ed[1])) {
        w = ed[1];
        if (/(at|bl|iz)$/.test(w))
            w += "e";
        else if (DOUBLE.test(w))
            w = w.slice(0, -1);
        else if (CVC.test(w))
            w += "e";
    }
    // Step 1c: y -> i after a vowel in the stem.
    const y = /^(.+?)y$/.exec(w);
    if (y && HAS_VOWEL.test(y[1]))
        w = `${y[1]}i`;
    // Steps 2 and 3: double and single suffixes.
    const step2 = STEP2_RE.exec(w);
    if (step2 && MGR0.test(step2[1]))
        w = step2[1] + STEP2[step2[2]];
    const step3 = STEP3_RE.exec(w);
    if (step3 && MGR0.test(step3[1]))
        w = step3[1] + STEP3[step3[2]];
    // Step 4: -ant, -ence, ... when m > 1.
    const step4 = STEP4_RE.exec(w);
    const ion = step4 ? null : STEP4_ION.exec(w);
    if (step4) {
        if (MGR1.test(step4[1]))
            w = step4[1];
    }
    else if (ion && MGR1.test(ion[1] + ion[2]))
        w = ion[1] + ion[2];
    // Step 5: a final -e, a double l.
    const e = /^(.+?)e$/.exec(w);
    if (e && (MGR1.test(e[1]) || (MEQ1.test(e[1]) && !CVC.test(e[1]))))
        w = e[1];
    if (/ll$/.test(w) && MGR1.test(w))
        w = w.slice(0, -1);
    return startsWithY ? `y${w.slice(1)}` : w;
}
const cache = new Map();
const CACHE_MAX = 50_000;
/** The Porter stem of a lowercased English word; anything but a-z words of 3 letters or more is kept as it is. */
export function porterStem(word) {
    if (word.length < 3 || !/^[a-z]+$/.test(word))
        return word;
    let stem = cache.get(word);
    if (stem === undefined) {
        stem = porter(word);
        if (cache.size >= CACHE_MAX)
            cache.clear();
        cache.set(word, stem);
    }
    return stem;
}
