// A failure to read an input that is the input's fault (not a bug): it becomes an `error` result
// with this code and message, and the batch goes on.
export type MediaErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'not-a-file'
  | 'empty-file'
  | 'unsupported-format'
  | 'corrupt-image'
  | 'corrupt-video'
  | 'decode-failed'
  | 'too-large'
  | 'timeout';

export class MediaError extends Error {
  override name = 'MediaError';
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
  }
}
