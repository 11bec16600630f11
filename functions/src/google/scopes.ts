// The scopes the integration asks for: read-only directory access, plus the admin's identity.

/** Read-only Directory scopes the sync needs. */
export const DIRECTORY_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
  'https://www.googleapis.com/auth/admin.directory.orgunit.readonly',
] as const;

/** Everything the connect consent requests. */
export const CONNECT_SCOPES = [...DIRECTORY_SCOPES, 'openid', 'email'] as const;

// Google answers the short identity scopes with their long names in the token response.
const ALIASES: Record<string, string> = {
  'https://www.googleapis.com/auth/userinfo.email': 'email',
};

/** The required scopes missing from a token response's space-separated `scope`. */
export function missingScopes(granted: string | null | undefined, required: readonly string[]): string[] {
  const have = new Set(
    (granted ?? '')
      .split(' ')
      .filter(Boolean)
      .map((scope) => ALIASES[scope] ?? scope),
  );
  return required.filter((scope) => !have.has(scope));
}

/** A scope as the consent screen words it, for messages. */
export function describeScope(scope: string): string {
  return scope.replace('https://www.googleapis.com/auth/', '');
}
