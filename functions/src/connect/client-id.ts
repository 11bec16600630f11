// Google's OAuth client ids: a project number, a dash, an id, and Google's domain. Shared with the config page.

/** The form of a Google OAuth client id. */
export const CLIENT_ID_FORMAT = /^\d+-[a-z0-9]+\.apps\.googleusercontent\.com$/;
