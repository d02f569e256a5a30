/**
 * What the stack floor (`bench/stack-floor.ts`) needs of devicegraph's answer: the type of every
 * object, so that graphql-js can tell which type an interface or union field returned. The answer
 * to an operation's document with `__typename` selected everywhere carries it.
 */
import { Kind, visit, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

function selectsTypename(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.some((selection) => selection.kind === Kind.FIELD && !selection.alias && selection.name.value === '__typename');
}

/** `document` with `__typename` (unaliased) selected in every selection set that does not select it yet. */
export function withTypenames(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet: {
      leave: (selectionSet) => (selectsTypename(selectionSet) ? undefined : { ...selectionSet, selections: [...selectionSet.selections, TYPENAME] }),
    },
  });
}
