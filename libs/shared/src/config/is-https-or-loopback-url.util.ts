import { isIPv4 } from 'node:net';

/** Hosts that never leave the machine: a clear-text hop to them cannot be intercepted on the network. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || (isIPv4(hostname) && hostname.startsWith('127.'));
}

/**
 * May signing keys be fetched from this URL? Only over https — a JWKS read in clear text
 * can be replaced on the way, and then any forged token verifies — except from a loopback
 * identity provider (tests, a local sidecar).
 */
export function isHttpsOrLoopbackUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}
