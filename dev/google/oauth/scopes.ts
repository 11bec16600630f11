// The scopes the stand-in grants. oidc-provider silently drops scopes it does not list, so every Google API
// scope the product may request must be here.

/** Scopes Google shows on its consent screen as individually grantable. */
export const GOOGLE_API_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.user',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member',
  'https://www.googleapis.com/auth/admin.directory.orgunit.readonly',
  'https://www.googleapis.com/auth/admin.directory.orgunit',
] as const;

/** Sign-in scopes, granted with the sign-in itself and never unticked on the consent screen. */
export const SIGN_IN_SCOPES = ['openid', 'email', 'profile'] as const;

/** Everything the provider knows. */
export const ALL_SCOPES = [...SIGN_IN_SCOPES, 'offline_access', ...GOOGLE_API_SCOPES];

/** Human wording for the consent screen, close to Google's. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'https://www.googleapis.com/auth/admin.directory.user.readonly': 'See users on your domain',
  'https://www.googleapis.com/auth/admin.directory.user': 'View and manage the provisioning of users on your domain',
  'https://www.googleapis.com/auth/admin.directory.group.readonly': 'View groups on your domain',
  'https://www.googleapis.com/auth/admin.directory.group': 'View and manage the provisioning of groups on your domain',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly': 'View group subscriptions on your domain',
  'https://www.googleapis.com/auth/admin.directory.group.member': 'View and manage group subscriptions on your domain',
  'https://www.googleapis.com/auth/admin.directory.orgunit.readonly': 'View organization units on your domain',
  'https://www.googleapis.com/auth/admin.directory.orgunit': 'View and manage organization units on your domain',
};
