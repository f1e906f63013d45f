package dev.forge.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Just enough of Java's lexical structure for {@link AuditActionScan}: comments, string and
 * character literals, text blocks and bracket nesting. Offsets stay those of the original text, so
 * line numbers in failures are right.
 */
final class JavaText {

  private static final Set<String> NOT_A_TYPE =
      Set.of("return", "new", "else", "throw", "case", "yield", "assert");

  private JavaText() {}

  /** {@code text} with every comment's characters replaced by spaces (newlines kept). */
  static String blankComments(String text) {
    StringBuilder out = new StringBuilder(text);
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("//", i)) {
        int end = text.indexOf('\n', i);
        end = end < 0 ? text.length() : end;
        blank(out, i, end);
        i = end;
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? text.length() : end + 2;
        blank(out, i, end);
        i = end;
      } else {
        i = skipLiteral(text, i);
      }
    }
    return out.toString();
  }

  /**
   * {@code code} (comments already blanked) with the contents of every string, character and text
   * block literal replaced by spaces, so that nothing inside a literal is read as code.
   */
  static String blankLiterals(String code) {
    StringBuilder out = new StringBuilder(code);
    int i = 0;
    while (i < code.length()) {
      int end = skipLiteral(code, i);
      if (end > i + 1) {
        int quote = code.startsWith("\"\"\"", i) ? 3 : 1;
        blank(out, i + quote, Math.max(i + quote, end - quote));
      }
      i = end;
    }
    return out.toString();
  }

  private static void blank(StringBuilder out, int from, int to) {
    for (int k = from; k < to; k++) {
      if (out.charAt(k) != '\n') {
        out.setCharAt(k, ' ');
      }
    }
  }

  /** The index after the literal starting at {@code i}, or {@code i + 1} when none starts there. */
  private static int skipLiteral(String text, int i) {
    if (text.startsWith("\"\"\"", i)) {
      int end = text.indexOf("\"\"\"", i + 3);
      return end < 0 ? text.length() : end + 3;
    }
    char c = text.charAt(i);
    if (c == '"' || c == '\'') {
      int k = i + 1;
      while (k < text.length() && text.charAt(k) != c) {
        k += text.charAt(k) == '\\' ? 2 : 1;
      }
      return Math.min(k + 1, text.length());
    }
    return i + 1;
  }

  /**
   * The comma-separated arguments (or, with {@code angles}, parameters whose types may hold {@code
   * <A, B>}) between the parenthesis at {@code open} and its match.
   */
  static List<AuditActionScan.Arg> arguments(String code, int open, boolean angles) {
    int close = closingParen(code, open);
    if (close >= code.length()) {
      throw new IllegalStateException("unbalanced parenthesis at offset " + open);
    }
    List<AuditActionScan.Arg> args = new ArrayList<>();
    int depth = 0;
    int start = open + 1;
    int i = open + 1;
    while (i < close) {
      char c = code.charAt(i);
      if (c == '"' || c == '\'') {
        i = skipLiteral(code, i);
        continue;
      }
      if (c == '(' || c == '[' || c == '{' || angles && c == '<') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}' || angles && c == '>') {
        depth--;
      } else if (c == ',' && depth <= 0) {
        args.add(new AuditActionScan.Arg(code.substring(start, i), start));
        start = i + 1;
      }
      i++;
    }
    String last = code.substring(start, close);
    if (!last.isBlank() || !args.isEmpty()) {
      args.add(new AuditActionScan.Arg(last, start));
    }
    return args;
  }

  static int closingParen(String code, int open) {
    return closing(code, open, '(', ')');
  }

  static int closingBrace(String code, int open) {
    return closing(code, open, '{', '}');
  }

  private static int closing(String code, int open, char up, char down) {
    int depth = 0;
    int i = open;
    while (i < code.length()) {
      char c = code.charAt(i);
      if (c == '"' || c == '\'') {
        i = skipLiteral(code, i);
        continue;
      }
      if (c == up) {
        depth++;
      } else if (c == down && --depth == 0) {
        return i;
      }
      i++;
    }
    return code.length();
  }

  /**
   * Whether the name before the parenthesis at {@code open} is declared there (a type precedes it:
   * {@code void record(}) rather than called ({@code audit.record(}, {@code return record(}).
   */
  static boolean isDeclaration(String code, int nameStart, int open) {
    int k = nameStart - 1;
    while (k >= 0 && Character.isWhitespace(code.charAt(k))) {
      k--;
    }
    if (k < 0) {
      return false;
    }
    char c = code.charAt(k);
    if (c == ']') {
      return true;
    }
    if (c == '>') {
      return k == 0 || code.charAt(k - 1) != '-';
    }
    if (!Character.isJavaIdentifierPart(c)) {
      return false;
    }
    int wordEnd = k + 1;
    while (k >= 0 && Character.isJavaIdentifierPart(code.charAt(k))) {
      k--;
    }
    return !NOT_A_TYPE.contains(code.substring(k + 1, wordEnd));
  }

  /** {@code expr} without parentheses around all of it. */
  static String unwrap(String expr) {
    while (expr.startsWith("(") && closingParen(expr, 0) == expr.length() - 1) {
      expr = expr.substring(1, expr.length() - 1).trim();
    }
    return expr;
  }

  /** The offsets of the top-level {@code ?} and its {@code :}, or null when there is none. */
  static int[] ternary(String expr) {
    int depth = 0;
    int question = -1;
    int nested = 0;
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'') {
        i = skipLiteral(expr, i);
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (depth == 0 && c == '?') {
        if (question < 0) {
          question = i;
        } else {
          nested++;
        }
      } else if (depth == 0 && c == ':' && question >= 0) {
        if (expr.startsWith("::", i)) {
          i += 2;
          continue;
        }
        if (nested == 0) {
          return new int[] {question, i};
        }
        nested--;
      }
      i++;
    }
    return null;
  }

  /** The operands of a top-level {@code +} chain; one element when there is none. */
  static List<String> topLevelPlus(String expr) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'') {
        i = skipLiteral(expr, i);
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == '+' && depth == 0) {
        parts.add(expr.substring(start, i));
        start = i + 1;
      }
      i++;
    }
    parts.add(expr.substring(start));
    return parts;
  }

  /** The Java escapes an action name could hold. */
  static String unescape(String body) {
    return body.replace("\\\"", "\"").replace("\\\\", "\\");
  }

  /** The comma-separated values between the parenthesis at {@code open} and its match, in SQL. */
  static List<String> sqlValues(String sql, int open) {
    List<String> values = new ArrayList<>();
    int depth = 0;
    int start = open + 1;
    for (int i = open + 1; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\'') {
        i = sql.indexOf('\'', i + 1);
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (depth == 0) {
          values.add(sql.substring(start, i));
          return values;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        values.add(sql.substring(start, i));
        start = i + 1;
      }
    }
    throw new IllegalStateException("unbalanced parenthesis at offset " + open);
  }

  /** The 1-based line of {@code offset}. */
  static int line(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
