package dev.forge.spec.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @ParameterizedTest
  @CsvSource({"1024, 1024", "64k, 65536", "64K, 65536", "512m, 536870912", "2g, 2147483648",
      "2G, 2147483648", "0001m, 1048576"})
  void shouldReadSizes(String written, long bytes) {
    Issues issues = new Issues();

    assertThat(Quantities.size(issues, "s", written, 1, Long.MAX_VALUE)).isEqualTo(bytes);
    assertThat(issues.isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "g", "2 g", "2gb", "2GiB", "2t", "1.5g", "-1g", "2g2m", "0x10"})
  void shouldRefuseMalformedSizes(String written) {
    Issues issues = new Issues();

    assertThat(Quantities.size(issues, "s", written, 1, Long.MAX_VALUE)).isNull();
    assertThat(issues.isEmpty()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"90s, 90", "30m, 1800", "4h, 14400", "1d, 86400", "1h30m, 5400", "1d2h3m4s, 93784",
      "90m, 5400"})
  void shouldReadDurations(String written, long seconds) {
    Issues issues = new Issues();

    assertThat(Quantities.duration(issues, "d", written, 1, Long.MAX_VALUE)).isEqualTo(seconds);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "1H", "30m1h", "1h1h", "1.5h", "-1m", "1 h", "1w", "PT1H"})
  void shouldRefuseMalformedDurations(String written) {
    Issues issues = new Issues();

    assertThat(Quantities.duration(issues, "d", written, 1, Long.MAX_VALUE)).isNull();
    assertThat(issues.isEmpty()).isFalse();
  }

  @Test
  void shouldNotOverflowOnHugeNumbers() {
    Issues issues = new Issues();

    assertThat(Quantities.duration(issues, "d", "999999999999999999999d", 1, 86_400)).isNull();
    assertThat(Quantities.size(issues, "s", "999999999999999999999g", 1, 1L << 40)).isNull();
    assertThat(issues.isEmpty()).isFalse();
  }

  @Test
  void shouldWriteLimitsTheShortestExactWay() {
    assertThat(Quantities.formatSize(16L << 20)).isEqualTo("16m");
    assertThat(Quantities.formatSize(64L << 30)).isEqualTo("64g");
    assertThat(Quantities.formatSize(64L << 10)).isEqualTo("64k");
    assertThat(Quantities.formatSize(1000)).isEqualTo("1000");
    assertThat(Quantities.formatDuration(30L * 86_400)).isEqualTo("30d");
    assertThat(Quantities.formatDuration(5)).isEqualTo("5s");
    assertThat(Quantities.formatDuration(90)).isEqualTo("90s");
  }
}
