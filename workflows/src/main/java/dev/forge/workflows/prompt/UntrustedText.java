package dev.forge.workflows.prompt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sanitizer of FORGE layer 1 for text from outside that enters an agent's prompt: webhook
 * payloads (issue titles and bodies) and the output of checks fed back to the agent.
 *
 * <p>It <em>removes</em> what a reader of the prompt would not see: control characters (but
 * newline and tab), invisible formatting characters (zero-width, bidirectional overrides, Unicode
 * tag characters), private-use, unassigned and lone surrogate code points; and, for text that may
 * hold HTML ({@link Source#MARKUP}), script and style blocks, comments and HTML tags. It
 * <em>flags</em>, without changing the text, what looks like an attempt to steer the agent:
 * instruction overrides, role manipulation, chat-template and delimiter tricks, and requests for
 * secrets. Text hidden in Unicode tag characters is decoded and checked too. Flagging is a signal
 * for the audit log and for the agent, not a proof: real issue text can match, and a determined
 * attacker can phrase around any list of patterns. Bounding the length is the caller's business
 * (a webhook refuses text that is too long; check output keeps its tail).
 *
 * <p>Pure and deterministic: workflow code calls it.
 */
public final class UntrustedText {

  /** Where the text comes from, which decides whether markup is removed. */
  public enum Source {
    /** Issue or webhook text: HTML and Markdown with HTML in it. Tags are removed. */
    MARKUP,
    /** Program output (check runs): {@code List<String>} is code, not a tag; kept. */
    PLAIN
  }

  /** At most this many findings are kept (the count per rule is still exact). */
  public static final int MAX_FINDINGS = 20;
  private static final int EXCERPT_CHARS = 80;

  private static final Pattern SCRIPT_OR_STYLE = Pattern.compile(
      "(?is)<(script|style|iframe|object|embed|template)\\b[^>]*>.*?(?:</\\1\\s*>|\\z)");
  /** Terminal colour and cursor sequences (test runners print them): removed, not flagged. */
  private static final Pattern ANSI = Pattern.compile(
      "\\x1B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\\x07\\x1B]*(?:\\x07|\\x1B\\\\)?|[@-_])");
  private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?(?:-->|\\z)");
  private static final Pattern TAG = Pattern.compile(
      "(?i)</?(?:a|abbr|b|base|blockquote|body|br|button|caption|center|cite|code|col|dd|del|details"
          + "|dfn|div|dl|dt|em|font|form|h[1-6]|head|header|footer|hr|html|i|img|input|ins|kbd|label"
          + "|li|link|mark|meta|nav|ol|option|p|picture|pre|q|s|samp|section|select|small|source"
          + "|span|strike|strong|sub|summary|sup|svg|table|tbody|td|textarea|tfoot|th|thead|title|tr"
          + "|tt|u|ul|var|video|audio|math|marquee)(?=[\\s/>])[^>]*>");

  private record Rule(String name, Category category, Pattern pattern) {}

  private static final List<Rule> RULES = List.of(
      rule("ignore-instructions", Category.INSTRUCTION_OVERRIDE,
          "(?i)\\b(?:ignore|disregard|forget|override|bypass)\\s+(?:[\\w'-]+\\s+){0,3}?"
              + "(?:instructions?|prompts?|rules|guidelines|directions|directives|guardrails)\\b"),
      rule("new-instructions", Category.INSTRUCTION_OVERRIDE,
          "(?i)\\b(?:new|updated|real|actual|revised)\\s+(?:system\\s+)?instructions?\\s*:"
              + "|\\bfrom\\s+now\\s+on\\s*,?\\s+you\\b"),
      rule("you-are-now", Category.ROLE_MANIPULATION,
          "(?i)\\byou\\s+are\\s+(?:now|no\\s+longer)\\b"),
      rule("act-as", Category.ROLE_MANIPULATION,
          "(?i)\\b(?:act|behave|respond)\\s+as\\s+(?:if\\s+you\\s+were\\s+)?(?:an?\\s+|the\\s+)?"
              + "(?:system|admin(?:istrator)?|root|superuser|unrestricted|unfiltered|jailbroken"
              + "|DAN)\\b"),
      rule("pretend", Category.ROLE_MANIPULATION,
          "(?i)\\bpretend\\s+(?:to\\s+be|you\\s+are|that\\s+you)\\b"),
      rule("jailbreak", Category.ROLE_MANIPULATION,
          "(?i)\\b(?:developer|god|DAN)\\s+mode\\b|\\bjailbr(?:eak|oken)\\b"),
      rule("role-line", Category.ROLE_MANIPULATION,
          "(?m)^[ \\t>#*]*(?:System|SYSTEM|Assistant|ASSISTANT|Human|HUMAN)[ \\t]*:"),
      rule("chat-template-token", Category.DELIMITER,
          "(?i)<\\|(?:im_start|im_end|im_sep|endoftext|system|user|assistant|eot_id"
              + "|start_header_id|end_header_id|begin_of_text)\\|>"),
      rule("instruction-tags", Category.DELIMITER,
          "\\[/?INST\\]|<</?SYS>>|(?i)</?(?:system|assistant|instructions?|system[_-]prompt)>"),
      rule("fake-marker", Category.DELIMITER,
          "(?m)^[ \\t]*-{3,}[ \\t]*(?:BEGIN|END)\\b"
              + "|(?i)\\bend\\s+of\\s+(?:the\\s+)?(?:user\\s+)?(?:input|data|text|prompt|webhook)\\b"),
      rule("forge-footer", Category.DELIMITER,
          "(?im)^[ \\t]*Forge\\s+loop\\s+loop-|(?i)\\bthe\\s+previous\\s+iteration\\s+claimed\\b"),
      rule("secret-request", Category.SECRET_REQUEST,
          "(?i)\\b(?:reveal|print|show|output|send|post|leak|exfiltrate|upload|dump|echo|cat)\\s"
              + "[^\\n]{0,40}?(?:(?:the\\s+)?system\\s+prompt|api[_ -]?keys?|secrets?"
              + "|credentials?|passwords?|private\\s+keys?|ssh\\s+keys?|id_rsa|\\.env\\b"
              + "|env(?:ironment)?\\s+variables?|\\$[A-Z_]*(?:KEY|TOKEN|SECRET)[A-Z_]*)\\b"));

  private UntrustedText() {}

  private static Rule rule(String name, Category category, String regex) {
    return new Rule(name, category, Pattern.compile(regex));
  }

  /** What kind of steering a finding suggests. */
  public enum Category {
    INSTRUCTION_OVERRIDE,
    ROLE_MANIPULATION,
    DELIMITER,
    SECRET_REQUEST,
    HIDDEN_TEXT,
    MARKUP
  }

  /**
   * One thing the sanitizer flagged or removed.
   *
   * @param rule the rule's name, e.g. {@code ignore-instructions}
   * @param category what it suggests
   * @param excerpt the matched text with some context, on one line, at most 80 characters
   */
  public record Finding(String rule, Category category, String excerpt) {}

  /**
   * The text as it may enter a prompt, and what was found in it.
   *
   * @param text without hidden characters (and markup, for {@link Source#MARKUP})
   * @param findings at most {@link #MAX_FINDINGS}, in the order of the rules
   * @param counts how often each rule matched (or how many characters or blocks it removed)
   */
  public record Sanitized(String text, List<Finding> findings, Map<String, Integer> counts) {

    /**
     * Whether anything looks like steering: a pattern matched, or text was hidden in tag
     * characters or behind bidirectional controls. Removed markup or zero-width characters alone
     * (emoji sequences have them) are not.
     */
    public boolean suspicious() {
      return findings.stream().anyMatch(Sanitized::steering);
    }

    /** The findings that suggest steering (see {@link #suspicious()}). */
    public List<Finding> steeringFindings() {
      return findings.stream().filter(Sanitized::steering).toList();
    }

    /** {@code rule×count} for every rule that matched or removed something, for the audit log. */
    public String summary() {
      List<String> parts = new ArrayList<>();
      counts.forEach((rule, count) -> parts.add(rule + "×" + count));
      return String.join(", ", parts);
    }

    /** {@code rule×count} for the rules that suggest steering only, e.g. {@code act-as×1}. */
    public String steeringSummary() {
      List<String> parts = new ArrayList<>();
      counts.forEach((rule, count) -> {
        if (findings.stream().anyMatch(f -> f.rule().equals(rule) && steering(f))) {
          parts.add(rule + "×" + count);
        }
      });
      return String.join(", ", parts);
    }

    private static boolean steering(Finding f) {
      return switch (f.category()) {
        case MARKUP -> false;
        case HIDDEN_TEXT -> !f.rule().equals("invisible-characters");
        default -> true;
      };
    }
  }

  /**
   * The findings and counts of several sanitized parts (the fields of one webhook) together, with
   * {@code text} as the combined text.
   */
  public static Sanitized combined(String text, List<Sanitized> parts) {
    List<Finding> findings = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Sanitized part : parts) {
      part.findings().forEach(f -> add(findings, f));
      part.counts().forEach((rule, n) -> count(counts, rule, n));
    }
    return new Sanitized(text, List.copyOf(findings),
        Collections.unmodifiableMap(new LinkedHashMap<>(counts)));
  }

  /** Cleans {@code raw} and flags what looks like steering; {@code null} is treated as empty. */
  public static Sanitized sanitize(String raw, Source source) {
    String text = raw == null ? ""
        : ANSI.matcher(raw).replaceAll("").replace("\r\n", "\n").replace('\r', '\n');
    List<Finding> findings = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    StringBuilder removed = new StringBuilder();
    if (source == Source.MARKUP) {
      text = removeMarkup(text, findings, counts, removed);
    }
    StringBuilder visible = new StringBuilder(text.length());
    StringBuilder tagged = new StringBuilder();
    int hidden = 0;
    int bidi = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c >= 0xE0020 && c <= 0xE007E) {
        tagged.appendCodePoint(c - 0xE0000); // "ASCII smuggling": tag characters spell out text
      } else if (c == 0x202A || c == 0x202B || c == 0x202C || c == 0x202D || c == 0x202E
          || (c >= 0x2066 && c <= 0x2069)) {
        bidi++;
        continue;
      } else if (c == '\n' || c == '\t' || !isHidden(c)) {
        visible.appendCodePoint(c);
        continue;
      }
      hidden++;
    }
    String clean = visible.toString();
    if (hidden > 0) {
      count(counts, "invisible-characters", hidden);
      add(findings, new Finding("invisible-characters", Category.HIDDEN_TEXT, hidden + " removed"));
    }
    if (bidi > 0) {
      count(counts, "bidi-controls", bidi);
      add(findings, new Finding("bidi-controls", Category.HIDDEN_TEXT,
          bidi + " bidirectional override(s) removed"));
    }
    if (!tagged.isEmpty()) {
      count(counts, "tag-characters", 1);
      add(findings, new Finding("tag-characters", Category.HIDDEN_TEXT,
          "hidden text: " + excerpt(tagged.toString(), 0, tagged.length())));
    }
    flag(clean, findings, counts);
    if (!removed.isEmpty()) {
      flag(removed.toString(), findings, counts); // what an HTML comment hid from human readers
    }
    if (!tagged.isEmpty()) {
      flag(tagged.toString(), findings, counts);
    }
    return new Sanitized(clean, List.copyOf(findings),
        Collections.unmodifiableMap(new LinkedHashMap<>(counts)));
  }

  private static boolean isHidden(int c) {
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE || type == Character.SURROGATE
        || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0; // Hangul fillers: blank
  }

  private static String removeMarkup(
      String text, List<Finding> findings, Map<String, Integer> counts, StringBuilder removed) {
    String out = remove(SCRIPT_OR_STYLE, "script-removed", text, findings, counts, removed);
    out = remove(COMMENT, "comment-removed", out, findings, counts, removed);
    List<MatchResult> tags = TAG.matcher(out).results().toList();
    if (!tags.isEmpty()) {
      count(counts, "html-removed", tags.size());
      add(findings, new Finding("html-removed", Category.MARKUP, tags.size() + " tag(s) removed"));
      out = cut(out, tags);
    }
    return out;
  }

  /**
   * Removes every match of {@code pattern} in one pass, counting it under {@code rule} with the
   * first match as the excerpt, and keeps what was removed in {@code removed} to be checked.
   */
  private static String remove(Pattern pattern, String rule, String text, List<Finding> findings,
      Map<String, Integer> counts, StringBuilder removed) {
    List<MatchResult> matches = pattern.matcher(text).results().toList();
    if (matches.isEmpty()) {
      return text;
    }
    MatchResult first = matches.get(0);
    add(findings, new Finding(rule, Category.MARKUP, excerpt(text, first.start(), first.end())));
    count(counts, rule, matches.size());
    matches.forEach(m -> removed.append(m.group()).append('\n'));
    return cut(text, matches);
  }

  /** {@code text} without the (ordered, disjoint) {@code matches}. */
  private static String cut(String text, List<MatchResult> matches) {
    StringBuilder kept = new StringBuilder(text.length());
    int from = 0;
    for (MatchResult m : matches) {
      kept.append(text, from, m.start());
      from = m.end();
    }
    return kept.append(text, from, text.length()).toString();
  }


  private static void flag(String text, List<Finding> findings, Map<String, Integer> counts) {
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(text);
      boolean first = true;
      while (m.find()) {
        count(counts, rule.name(), 1);
        if (first) {
          add(findings, new Finding(rule.name(), rule.category(), excerpt(text, m.start(), m.end())));
          first = false;
        }
      }
    }
  }

  private static void count(Map<String, Integer> counts, String rule, int n) {
    counts.merge(rule, n, Integer::sum);
  }

  private static void add(List<Finding> findings, Finding finding) {
    if (findings.size() < MAX_FINDINGS) {
      findings.add(finding);
    }
  }

  /** The match with up to 20 characters before it, on one line, at most 80 characters. */
  private static String excerpt(String text, int start, int end) {
    int from = Math.max(0, start - 20);
    int to = Math.min(text.length(), Math.max(end, from + 1));
    String piece = text.substring(from, to).replaceAll("\\s+", " ").strip();
    StringBuilder out = new StringBuilder();
    piece.codePoints().filter(c -> !isHidden(c)).forEach(out::appendCodePoint);
    return out.length() <= EXCERPT_CHARS ? out.toString() : out.substring(0, EXCERPT_CHARS - 1) + "…";
  }
}
