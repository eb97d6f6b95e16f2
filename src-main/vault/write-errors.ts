/** Why a local write failed, in words a person knows ("the disk is full"), else the system's own message. */
export function whyWriteFailed(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'EFBIG':
      return 'the file is larger than this disk or account allows';
    case 'EPIPE':
      return 'the program reading the output stopped reading';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EIO':
      return 'the disk reported an input/output error';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
