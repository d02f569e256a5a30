import { canonicalKey } from '../loaders/vendor-loader.js';
import { readSlice, type ConnectionArguments } from '../connections/arguments.js';
import { resolveListConnection, type Connection, type ToNode } from '../connections/connection.js';
import type { ListSource } from '../connections/list-reader.js';
import type { GraphContext } from '../context.js';

/**
 * One page of a vendor list for a connection field. The same page asked for again in one
 * operation (aliases, repeated fields) is built once: the DataLoaders already share the vendor
 * calls, this also shares the edges, cursors and nodes.
 */
export function listPage<S extends ListSource<any>, N>(context: GraphContext, source: S, args: ConnectionArguments, toNode: ToNode<S, N>): Promise<Connection<N>> {
  const slice = readSlice(args, source.id, [source.paging]);
  const key = `${source.id}\n${canonicalKey({ first: args.first, after: args.after, last: args.last, before: args.before })}`;
  let page = context.pages.get(key) as Promise<Connection<N>> | undefined;
  if (!page) {
    page = resolveListConnection(source, slice, toNode);
    context.pages.set(key, page);
  }
  return page;
}
