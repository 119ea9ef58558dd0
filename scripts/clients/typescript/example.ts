// A short program written against the TypeScript types that openapi-typescript generates from
// openapi/openapi.json, used through openapi-fetch. CI generates the types and checks this file
// with `tsc --strict`: a contract change that breaks TypeScript clients fails the build.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api";

type Meeting = components["schemas"]["MeetingOut"];
type MeetingMode = components["schemas"]["MeetingMode"];
type Problem = components["schemas"]["Problem"];

export function turnabout(baseUrl: string, token: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
}

function failure(problem: Problem): Error {
  return new Error(`${problem.code}: ${problem.detail}`);
}

// Only starts_at is required: duration and agenda have server-side defaults.
export async function scheduleVideoCall(
  client: ReturnType<typeof turnabout>,
  relationshipId: string,
  startsAt: string,
): Promise<{ meeting: Meeting; etag: string | null }> {
  const mode: MeetingMode = "video";
  const { data, error, response } = await client.POST("/api/v1/relationships/{relationship_id}/meetings", {
    params: { path: { relationship_id: relationshipId } },
    body: { starts_at: startsAt, mode },
  });
  if (error) throw failure(error);
  return { meeting: data, etag: response.headers.get("ETag") };
}

// Optimistic concurrency: send back the ETag you read; a 412 means someone changed it meanwhile.
export async function renameProgram(client: ReturnType<typeof turnabout>, programId: string, name: string) {
  const read = await client.GET("/api/v1/programs/{program_id}", { params: { path: { program_id: programId } } });
  if (read.error) throw failure(read.error);
  const etag = read.response.headers.get("ETag") ?? "*";
  const { data, error } = await client.PATCH("/api/v1/programs/{program_id}", {
    params: { path: { program_id: programId }, header: { "If-Match": etag } },
    body: { name },
  });
  if (error) throw failure(error);
  const status: components["schemas"]["ProgramStatus"] = data.status;
  return { name: data.name, status };
}
