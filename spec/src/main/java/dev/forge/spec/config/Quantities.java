package dev.forge.spec.config;

import dev.forge.spec.Shown;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and durations as forge.yml writes them.
 *
 * <p>A size is a whole number with an optional binary unit, case-insensitive: {@code 512m}, {@code
 * 2G}, {@code 64k}, where 1k = 1024. Without a unit it is a byte count, as with {@code docker run
 * --memory}: {@code 2048} and {@code "2048"} both mean 2048 bytes.
 *
 * <p>A duration is one or more whole numbers each with a unit, largest unit first: {@code 90s},
 * {@code 30m}, {@code 4h}, {@code 1d}, {@code 1h30m}. The unit is required (a bare {@code 60} could
 * mean seconds or minutes) and lower-case ({@code M} could be read as months).
 */
public final class Quantities {

  static final Pattern SIZE = Pattern.compile("([0-9]{1,30})([kmgKMG]?)");
  static final Pattern DURATION = Pattern.compile(
      "(?:([0-9]{1,30})d)?(?:([0-9]{1,30})h)?(?:([0-9]{1,30})m)?(?:([0-9]{1,30})s)?");
  private static final long[] DURATION_UNITS = {86_400, 3_600, 60, 1};
  private static final String SIZE_EXAMPLE = "must be a size such as 512m or 2g";
  private static final String DURATION_EXAMPLE =
      "must be a duration such as 90s, 30m, 4h, 1d or 1h30m";

  /** The longest a loop may run or wait (a gate, a cost cap raise): 30 days. */
  static final long MAX_WAIT_SECONDS = 30 * 86_400;
  /** The shortest gate timeout, escalation and reminder: one minute. */
  static final long MIN_GATE_SECONDS = 60;

  private Quantities() {}

  /** A size in bytes within {@code [min, max]}. */
  static Long size(Issues issues, String path, Object value, long min, long max) {
    if (value == null) {
      return null;
    }
    BigInteger bytes;
    boolean unitless = true;
    if (value instanceof String text) {
      Matcher m = SIZE.matcher(text);
      if (!m.matches()) {
        issues.add(path, "format", SIZE_EXAMPLE + " (k, m and g are binary units; a plain number"
            + " is bytes), got " + Shown.value(text));
        return null;
      }
      unitless = m.group(2).isEmpty();
      int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "k" -> 10;
        case "m" -> 20;
        case "g" -> 30;
        default -> 0;
      };
      bytes = new BigInteger(m.group(1)).shiftLeft(shift);
    } else {
      BigDecimal number = Values.number(value);
      if (number == null) {
        issues.add(path, "type", SIZE_EXAMPLE + ", got " + Shown.kindAndValue(value));
        return null;
      }
      if (number.stripTrailingZeros().scale() > 0) {
        issues.add(path, "format", SIZE_EXAMPLE + " in whole units, got " + Shown.value(value));
        return null;
      }
      bytes = number.toBigInteger();
    }
    if (bytes.compareTo(BigInteger.valueOf(min)) < 0 || bytes.compareTo(BigInteger.valueOf(max)) > 0) {
      String plainHint = unitless ? " (a number without a unit is a byte count)" : "";
      issues.add(path, "range", "must be between " + formatSize(min) + " and " + formatSize(max)
          + ", got " + Shown.value(value) + plainHint);
      return null;
    }
    return bytes.longValueExact();
  }

  /** A duration in seconds within {@code [min, max]}. */
  static Long duration(Issues issues, String path, Object value, long min, long max) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number) {
      issues.add(path, "format", DURATION_EXAMPLE + ", got " + Shown.value(value)
          + " without a unit; a unit is required");
      return null;
    }
    if (!(value instanceof String text)) {
      issues.add(path, "type", DURATION_EXAMPLE + ", got " + Shown.kindAndValue(value));
      return null;
    }
    Matcher m = DURATION.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      issues.add(path, "format", DURATION_EXAMPLE + " (units s, m, h, d, largest first), got "
          + Shown.value(text));
      return null;
    }
    BigInteger seconds = BigInteger.ZERO;
    for (int i = 0; i < DURATION_UNITS.length; i++) {
      String group = m.group(i + 1);
      if (group != null) {
        seconds = seconds.add(new BigInteger(group).multiply(BigInteger.valueOf(DURATION_UNITS[i])));
      }
    }
    if (seconds.compareTo(BigInteger.valueOf(min)) < 0 || seconds.compareTo(BigInteger.valueOf(max)) > 0) {
      issues.add(path, "range", "must be between " + formatDuration(min) + " and "
          + formatDuration(max) + ", got " + Shown.value(text));
      return null;
    }
    return seconds.longValueExact();
  }

  /** The shortest exact way to write a byte count: {@code 16m}, {@code 64g}, {@code 1000}. */
  public static String formatSize(long bytes) {
    String[] units = {"g", "m", "k"};
    int[] shifts = {30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes >= unit && bytes % unit == 0) {
        return (bytes / unit) + units[i];
      }
    }
    return Long.toString(bytes);
  }

  /** The shortest exact way to write a duration: {@code 30d}, {@code 1m}, {@code 90s}. */
  public static String formatDuration(long seconds) {
    String[] units = {"d", "h", "m"};
    for (int i = 0; i < units.length; i++) {
      long unit = DURATION_UNITS[i];
      if (seconds >= unit && seconds % unit == 0) {
        return (seconds / unit) + units[i];
      }
    }
    return seconds + "s";
  }
}
