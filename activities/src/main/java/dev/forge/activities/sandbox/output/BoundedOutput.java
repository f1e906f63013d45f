package dev.forge.activities.sandbox.output;

import java.util.Arrays;

/**
 * Keeps the first and the last bytes of a stream of any length in a fixed amount of memory.
 *
 * <p>The first half of the capacity holds the head of the stream, the second half is a ring buffer
 * holding its tail. Whatever falls between the two is counted and dropped, so printing a gigabyte
 * costs no more memory than printing the capacity. Not thread-safe; {@link StepOutput} serialises
 * access.
 */
public final class BoundedOutput {

  private static final int INITIAL_HEAD_BYTES = 1024;

  private final int headCapacity;
  private final int tailCapacity;
  private byte[] head = new byte[0];
  private int headLength;
  private byte[] tail;
  private int tailStart;
  private int tailLength;
  private long totalBytes;

  public BoundedOutput(int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("capacity must be at least 2 bytes, was " + capacity);
    }
    this.headCapacity = capacity / 2;
    this.tailCapacity = capacity - headCapacity;
  }

  void write(byte[] bytes, int offset, int length) {
    if (length <= 0) {
      return;
    }
    totalBytes += length;
    int toHead = Math.min(length, headCapacity - headLength);
    if (toHead > 0) {
      ensureHeadRoom(headLength + toHead);
      System.arraycopy(bytes, offset, head, headLength, toHead);
      headLength += toHead;
      offset += toHead;
      length -= toHead;
    }
    if (length > 0) {
      writeTail(bytes, offset, length);
    }
  }

  public void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  private void ensureHeadRoom(int needed) {
    if (needed > head.length) {
      int grown = Math.max(needed, Math.max(INITIAL_HEAD_BYTES, head.length * 2));
      head = Arrays.copyOf(head, Math.min(grown, headCapacity));
    }
  }

  private void writeTail(byte[] bytes, int offset, int length) {
    if (tail == null) {
      tail = new byte[tailCapacity];
    }
    if (length >= tailCapacity) {
      // Only the last tailCapacity bytes of this write can survive.
      System.arraycopy(bytes, offset + length - tailCapacity, tail, 0, tailCapacity);
      tailStart = 0;
      tailLength = tailCapacity;
      return;
    }
    int writeAt = (tailStart + tailLength) % tailCapacity;
    int first = Math.min(length, tailCapacity - writeAt);
    System.arraycopy(bytes, offset, tail, writeAt, first);
    System.arraycopy(bytes, offset + first, tail, 0, length - first);
    tailLength += length;
    if (tailLength > tailCapacity) {
      tailStart = (tailStart + tailLength - tailCapacity) % tailCapacity;
      tailLength = tailCapacity;
    }
  }

  public long totalBytes() {
    return totalBytes;
  }

  /** Bytes that were written but are kept neither in the head nor in the tail. */
  long omittedBytes() {
    return totalBytes - headLength - tailLength;
  }

  public boolean truncated() {
    return omittedBytes() > 0;
  }

  /** How much memory the buffers hold on to, for tests that prove the bound. */
  long retainedBytes() {
    return (long) head.length + (tail == null ? 0 : tail.length);
  }

  /** Up to {@code max} bytes from the start of the stream, stopping where bytes were dropped. */
  public byte[] firstBytes(int max) {
    byte[] kept = truncated() ? Arrays.copyOf(head, headLength) : contiguous();
    return kept.length <= max ? kept : Arrays.copyOf(kept, max);
  }

  /** Up to {@code max} bytes from the end of the stream, stopping where bytes were dropped. */
  public byte[] lastBytes(int max) {
    byte[] kept = truncated() ? tailBytes() : contiguous();
    return kept.length <= max ? kept : Arrays.copyOfRange(kept, kept.length - max, kept.length);
  }

  /** Head, an omission marker when bytes were dropped, and tail, as text. */
  String render() {
    if (!truncated()) {
      return Utf8Text.decode(contiguous());
    }
    return Utf8Text.decodeHead(Arrays.copyOf(head, headLength))
        + omissionMarker(omittedBytes())
        + Utf8Text.decodeTail(tailBytes());
  }

  public static String omissionMarker(long omitted) {
    return "\n[... " + omitted + " bytes omitted ...]\n";
  }

  private byte[] contiguous() {
    byte[] all = Arrays.copyOf(head, headLength + tailLength);
    byte[] rest = tailBytes();
    System.arraycopy(rest, 0, all, headLength, rest.length);
    return all;
  }

  private byte[] tailBytes() {
    byte[] out = new byte[tailLength];
    if (tailLength == 0) {
      return out;
    }
    int first = Math.min(tailLength, tailCapacity - tailStart);
    System.arraycopy(tail, tailStart, out, 0, first);
    System.arraycopy(tail, 0, out, first, tailLength - first);
    return out;
  }
}
