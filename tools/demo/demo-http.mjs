/** What the demo's parts share to talk to the services: events posted to ingest, and a service's routes called with a token. */

/** POSTs envelopes to ingest's /v1/events and answers its per-item results; any item refused fails the demo. */
export function ingestPoster(ingestUrl, token) {
  return async (events) => {
    const res = await fetch(`${ingestUrl}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(events) });
    const answer = await res.json();
    if (!Array.isArray(answer.results) || answer.results.some((r) => r.status === 'rejected')) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(answer)}`);
    return answer.results;
  };
}

/** Calls a route of the service at `url` as the token's holder: `{ status, body }`. */
export function serviceCaller(url) {
  return async (token, method, route, body) => {
    const res = await fetch(`${url}${route}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body && { body: JSON.stringify(body) }) });
    return { status: res.status, body: await res.json() };
  };
}
