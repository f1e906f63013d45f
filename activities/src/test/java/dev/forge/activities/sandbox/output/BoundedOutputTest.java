package dev.forge.activities.sandbox.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void shouldKeepEverythingThatFits() {
    BoundedOutput output = new BoundedOutput(16);

    output.write(ascii("hello "));
    output.write(ascii("world"));

    assertThat(output.truncated()).isFalse();
    assertThat(output.omittedBytes()).isZero();
    assertThat(output.render()).isEqualTo("hello world");
    assertThat(output.lastBytes(5)).isEqualTo(ascii("world"));
    assertThat(output.firstBytes(100)).isEqualTo(ascii("hello world"));
  }

  @Test
  void shouldKeepHeadAndTailAndMarkWhatWasOmitted() {
    BoundedOutput output = new BoundedOutput(10);

    output.write(ascii("0123456789abcdefghij"));

    assertThat(output.truncated()).isTrue();
    assertThat(output.totalBytes()).isEqualTo(20);
    assertThat(output.omittedBytes()).isEqualTo(10);
    assertThat(output.render()).isEqualTo("01234\n[... 10 bytes omitted ...]\nfghij");
    assertThat(output.firstBytes(100)).isEqualTo(ascii("01234"));
    assertThat(output.lastBytes(100)).isEqualTo(ascii("fghij"));
  }

  @Test
  void shouldKeepTheRightBytesAcrossManySmallWrites() {
    BoundedOutput output = new BoundedOutput(8);

    for (char c : "abcdefghijklmnopqrstuvwxyz".toCharArray()) {
      output.write(new byte[] {(byte) c});
    }

    assertThat(output.firstBytes(4)).isEqualTo(ascii("abcd"));
    assertThat(output.lastBytes(4)).isEqualTo(ascii("wxyz"));
    assertThat(output.omittedBytes()).isEqualTo(18);
  }

  @Test
  void shouldKeepOnlyTheEndOfOneHugeWrite() {
    BoundedOutput output = new BoundedOutput(1024);
    byte[] huge = new byte[10 * 1024 * 1024];
    for (int i = 0; i < huge.length; i++) {
      huge[i] = (byte) ('a' + i % 26);
    }

    output.write(huge);

    assertThat(output.firstBytes(512)).isEqualTo(Arrays.copyOf(huge, 512));
    assertThat(output.lastBytes(512)).isEqualTo(Arrays.copyOfRange(huge, huge.length - 512, huge.length));
    assertThat(output.omittedBytes()).isEqualTo(huge.length - 1024L);
    assertThat(output.retainedBytes()).isLessThanOrEqualTo(1024);
  }

  @Test
  void shouldStayWithinItsCapacityWhileOneGibibyteFlowsThrough() {
    int capacity = 64 * 1024;
    BoundedOutput output = new BoundedOutput(capacity);
    byte[] chunk = new byte[64 * 1024];
    long total = 1L << 30;
    long maxRetained = 0;

    for (long written = 0; written < total; written += chunk.length) {
      Arrays.fill(chunk, (byte) ('a' + (written / chunk.length) % 26));
      output.write(chunk);
      maxRetained = Math.max(maxRetained, output.retainedBytes());
    }

    byte lastFill = (byte) ('a' + ((total / chunk.length) - 1) % 26);
    assertThat(output.totalBytes()).isEqualTo(total);
    assertThat(maxRetained).isLessThanOrEqualTo(capacity);
    assertThat(output.lastBytes(capacity / 2)).containsOnly(lastFill);
    assertThat(output.firstBytes(capacity / 2)).containsOnly((byte) 'a');
    assertThat(output.render()).contains("[... " + (total - capacity) + " bytes omitted ...]");
  }

  @Test
  void shouldAgreeWithAnUnboundedCopyForRandomWriteSizes() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int capacity = 2 + random.nextInt(64);
      BoundedOutput output = new BoundedOutput(capacity);
      ByteArrayOutputStream everything = new ByteArrayOutputStream();
      int writes = random.nextInt(30);
      for (int w = 0; w < writes; w++) {
        byte[] bytes = new byte[random.nextInt(3 * capacity)];
        random.nextBytes(bytes);
        int offset = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        int length = bytes.length - offset;
        output.write(bytes, offset, length);
        everything.write(bytes, offset, length);
      }
      byte[] all = everything.toByteArray();
      int head = capacity / 2;
      int tail = capacity - head;
      if (all.length <= capacity) {
        assertThat(output.firstBytes(capacity)).isEqualTo(all);
        assertThat(output.truncated()).isFalse();
      } else {
        assertThat(output.firstBytes(capacity)).isEqualTo(Arrays.copyOf(all, head));
        assertThat(output.lastBytes(capacity)).isEqualTo(Arrays.copyOfRange(all, all.length - tail, all.length));
        assertThat(output.omittedBytes()).isEqualTo(all.length - capacity);
      }
      assertThat(output.retainedBytes()).isLessThanOrEqualTo(capacity);
    }
  }

  @Test
  void shouldNotBreakMultiByteCharactersAtTheCuts() {
    BoundedOutput output = new BoundedOutput(8);

    // "ééééé" is ten bytes; both cuts fall inside a character.
    output.write("aéééé".getBytes(StandardCharsets.UTF_8));
    output.write("éz".getBytes(StandardCharsets.UTF_8));

    assertThat(output.render()).doesNotContain("\uFFFD").startsWith("aé").endsWith("éz");
  }
}
