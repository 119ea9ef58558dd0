// What a front end does with the API: the "my relationship" screen in one round trip, a
// mutation whose result is the change or a typed problem, and live updates. `tsc --strict` checks
// that each use of the answers matches the schema.
import { graphql } from "./generated/gql";
import type { ResultOf, VariablesOf } from "@graphql-typed-document-node/core";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

export const MyRelationship = graphql(`
  query MyRelationship($id: UUID!) {
    relationship(id: $id) {
      id
      status
      version
      partner { displayName jobTitle }
      turns { next { leaderId reason reasonCode } balance { imbalance } }
      meetings(last: 5) { id startsAt status leader { displayName } }
      goals { id title status latestPercent }
      health { status reason }
    }
  }
`);

export const PauseRelationship = graphql(`
  mutation PauseRelationship($id: UUID!, $version: Int) {
    pauseRelationship(id: $id, expectedVersion: $version) {
      __typename
      ... on Relationship { id status version }
      ... on Problem { code message }
      ... on Invalid { fields { path message } }
    }
  }
`);

export const MyRelationshipChanges = graphql(`
  subscription MyRelationshipChanges {
    myRelationshipChanges { event relationship { id status version } }
  }
`);

export const Programs = graphql(`
  query Programs($after: String) {
    programs(first: 50, after: $after) {
      nodes { id name kind status objectives { metric target unit } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

/** A transport of the application's choosing (fetch, urql, Apollo…). */
export type Execute = <R, V>(document: TypedDocumentNode<R, V>, variables: V) => Promise<R>;

export async function nextLeaderName(execute: Execute, id: string): Promise<string> {
  const data: ResultOf<typeof MyRelationship> = await execute(MyRelationship, { id });
  const relationship = data.relationship;
  if (relationship == null) return "(not visible)"; // absent, or hidden from the caller
  const next = relationship.turns.next;
  const partner = relationship.partner?.displayName ?? "your partner";
  return next.reasonCode === "FIXED_MENTOR" ? `${partner} (fixed mentor)` : `${next.leaderId}: ${next.reason}`;
}

export async function pause(execute: Execute, id: string, version: number): Promise<string> {
  const variables: VariablesOf<typeof PauseRelationship> = { id, version };
  const { pauseRelationship: result } = await execute(PauseRelationship, variables);
  switch (result.__typename) {
    case "Relationship":
      return `now ${result.status} at version ${result.version}`;
    case "StaleVersion":
      return `reload first: ${result.message}`;
    case "Invalid":
      return result.fields.map((field) => `${field.path}: ${field.message}`).join("; ");
    default:
      return `${result.__typename} ${result.code}`;
  }
}

export async function allProgramNames(execute: Execute): Promise<string[]> {
  const names: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: ResultOf<typeof Programs> = await execute(Programs, { after });
    names.push(...page.programs.nodes.map((program) => `${program.name} (${program.kind.toLowerCase()})`));
    if (!page.programs.pageInfo.hasNextPage) return names;
    after = page.programs.pageInfo.endCursor ?? null;
  }
}
