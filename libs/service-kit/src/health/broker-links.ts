/**
 * A link to the broker that this process's work needs: the gateway's channel to each service, a service's consumer of
 * its request queue. Readiness reports each: the broker may be reachable while a link is down (a queue declared with
 * other arguments, during a switch of queue type, is refused with PRECONDITION_FAILED), and then every call fails.
 */
export interface BrokerLink {
  readonly linkName: string;
  readonly connected: boolean;
}

/** The process's links (an array, found by readiness wherever it is provided; a service adds its listener at start). */
export const BROKER_LINKS = Symbol('BROKER_LINKS');

/** The names of the links that are down. */
export function linksDown(links: readonly BrokerLink[]): string[] {
  return links.filter((link) => !link.connected).map((link) => link.linkName);
}
