/** Without a screening or vote rules installed, every post appears and every vote counts. */
let installed = {
    screening: {
        screen: async () => ({ state: "visible", review: null }),
        checkMarkup: () => undefined,
        hold: async () => undefined,
    },
    votes: { check: async () => null, record: async () => undefined, recordAccept: async () => undefined },
};
export function installTopicExtensions(extensions) {
    installed = extensions;
}
export function topicExtensions() {
    return installed;
}
