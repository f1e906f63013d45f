package dev.forge.activities.sandbox.output;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines as it arrives, in bounded memory.
 *
 * <p>Chunks may end anywhere, also inside a line or between {@code \r} and {@code \n}. A line
 * longer than the limit is passed on cut to the limit and flagged, and the rest of it is skipped
 * without being stored. {@code \r\n} and {@code \n} both end a line; the final line needs no line
 * break.
 */
public final class LineScanner {

  /** Receives each complete line, without its line break. */
  @FunctionalInterface
  public interface LineListener {
    /**
     * @param line the line, at most the scanner's limit of bytes
     * @param cut whether the line was longer than the limit and only its start is given
     */
    void line(String line, boolean cut);
  }

  public static final int DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
  private static final int INITIAL_BYTES = 256;
  private static final int KEEP_AFTER_LINE_BYTES = 64 * 1024;

  private final int maxLineBytes;
  private final LineListener listener;
  private byte[] buffer = new byte[INITIAL_BYTES];
  private int length;
  private boolean cut;
  private boolean pending;

  public LineScanner(int maxLineBytes, LineListener listener) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive");
    }
    this.maxLineBytes = maxLineBytes;
    this.listener = listener;
  }

  public void feed(byte[] bytes, int offset, int count) {
    int end = offset + count;
    int runStart = offset;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        append(bytes, runStart, i - runStart);
        emit();
        runStart = i + 1;
      }
    }
    append(bytes, runStart, end - runStart);
  }

  public void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  /** Passes on the last line when the stream did not end with a line break. */
  public void finish() {
    if (pending) {
      emit();
    }
  }

  private void append(byte[] bytes, int offset, int count) {
    if (count <= 0) {
      return;
    }
    pending = true;
    int room = maxLineBytes - length;
    int copied = Math.min(room, count);
    if (copied < count) {
      cut = true;
    }
    if (copied > 0) {
      if (length + copied > buffer.length) {
        int grown = Math.max(length + copied, buffer.length * 2);
        buffer = Arrays.copyOf(buffer, Math.min(grown, maxLineBytes));
      }
      System.arraycopy(bytes, offset, buffer, length, copied);
      length += copied;
    }
  }

  private void emit() {
    int end = length;
    if (!cut && end > 0 && buffer[end - 1] == '\r') {
      end--;
    }
    String line = new String(buffer, 0, end, StandardCharsets.UTF_8);
    boolean wasCut = cut;
    length = 0;
    cut = false;
    pending = false;
    if (buffer.length > KEEP_AFTER_LINE_BYTES) {
      buffer = new byte[INITIAL_BYTES];
    }
    listener.line(line, wasCut);
  }
}
