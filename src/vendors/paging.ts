/**
 * How a vendor list endpoint pages: a fact about the vendor's API that each vendor's contract.ts
 * declares once, beside the endpoint's path. The client and the simulator read its page-size
 * limit there, and the graph's page planner plans its calls with it.
 */

/** How a list endpoint addresses a slice of its list, and how long the list can be. */
export type PagingStyle = (
  /** Page number and page size; `firstPage` is what the vendor calls the first page (0 or 1). */
  | { kind: 'page'; firstPage: 0 | 1; maxPageSize: number }
  /** Arbitrary offset and limit. */
  | { kind: 'offset'; maxLimit: number }
  /** The whole list arrives in one answer (an immutable snapshot). */
  | { kind: 'whole' }
) & {
  /**
   * The most records the list can hold, from the vendor's documented limits (each contract says
   * why). A cursor or ID whose position or total lies beyond it is refused, and nothing past it
   * is read: a longer vendor list is served as its first `maxRecords` records. Every vendor
   * endpoint sets it; lists that do not (in-memory lists in tests) get the engine's ceiling.
   */
  maxRecords?: number;
};

/** A vendor list endpoint's paging, as its contract declares it: its style, its bound, and whether every answer carries the list's total. */
export type EndpointPaging = PagingStyle & { maxRecords: number; reportsTotal: boolean };
