package dev.forge.activities.sandbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Masks credential values in text that leaves the activity (output kept for the audit log and the
 * result, error messages, egress destinations). Redaction is a backstop: the control is that a
 * loop only receives the host variables the operator allows.
 *
 * <p>A value is masked verbatim, and, when it has at least {@value
 * CredentialForms#MIN_LETTERS_AND_DIGITS} letters and digits, in the {@linkplain CredentialForms
 * forms} a step could print it in to get past an exact match: spaced out (any run of white space,
 * punctuation or line breaks between its characters), reversed, base64 or hex encoded,
 * percent-encoded, and combinations of these. What is masked is the stretch of text from the
 * form's first letter or digit to its last. Searching is one pass over the text for all values
 * together (see {@link PatternSearch}).
 *
 * <p>Output is cut into head and tail, so a value may also be cut in two: at a cut edge, a fragment
 * of three or more characters of a value, or of one of its forms, is removed as well.
 */
final class Redactor {

  static final String MASK = "[REDACTED]";
  private static final int MIN_FRAGMENT = 3;

  private final List<String> values;
  private final List<String> forms;
  private final PatternSearch search;

  Redactor(Collection<String> values) {
    this.values =
        values.stream()
            .filter(v -> v != null && !v.isEmpty())
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    this.forms = this.values.stream().flatMap(v -> CredentialForms.of(v).stream()).distinct().toList();
    this.search = new PatternSearch(forms);
  }

  static Redactor none() {
    return new Redactor(List.of());
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String value : values) {
      out = out.replace(value, MASK);
    }
    if (search.isEmpty()) {
      return out;
    }
    SkeletonText skeleton = SkeletonText.of(out);
    List<int[]> spans = new ArrayList<>();
    for (PatternSearch.Match match : search.find(skeleton)) {
      spans.add(new int[] {skeleton.start(match.start()), skeleton.end(match.end() - 1)});
    }
    return mask(out, spans);
  }

  /** Redacts text whose start was cut off: a leading end-piece of a value goes too. */
  String redactCutStart(String text) {
    String out = redact(text);
    for (String value : values) {
      for (int k = value.length() - 1; k >= minFragment(value); k--) {
        if (out.startsWith(value.substring(value.length() - k))) {
          out = MASK + out.substring(k);
          break;
        }
      }
    }
    SkeletonText skeleton = SkeletonText.of(out);
    int longest = 0;
    for (String form : forms) {
      for (int k = form.length() - 1; k > Math.max(longest, MIN_FRAGMENT - 1); k--) {
        if (skeleton.regionMatches(0, form.substring(form.length() - k))) {
          longest = k;
          break;
        }
      }
    }
    return longest == 0 ? out : MASK + out.substring(skeleton.end(longest - 1));
  }

  /** Redacts text whose end was cut off: a trailing start-piece of a value goes too. */
  String redactCutEnd(String text) {
    String out = redact(text);
    for (String value : values) {
      for (int k = value.length() - 1; k >= minFragment(value); k--) {
        if (out.endsWith(value.substring(0, k))) {
          out = out.substring(0, out.length() - k) + MASK;
          break;
        }
      }
    }
    SkeletonText skeleton = SkeletonText.of(out);
    int longest = 0;
    for (String form : forms) {
      for (int k = form.length() - 1; k > Math.max(longest, MIN_FRAGMENT - 1); k--) {
        if (skeleton.regionMatches(skeleton.length() - k, form.substring(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest == 0
        ? out
        : out.substring(0, skeleton.start(skeleton.length() - longest)) + MASK;
  }

  /** Replaces each stretch (merged where they overlap or touch) with one mask. */
  private static String mask(String text, List<int[]> spans) {
    if (spans.isEmpty()) {
      return text;
    }
    spans.sort(Comparator.comparingInt(s -> s[0]));
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    int i = 0;
    while (i < spans.size()) {
      int start = spans.get(i)[0];
      int end = spans.get(i)[1];
      while (++i < spans.size() && spans.get(i)[0] <= end) {
        end = Math.max(end, spans.get(i)[1]);
      }
      out.append(text, copied, start).append(MASK);
      copied = end;
    }
    return out.append(text, copied, text.length()).toString();
  }

  private static int minFragment(String value) {
    return Math.max(1, Math.min(MIN_FRAGMENT, value.length() - 1));
  }
}
