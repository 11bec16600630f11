// Google's client libraries, pointed at Google or, in local mode, at the stand-in, by configuration only.
import { admin_directory_v1 } from '@googleapis/admin';
import { OAuth2Client } from 'google-auth-library';
import type { AppConfig } from '../config.ts';

/** One tenant's OAuth client, as the admin created it in their Google Cloud project. */
export interface OAuthClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
}

/** An OAuth2Client for a tenant's client on the configured Google endpoints. */
export function newOAuthClient(config: AppConfig, credentials: OAuthClientCredentials): OAuth2Client {
  const { google } = config;
  return new OAuth2Client({
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    redirectUri: credentials.redirectUri,
    // verifyIdToken accepts googleapis.com as an issuer unless the list is given.
    issuers: [...google.issuers],
    endpoints: {
      oauth2AuthBaseUrl: google.authorizationUrl,
      oauth2TokenUrl: google.tokenUrl,
      oauth2RevokeUrl: google.revokeUrl,
      oauth2FederatedSignonPemCertsUrl: google.pemCertsUrl,
      oauth2FederatedSignonJwkCertsUrl: google.jwksUrl,
      tokenInfoUrl: google.tokenInfoUrl,
    },
  });
}

/** A Directory API client acting with `auth`. Retries are ours to own (403 rate limits are not retried by the library). */
export function newDirectoryClient(config: AppConfig, auth: OAuth2Client): admin_directory_v1.Admin {
  return new admin_directory_v1.Admin({ rootUrl: config.google.directoryRootUrl, auth, retry: false });
}
