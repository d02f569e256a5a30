/**
 * The one table of argument checks (src/graph/checks/field-arguments.ts), read from the schema:
 * every field with arguments has an entry, and its resolver reads its arguments through that
 * entry, so the pre-execution plugin and the resolvers cannot check different things.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isObjectType } from 'graphql';
import { CHECKED_FIELDS, readsCheckedArguments } from '../../src/graph/checks/field-arguments.js';
import { buildDeviceGraphSchema } from '../../src/graph/schema.js';

/**
 * Fields with arguments that the table leaves out, and why. Federation's `_entities` resolves each
 * representation on its own (a bad one nulls only its entry, as routers expect), through the same
 * global-id decoding as `node`.
 */
const UNCHECKED = new Set(['Query._entities']);

describe('the argument checks table', () => {
  const schema = buildDeviceGraphSchema();
  const fieldsWithArguments = Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) => (isObjectType(type) ? Object.values(type.getFields()).map((field) => ({ path: `${type.name}.${field.name}`, field })) : []))
    .filter(({ field }) => field.args.length > 0);

  it('has an entry for every field with arguments, and none for a field the schema lacks', () => {
    const expected = fieldsWithArguments.map(({ path }) => path).filter((path) => !UNCHECKED.has(path));
    assert.ok(expected.length >= 14, `the schema's fields with arguments: ${expected.join(', ')}`);
    assert.deepEqual([...CHECKED_FIELDS].sort(), expected.sort());
  });

  it('is what every such field’s resolver reads its arguments through', () => {
    for (const { path, field } of fieldsWithArguments) {
      if (UNCHECKED.has(path)) continue;
      assert.ok(readsCheckedArguments(field.resolve), `${path} is resolved with withCheckedArguments('${path}', …)`);
    }
  });
});
