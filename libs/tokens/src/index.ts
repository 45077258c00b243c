// Access tokens in the shape the gateway's TokenVerifier accepts: minted by `npm run token`, `kv token`,
// `npm run up` and the tests, from one definition.
export * from './token-minter';
export * from './token-request';
