// The Admin SDK Directory API stand-in and its control API.
export { METHOD_SCOPES, type Caller, type InspectToken, type TokenInfo } from './auth.ts';
export { createDirectoryControl, type DirectoryControlOptions } from './control.ts';
export { DirectoryError, googleError, type GoogleErrorBody, type GoogleErrorItem } from './errors.ts';
export {
  DIRECTORY_METHODS,
  DirectoryFaults,
  type DirectoryMethod,
  type DirectoryStats,
  type FaultSpec,
  type FaultStatus,
} from './faults.ts';
export { PAGE_TOKEN_LIFETIME_MS, type ListingConditions } from './paging.ts';
export { createDirectoryApi, type DirectoryApiOptions } from './router.ts';
