package dev.forge.activities.sandbox.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineScannerTest {

  private final List<String> lines = new ArrayList<>();
  private final List<Boolean> cuts = new ArrayList<>();

  private LineScanner scanner(int maxLineBytes) {
    return new LineScanner(
        maxLineBytes,
        (line, cut) -> {
          lines.add(line);
          cuts.add(cut);
        });
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldJoinLinesSplitAcrossChunks() {
    LineScanner scanner = scanner(1024);

    for (byte b : utf8("first line\nsecond ")) {
      scanner.feed(new byte[] {b});
    }
    scanner.feed(utf8("line\nthird"));
    scanner.feed(utf8(" line\n"));

    assertThat(lines).containsExactly("first line", "second line", "third line");
  }

  @Test
  void shouldStripCarriageReturnsEvenWhenSplitFromTheLineFeed() {
    LineScanner scanner = scanner(1024);

    scanner.feed(utf8("windows\r"));
    scanner.feed(utf8("\nunix\n\r\n"));

    assertThat(lines).containsExactly("windows", "unix", "");
  }

  @Test
  void shouldPassOnALastLineWithoutALineBreakOnlyAtTheEnd() {
    LineScanner scanner = scanner(1024);

    scanner.feed(utf8("done\nno newline"));
    List<String> beforeFinish = List.copyOf(lines);
    scanner.finish();

    assertThat(beforeFinish).containsExactly("done");
    assertThat(lines).containsExactly("done", "no newline");
  }

  @Test
  void shouldNotInventALineWhenTheStreamEndsWithALineBreak() {
    LineScanner scanner = scanner(1024);

    scanner.feed(utf8("a\n\n"));
    scanner.finish();

    assertThat(lines).containsExactly("a", "");
  }

  @Test
  void shouldCutOverlongLinesAndCarryOnWithTheNext() {
    LineScanner scanner = scanner(8);

    scanner.feed(utf8("0123456789abcdef"));
    scanner.feed(utf8("ghij\r\nshort\n"));

    assertThat(lines).containsExactly("01234567", "short");
    assertThat(cuts).containsExactly(true, false);
  }

  @Test
  void shouldScanAHugeLineInBoundedMemory() {
    LineScanner scanner = scanner(1024);
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 'x');

    for (int i = 0; i < 64; i++) {
      scanner.feed(chunk);
    }
    scanner.feed(utf8("\nnext\n"));

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).hasSize(1024);
    assertThat(cuts).containsExactly(true, false);
    assertThat(lines.get(1)).isEqualTo("next");
  }

  @Test
  void shouldDecodeMultiByteCharactersSplitAcrossChunks() {
    LineScanner scanner = scanner(1024);
    byte[] bytes = utf8("grüße\n");

    scanner.feed(Arrays.copyOfRange(bytes, 0, 3));
    scanner.feed(Arrays.copyOfRange(bytes, 3, bytes.length));

    assertThat(lines).containsExactly("grüße");
  }
}
