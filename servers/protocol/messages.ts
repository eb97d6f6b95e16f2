/** Opcodes of the wire protocol. Requests are below 0x80, replies from 0x80. */
export const enum Op {
  Hello = 0x01,
  AuthProof = 0x02,
  PutBegin = 0x10,
  Data = 0x11,
  PutEnd = 0x12,
  Commit = 0x13,
  Abort = 0x14,
  Get = 0x20,
  List = 0x30,
  Prune = 0x40,
  DeleteVersion = 0x41,
  Stat = 0x50,
  Ping = 0x51,
  SetVerifier = 0x60,
  Challenge = 0x81,
  AuthOk = 0x82,
  Ok = 0x83,
  Error = 0x84,
  GetOk = 0x85,
  End = 0x86,
  ListItem = 0x87,
  StatOk = 0x88,
  Pong = 0x89,
}

/** Client → node: open a session; `clientFirst` is the SCRAM client-first-message. */
export interface HelloMessage { op: Op.Hello; magic: string; minVersion: number; maxVersion: number; clientFirst: string }
/** Client → node: the SCRAM client-final-message. */
export interface AuthProofMessage { op: Op.AuthProof; clientFinal: string }
/** Client → node: start storing a piece; `size` bytes of DATA follow, then PUT_END. */
export interface PutBeginMessage { op: Op.PutBegin; key: Buffer; version: string; meta: Buffer; size: number }
/** Either way: a slice of a streamed body. */
export interface DataMessage { op: Op.Data; data: Buffer }
/** Client → node: the body is complete; the node makes it durable as a pending piece. */
export interface PutEndMessage { op: Op.PutEnd }
/** Client → node: make a pending piece visible to readers. */
export interface CommitMessage { op: Op.Commit; key: Buffer; version: string }
/** Client → node: drop a pending piece. */
export interface AbortMessage { op: Op.Abort; key: Buffer; version: string }
/** Client → node: stream `length` bytes of a committed piece from `offset`. */
export interface GetMessage { op: Op.Get; key: Buffer; version: string; offset: number; length: number }
/** Client → node: list committed pieces (of one key when `key` is non-empty). */
export interface ListMessage { op: Op.List; key: Buffer }
/** Client → node: delete committed versions older than `keepVersion` (pending pieces are left to their writer; stale ones go after an hour); answers how many. */
export interface PruneMessage { op: Op.Prune; key: Buffer; keepVersion: string }
/** Client → node: delete one committed version. */
export interface DeleteVersionMessage { op: Op.DeleteVersion; key: Buffer; version: string }
/** Client → node: ask for usage figures. */
export interface StatMessage { op: Op.Stat }
/** Client → node: liveness probe. */
export interface PingMessage { op: Op.Ping }
/**
 * Client → node: change one of the logged-in user's SCRAM verifiers (PostgreSQL text form).
 * `slot` is "pending" (a new password accepted beside the current one; empty clears it),
 * "current" (replaces the password, dropping any pending one) or "recovery" (the recovery login).
 */
export interface SetVerifierMessage { op: Op.SetVerifier; slot: string; verifier: string }

/** Node → client: SCRAM server-first-message and the protocol version chosen. */
export interface ChallengeMessage { op: Op.Challenge; version: number; serverFirst: string }
/** Node → client: login accepted; `serverFinal` proves the node knows the verifier. */
/** `nodeId` is random per node process: a client that reaches one node under two names in its configuration can tell. */
export interface AuthOkMessage { op: Op.AuthOk; serverFinal: string; nodeId: string }
/** Node → client: a request succeeded; `value` is request-specific (e.g. count removed). */
export interface OkMessage { op: Op.Ok; value: number }
/** Node → client: a request failed; the connection stays usable unless the node closes it. */
export interface ErrorMessage { op: Op.Error; code: string; message: string }
/** Node → client: a GET is answered; `length` bytes of DATA follow, then END. */
export interface GetOkMessage { op: Op.GetOk; size: number; length: number }
/** Node → client: the end of a streamed reply. */
export interface EndMessage { op: Op.End }
/** Node → client: one committed piece in a LIST reply. */
export interface ListItemMessage { op: Op.ListItem; key: Buffer; version: string; meta: Buffer; size: number }
/** Node → client: usage figures for the logged-in user and the node's disk. */
export interface StatOkMessage { op: Op.StatOk; pieces: number; bytesUsed: number; bytesFree: number }
/** Node → client: answer to PING. */
export interface PongMessage { op: Op.Pong }

/** Every message a client sends. */
export type RequestMessage =
  | HelloMessage | AuthProofMessage | PutBeginMessage | DataMessage | PutEndMessage | CommitMessage
  | AbortMessage | GetMessage | ListMessage | PruneMessage | DeleteVersionMessage | StatMessage | PingMessage
  | SetVerifierMessage;

/** Every message a node sends. */
export type ReplyMessage =
  | ChallengeMessage | AuthOkMessage | OkMessage | ErrorMessage | GetOkMessage | DataMessage | EndMessage
  | ListItemMessage | StatOkMessage | PongMessage;

/** Any message on the wire. */
export type Message = RequestMessage | ReplyMessage;
