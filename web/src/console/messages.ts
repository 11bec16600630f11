// What the admin reads after Google sends the browser back: one message per connect outcome.

/** Messages by the reason code in `?google=`. */
export const CONNECT_OUTCOMES: Readonly<Record<string, string>> = {
  connected: 'Google Workspace is connected.',
  consent_denied: 'Access was not granted on the Google consent screen. Click Integrate and choose Allow.',
  missing_scope:
    'Some permissions were not allowed on the Google consent screen. Click Integrate and leave every box ticked.',
  wrong_secret:
    'Google refused the Client Secret. Copy the Client ID and Client Secret again from the same OAuth client.',
  not_admin: 'That Google account may not read the Workspace directory. Sign in as a Workspace super administrator.',
  api_disabled:
    'The Admin SDK API is not enabled in your Google Cloud project. Enable it (guide Step 2) and click Integrate again.',
  other_workspace:
    'This PBX is connected to another Google Workspace. Disconnect it first, then integrate the new one.',
  invalid_state: 'This sign-in link is not valid or was already used. Start again with Integrate.',
  expired_state: 'The sign-in took longer than 10 minutes. Start again with Integrate.',
  foreign_browser:
    'The sign-in was finished in a different browser than it was started in. Start again with Integrate.',
  no_refresh_token: 'Google did not grant offline access. Start again with Integrate.',
  plan_required: 'The Google Workspace integration needs the Teliqon Business or Ultimate plan.',
  google_error: 'Google could not complete the connection. Try again in a moment.',
};

/** How each integration status reads on the page. */
export const STATUS_LABELS: Readonly<Record<string, string>> = {
  not_connected: 'Not connected',
  connected: 'Connected',
  reauthorization_required: 'Reauthorization required',
  disconnecting: 'Disconnecting',
};
