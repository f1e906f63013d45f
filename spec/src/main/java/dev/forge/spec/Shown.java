package dev.forge.spec;

import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** How values are repeated in error messages: short, printable, and never a secret. */
public final class Shown {

  public static final int MAX_LENGTH = 60;

  private Shown() {}

  /**
   * The value for a message: a string in single quotes (control characters escaped, cut to about 60
   * characters, hidden when it looks like a secret), a number as written, anything else by its kind.
   */
  public static String value(Object value) {
    if (value instanceof String text) {
      return SecretDetector.looksLikeSecret(text) ? "a value that looks like a secret" : quoted(text);
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    return kind(value);
  }

  /** What sort of value this is, for "must be a string, got a list". */
  public static String kind(Object value) {
    if (value == null) {
      return "nothing (null)";
    } else if (value instanceof String) {
      return "a string";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof Number) {
      return "a number";
    } else if (value instanceof Map) {
      return "a mapping";
    } else if (value instanceof List) {
      return "a list";
    } else if (value instanceof Date) {
      return "a date";
    }
    return "a value of type " + value.getClass().getSimpleName();
  }

  /** The kind and, for scalars, the value: {@code a number (5)}. */
  public static String kindAndValue(Object value) {
    if (value instanceof Number || value instanceof Boolean || value instanceof String) {
      return kind(value) + " (" + value(value) + ")";
    }
    return kind(value);
  }

  public static String quoted(String text) {
    StringBuilder out = new StringBuilder("'");
    int shown = 0;
    for (int i = 0; i < text.length(); i++) {
      if (shown >= MAX_LENGTH) {
        out.append("...");
        break;
      }
      char c = text.charAt(i);
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
      shown++;
    }
    return out.append('\'').toString();
  }
}
