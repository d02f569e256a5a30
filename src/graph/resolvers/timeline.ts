import type { Resolvers } from '../../generated/graphql.js';
import { mergeSource } from '../sources/timeline.js';
import { readMergedSlice } from '../connections/arguments.js';
import { resolveMergedConnection } from '../connections/merge.js';
import { reportPartialError } from '../partial-errors.js';
import { VendorError } from '../../vendors/http/errors.js';
import { withCheckedArguments } from '../checks/field-arguments.js';

export const timelineResolvers: Resolvers = {
  Query: {
    timeline: withCheckedArguments('Query.timeline', async (_root, { sources, paging }, context, info) => {
      const merged = sources.map((checked) => mergeSource(checked, context));
      const connectionId = `timeline:${merged.map((m) => m.source.id).join('|')}`;
      const slice = readMergedSlice(paging, connectionId, merged.map((m) => m.source.paging));
      const page = await resolveMergedConnection(connectionId, merged, slice);
      // A vendor failure costs its source only; anything else (a cursor whose record left its list) fails the field.
      const unexpected = page.failures.find((failure) => !(failure.error instanceof VendorError));
      if (unexpected) throw unexpected.error;
      for (const { index, error } of page.failures) reportPartialError(context, info, error, { sourceIndex: index });
      return page.connection;
    }),
  },
};
