// Shapes of the admin API's answers.

/** GET /api/me. */
export interface Me {
  readonly admin: { readonly email: string };
  readonly tenant: { readonly id: string; readonly name: string; readonly plan: string; readonly planName: string };
  readonly integrationAvailable: boolean;
}

/** GET /api/integrations/google. */
export interface IntegrationView {
  readonly status: 'not_connected' | 'connected' | 'reauthorization_required' | 'disconnecting';
  readonly redirectUris: { readonly connect: string; readonly sso: string };
  readonly clientId: string | null;
  readonly customerId: string | null;
  readonly primaryDomain: string | null;
  readonly connectedBy: string | null;
  readonly lastError: { readonly reason: string; readonly message: string; readonly attempt: string } | null;
  /** Why Google stopped accepting the stored authorization, and what to do, while reauthorization is required. */
  readonly authorizationProblem: {
    readonly code: string;
    readonly message: string;
    readonly needsNewCredentials: boolean;
  } | null;
  /** The admin paused synchronization ("Pause synchronization"), and when; "Resume" lifts it. */
  readonly paused: boolean;
  readonly pausedAt: string | null;
  /** Push notifications while connected: whether updates arrive within a minute, and the recent pushed changes. */
  readonly push: PushView | null;
}

/** The push part of the integration view. */
export interface PushView {
  readonly state: 'live' | 'none' | 'expired' | 'failing';
  readonly message: string;
  readonly changes: ReadonlyArray<{
    readonly at: number;
    readonly email: string;
    readonly change: string;
    readonly number?: string;
    readonly reason?: string;
  }>;
}
