/**
 * The names of a table declared as data (privileges, messages), in the shape an interface of a
 * kit merges (`interface Privileges extends KeysOf<typeof table> {}`): domains add their names
 * to the kit's type without the kit importing them.
 */
export type KeysOf<T> = { [K in keyof T]: true };
