/** Protocol version spoken by this build; HELLO carries the range a peer accepts. */
export const PROTOCOL_VERSION = 2;

/** Four bytes that open every HELLO, so a stray client gets a clear refusal. */
export const PROTOCOL_MAGIC = 'DFSV';

/** Largest frame either side accepts; checked before any buffer is allocated. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Largest DATA payload a sender puts in one frame (bodies are streamed in such frames). */
export const MAX_DATA_CHUNK_BYTES = 256 * 1024;

/** Largest object key, in bytes (keys are opaque to nodes). */
export const MAX_KEY_BYTES = 64;

/** Largest metadata blob stored beside a piece, in bytes. */
export const MAX_META_BYTES = 64 * 1024;

/** Bytes of the frame header: u32 body length + u8 opcode. */
export const FRAME_HEADER_BYTES = 5;

/**
 * The suffix of a user's recovery login name: "alice/recovery" logs in to alice's space with a secret
 * derived from her vault's recovery key. Usernames cannot contain "/", so it never clashes with a user.
 */
export const RECOVERY_LOGIN_SUFFIX = '/recovery';
