/**
 * The query GraphiQL opens with (until the user's own tabs are in the browser's storage). Its ids
 * are seeded fixtures of the built-in simulators (`CONTROL_CENTER_FIXTURES.iccidWith137Records`,
 * `KOBIL_FIXTURES.userWith53Logs`), so it answers on `npm start` with no configuration.
 * test/graphiql.test.ts runs it against the simulators.
 */
export const EXAMPLE_QUERY = `# devicegraph: devices, certificates and audit events
# over five vendor APIs. With no configuration each vendor
# runs on its built-in simulator, so this query runs as is:
# press Ctrl+Enter or the run button. Docs: the book icon.

query DeviceActivity(
  $iccid: String! = "89011704278930000137"
  $after: String
) {
  # A Cisco Control Center SIM and its audit trail, one
  # Relay page at a time. For the next page, put
  # {"after": "<pageInfo.endCursor>"} in Variables below.
  cellularDevice(iccid: $iccid) {
    id
    vendorDeviceId
    auditEvents(first: 5, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          occurredAt
          action
          actor
          ... on DeviceFieldChange {
            field
            priorValue
            value
          }
        }
      }
    }
  }

  # One newest-first stream merged across two vendors:
  # the same SIM and a KOBIL user's activity log.
  timeline(
    sources: [{ iccid: $iccid }, { kobilUserName: "sony" }]
    first: 8
  ) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      __typename
      vendor
      occurredAt
      action
      actor
    }
  }
}
`;
