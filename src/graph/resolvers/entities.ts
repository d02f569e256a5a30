import { entitiesResolver } from '@apollo/subgraph/dist/types.js';
import { getNamedType, isUnionType, type GraphQLResolveInfo } from 'graphql';
import type { GraphContext } from '../context.js';
import { badUserInput } from '../errors.js';

/**
 * Federation's `Query._entities`, each representation checked first: one that is not an object
 * naming an entity type of this subgraph (a member of `_Entity`) gets `BAD_USER_INPUT` at its
 * index, a null entry as a router expects of a bad representation; the others resolve as
 * @apollo/subgraph resolves them, through their type's `__resolveReference`.
 */
export function resolveEntities(
  _root: unknown,
  { representations }: { representations: readonly unknown[] },
  context: GraphContext,
  info: GraphQLResolveInfo,
): unknown[] {
  const entity = getNamedType(info.returnType);
  const entityTypes = isUnionType(entity) ? entity.getTypes().map((type) => type.name) : [];
  return representations.map((representation, index) => {
    const typename = typeof representation === 'object' && representation !== null ? (representation as { __typename?: unknown }).__typename : undefined;
    if (typeof typename !== 'string' || !entityTypes.includes(typename)) {
      const argument = `representations[${index}]`;
      return badUserInput(`\`${argument}\` must be an object whose \`__typename\` is an entity of this subgraph: ${entityTypes.join(' or ')}.`, argument);
    }
    return (entitiesResolver({ representations: [representation], context, info }) as unknown[])[0];
  });
}
