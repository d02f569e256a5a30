/** The bench's `__typename` transform (`bench/typenames.ts`), on documents alone. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, print } from 'graphql';
import { withTypenames } from '../../bench/typenames.js';

const typenamed = (query: string) => print(withTypenames(parse(query)));

describe('withTypenames', () => {
  it('selects __typename in every selection set: the operation, fields at any depth, inline fragments and fragment definitions', () => {
    assert.equal(
      typenamed('query Q($id: ID!) { node(id: $id) { id ... on Device { owner { name } } ...Dates } } fragment Dates on Node { audit { at } }'),
      print(
        parse(
          'query Q($id: ID!) { node(id: $id) { id ... on Device { owner { name __typename } __typename } ...Dates __typename } __typename } fragment Dates on Node { audit { at __typename } __typename }',
        ),
      ),
    );
  });

  it('adds none where __typename is selected already, and one beside an aliased __typename (whose answer has another name)', () => {
    assert.equal(typenamed('{ a { __typename id } b { kind: __typename } }'), print(parse('{ a { __typename id } b { kind: __typename __typename } __typename }')));
  });

  it('keeps arguments, variables, aliases and directives as they were', () => {
    assert.equal(
      typenamed('query Q($n: Int = 5, $skip: Boolean!) { first: list(first: $n, filter: { name: "x" }) @skip(if: $skip) { id } }'),
      print(parse('query Q($n: Int = 5, $skip: Boolean!) { first: list(first: $n, filter: { name: "x" }) @skip(if: $skip) { id __typename } __typename }')),
    );
  });

  it('leaves the document it was given unchanged', () => {
    const document = parse('{ a { b } }');
    const before = print(document);
    withTypenames(document);
    assert.equal(print(document), before);
  });
});
