/** Uploads held back until a slot is free, by vault path: a Cancel before their turn keeps them from starting. */
export interface WaitingUploads {
  /** These paths wait for their turn. */
  hold(paths: readonly string[]): void;
  /** At its turn: true to send it; false when it was cancelled while it waited. */
  take(path: string): boolean;
  /** Cancels a waiting path; false when it is not waiting (it started, or was never held). */
  cancel(path: string): boolean;
}

/** An empty waiting list. */
export function createWaitingUploads(): WaitingUploads {
  const waiting = new Set<string>();
  return {
    hold(paths) {
      for (const path of paths) waiting.add(path);
    },
    take: (path) => waiting.delete(path),
    cancel: (path) => waiting.delete(path),
  };
}
