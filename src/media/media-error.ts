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
  | 'timeout'
  /** Video: the file has no video track (audio only). */
  | 'no-video-stream'
  /** Video: the track's codec cannot be decoded by the ffmpeg in use. */
  | 'unsupported-codec'
  /** Video: a container with a video track but no frames in it. */
  | 'empty-video'
  /** Video: no usable ffmpeg (not the input's fault, but the batch still goes on). */
  | 'decoder-missing';

export class MediaError extends Error {
  override name = 'MediaError';
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
  }
}
