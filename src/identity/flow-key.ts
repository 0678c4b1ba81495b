/**
 * The one key of a flow: its type and its name. Genesys matches flow names case-insensitively: a
 * second flow of a type whose name differs only in case is refused ("a flow of type T named N already
 * exists", shared/reference/genesys-flow-api.md; the Terraform provider re-filters names the same
 * way), and an Archy job publishes onto the flow whose name matches regardless of case. So two names
 * that differ only in case are one flow: `flowKey` pairs files with live flows, live flows with each
 * other, and files with files. `flowId` is how a flow is shown and referred to in plans and graphs:
 * the type and the name as written.
 */
export function flowKey(type: string, name: string): string {
  return `${type.toLowerCase()}:${name.toLowerCase()}`;
}

/** The key of anything with a type and a name (a desired flow, a live one, a planned one). */
export function keyOf(flow: { type: string; name: string }): string {
  return flowKey(flow.type, flow.name);
}

/** A flow's id in plans and the dependency graph: `type:Name`, the type lowercase, the name as written. */
export function flowId(type: string, name: string): string {
  return `${type.toLowerCase()}:${name}`;
}

/** The key of a flow given by its id (`type:Name`). */
export function keyOfId(id: string): string {
  return id.toLowerCase();
}

/** The same, of anything with a type and a name. */
export function idOf(flow: { type: string; name: string }): string {
  return flowId(flow.type, flow.name);
}
