/**
 * Who a token acts for, so that russo edits only a comment its own account wrote. A personal token
 * names its user at `GET /user`. An installation token (the job's GITHUB_TOKEN, a GitHub App's) is
 * refused there (403 "Resource not accessible by integration"), but GraphQL's `viewer` names its
 * bot account (`github-actions[bot]`, `<app>[bot]`) with no permission beyond the token's own.
 */
import type { GitHubClient } from './comment.js';

/** The login the token's comments are written by, or why it could not be told. */
export type TokenIdentity = { login: string } | { login?: undefined; reason: string };

/** Asks GitHub whom the token acts for; never throws. */
export async function tokenIdentity(client: GitHubClient): Promise<TokenIdentity> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return { login: data.login };
  } catch (error) {
    if (statusOf(error) !== 403) return { reason: `GET /user failed: ${messageOf(error)}` };
  }
  try {
    const { viewer } = await client.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    return { login: viewer.login };
  } catch (error) {
    return {
      reason: `GET /user is refused to this token and the GraphQL viewer query failed: ${messageOf(error)}`,
    };
  }
}

function statusOf(error: unknown): unknown {
  return (error as { status?: unknown }).status;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
