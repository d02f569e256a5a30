/**
 * The one table of argument checks (src/graph/checks/field-arguments.ts), read from the schema:
 * every field with arguments has an entry, and its resolver reads its arguments through that
 * entry, so the pre-execution plugin and the resolvers cannot check different things.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isObjectType } from 'graphql';
import { CHECKED_FIELDS, MAX_NODES, MAX_TIMELINE_SOURCES, readsCheckedArguments } from '../../src/graph/checks/field-arguments.js';
import { buildDeviceGraphSchema } from '../../src/graph/schema.js';
import { CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY, CONTROL_CENTER_MAX_DAYS_OF_HISTORY } from '../../src/vendors/control-center/contract.js';

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

describe('the schema states the limits the checks apply', () => {
  const schema = buildDeviceGraphSchema();
  const argument = (type: string, field: string, name: string) => {
    const object = schema.getType(type);
    assert.ok(isObjectType(object), type);
    return object.getFields()[field]!.args.find((arg) => arg.name === name)!.description ?? '';
  };

  it('daysOfHistory: Control Center’s range and default', () => {
    const description = argument('Device', 'auditEvents', 'daysOfHistory');
    assert.match(description, new RegExp(`\\(1 to ${CONTROL_CENTER_MAX_DAYS_OF_HISTORY}; default ${CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY}\\)`));
  });

  it('nodes(ids:) and timeline(sources:): how many', () => {
    assert.match(argument('Query', 'nodes', 'ids'), new RegExp(`at most ${MAX_NODES}\\b`));
    assert.match(argument('Query', 'timeline', 'sources'), new RegExp(`\\(1 to ${MAX_TIMELINE_SOURCES}\\)`));
  });
});
