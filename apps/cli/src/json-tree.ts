/**
 * JSON files as key trees: nested objects are hierarchical keys (`{"a":{"b":1}}` is `a/b` = 1);
 * anything else (scalars, arrays, empty objects) is a value.
 */
import type { JsonValue } from '@kv-service/client';

export type JsonObject = { [key: string]: JsonValue };

export class JsonTreeError extends Error {}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `[key path, value]` for every leaf, in document order. */
export function flattenJson(tree: JsonObject, prefix = ''): Array<[string, JsonValue]> {
  const leaves: Array<[string, JsonValue]> = [];
  for (const [name, value] of Object.entries(tree)) {
    if (name === '' || name.includes('/'))
      throw new JsonTreeError(`property name ${JSON.stringify(name)} under "${prefix}" cannot be a key segment (empty, or contains "/")`);
    const key = `${prefix}${name}`;
    if (isObject(value) && Object.keys(value).length > 0) leaves.push(...flattenJson(value, `${key}/`));
    else leaves.push([key, value]);
  }
  return leaves;
}

/** The tree of the given leaves, its properties sorted at every level. */
export function unflattenJson(leaves: Array<[string, JsonValue]>): JsonObject {
  const root: JsonObject = {};
  for (const [key, value] of [...leaves].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const segments = key.split('/');
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      const child = node[segment] ?? (node[segment] = {});
      if (!isObject(child))
        throw new JsonTreeError(`key ${key} lies under ${segment}, which has a value of its own: a JSON file cannot hold both`);
      node = child;
    }
    const last = segments[segments.length - 1];
    if (node[last] !== undefined) throw new JsonTreeError(`key ${key} has keys under it: a JSON file cannot hold both`);
    node[last] = value;
  }
  return root;
}
