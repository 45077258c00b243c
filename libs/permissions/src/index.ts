export * from './principal';
export * from './permission';
export * from './grants';
