// Google's answer when the Admin SDK API is not enabled in the Google Cloud project of the tenant's OAuth client:
// 403 with reason accessNotConfigured (and, in the details, ErrorInfo SERVICE_DISABLED). It is no quota and no
// outage: retrying cannot help until the admin enables the API (guide Step 2), so it is recognised here, once, for
// connect and sync alike, before any 403 is taken for a rate limit or a member from another Workspace.
import { AppError } from '../errors.ts';

interface GoogleErrorData {
  readonly error?: {
    readonly errors?: ReadonlyArray<{ readonly reason?: string }>;
    readonly details?: ReadonlyArray<{ readonly reason?: string; readonly metadata?: { readonly activationUrl?: string } }>;
  };
}

const DISABLED_REASONS = new Set(['accessNotConfigured', 'SERVICE_DISABLED']);

function errorData(error: unknown): GoogleErrorData['error'] {
  return (error as { response?: { data?: GoogleErrorData } }).response?.data?.error;
}

/** Whether a Google API error says the API is not enabled in the caller's project. */
export function isApiDisabled(error: unknown): boolean {
  const data = errorData(error);
  return Boolean(data?.errors?.some((item) => DISABLED_REASONS.has(item.reason ?? '')) || data?.details?.some((detail) => DISABLED_REASONS.has(detail.reason ?? '')));
}

/** The Admin SDK API is disabled in the tenant's Google Cloud project: the admin must enable it; nothing retries. */
export class AdminApiDisabled extends AppError {
  constructor(cause: unknown) {
    const activationUrl = errorData(cause)?.details?.find((detail) => detail.metadata?.activationUrl)?.metadata?.activationUrl;
    const where = activationUrl?.startsWith('https://console.developers.google.com/') ? ` (${activationUrl})` : '';
    super(
      'internal',
      `The Admin SDK API is not enabled in the Google Cloud project of your OAuth client. Enable it there${where} as in guide Step 2 ("enable the Admin SDK API"), wait a few minutes, then click Sync now.`,
      { cause },
    );
  }
}
