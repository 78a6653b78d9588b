/**
What a step that can fail answers: `ok: true` with its payload's fields, or `ok: false`
with one line that says what was wrong (and, where there is one, the valid form),
plus `Failure`'s fields when a failure carries more. One type for the app's parsers,
builders and loaders, so each is checked the same way:
`if (!result.ok) return fail(result.error)`.
*/
export type Result<Payload extends object, Failure extends object = object> =
  ({ readonly ok: true } & Readonly<Payload>) | ({ readonly ok: false; readonly error: string } & Readonly<Failure>);
