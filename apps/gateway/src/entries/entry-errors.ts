import { ErrorCode } from '@app/contracts';

/** What any entry call can meet in a secret namespace, where the secrets service decrypts and encrypts. */
export const SECRET_STORE_ERRORS: readonly ErrorCode[] = [ErrorCode.DECRYPTION_FAILED, ErrorCode.MASTER_KEY_UNAVAILABLE];
