package dev.forge.spec.config;

import dev.forge.spec.Shown;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads scalars and lists from the config tree. The tree may come from YAML (Integer, Long,
 * BigInteger, Double, Boolean, Date) or from JSON (Integer, Long, BigInteger, Double, BigDecimal):
 * every reader accepts each representation that means the same thing and reports the rest as a
 * {@code type} error. Each returns {@code null} when the value is absent or wrong, having reported
 * what was wrong.
 */
final class Values {

  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,18}(?:\\.[0-9]{1,30})?");

  private Values() {}

  /** A string; numbers, booleans and dates are refused rather than converted. */
  static String string(Issues issues, String path, Object value) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    boolean scalar = value instanceof Number || value instanceof Boolean
        || value instanceof java.util.Date;
    String hint = scalar ? "; quote it in YAML to make it a string" : "";
    issues.add(path, "type", "must be a string, got " + Shown.kindAndValue(value) + hint);
    return null;
  }

  /** A string that must be one of {@code allowed}; a wrong one is a {@code format} error. */
  static String choice(Issues issues, String path, Object value, List<String> allowed) {
    String text = string(issues, path, value);
    if (text == null || allowed.contains(text)) {
      return text;
    }
    issues.add(path, "format", "must be " + or(allowed) + ", got " + Shown.value(text));
    return null;
  }

  /** A list of at most {@code max} items. */
  static List<?> list(Issues issues, String path, Object value, int max, String example) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list)) {
      issues.add(path, "type", "must be a list such as " + example + ", got " + Shown.kind(value));
      return null;
    }
    if (list.size() > max) {
      issues.add(path, "range", "must have at most " + max + " items, got " + list.size());
      return null;
    }
    return list;
  }

  /** A whole number in {@code [min, max]}; 30 and 30.0 are fine, "30" and 30.5 are not. */
  static Long wholeNumber(Issues issues, String path, Object value, long min, long max) {
    if (value == null) {
      return null;
    }
    BigDecimal number = number(value);
    if (number == null || value instanceof String) {
      issues.add(path, "type", "must be a whole number between " + min + " and " + max + ", got "
          + Shown.kindAndValue(value));
      return null;
    }
    if (number.stripTrailingZeros().scale() > 0) {
      issues.add(path, "format", "must be a whole number, got " + Shown.value(value));
      return null;
    }
    if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      issues.add(path, "range", "must be between " + min + " and " + max + ", got "
          + number.toBigInteger());
      return null;
    }
    return number.longValue();
  }

  /**
   * A decimal in {@code [min, max]} with at most {@code maxScale} decimal places. Written as a
   * number ({@code 10}, {@code 10.5}) or as a string of digits ({@code "10.50"}), so that amounts can
   * travel as exact strings in JSON.
   */
  static BigDecimal decimal(Issues issues, String path, Object value, int maxScale, BigDecimal min,
      BigDecimal max, String example) {
    if (value == null) {
      return null;
    }
    BigDecimal number = number(value);
    if (number == null) {
      if (value instanceof String || value instanceof Double || value instanceof Float) {
        issues.add(path, "format", "must be a number such as " + example + ", got "
            + Shown.value(value));
      } else {
        issues.add(path, "type", "must be a number such as " + example + ", got "
            + Shown.kindAndValue(value));
      }
      return null;
    }
    if (number.stripTrailingZeros().scale() > maxScale) {
      issues.add(path, "format", "must have at most " + maxScale + " decimal places, got "
          + Shown.value(value));
      return null;
    }
    if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
      issues.add(path, "range", "must be between " + min.toPlainString() + " and "
          + max.toPlainString() + ", got " + number.toPlainString());
      return null;
    }
    return number;
  }

  /** The exact value of a number or a plain decimal string; null for anything else. */
  static BigDecimal number(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    } else if (value instanceof BigInteger integer) {
      return new BigDecimal(integer);
    } else if (value instanceof BigDecimal decimal) {
      return decimal;
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      // Double.toString gives the shortest text that reads back as d: 0.1 stays 0.1.
      return Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null;
    } else if (value instanceof String text && DECIMAL.matcher(text).matches()) {
      return new BigDecimal(text);
    }
    return null;
  }

  static String or(List<String> options) {
    if (options.size() == 1) {
      return options.get(0);
    }
    return String.join(", ", options.subList(0, options.size() - 1)) + " or "
        + options.get(options.size() - 1);
  }
}
