/**
Which facts about a connection give way first when a row does not fit the terminal
(the highest number goes first; absent: always shown): which connection and what it
asked for stay longest, where it came from goes first. The connections pane and
`conns` both lay their columns out by this one table (see core/app/text/columns.ts).
*/
export const connectionFieldPriority = {
  conn: undefined,
  path: undefined,
  slow: 1,
  lastEventId: 2,
  channel: 2.5,
  events: 3,
  age: 4,
  client: 5,
  protocol: 5.5,
  buffered: 6,
  sent: 6.5,
  from: 7,
} as const satisfies Record<string, number | undefined>;
