// Google's OAuth client, pointed at Google or, in local mode, at the stand-in, by configuration only. (The Directory
// API's client is the Directory port's own: google/directory-api.ts.)
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
