package dev.forge.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds every audit action the main code of every module writes, by reading the sources (no
 * Docker, no database, no Spring context).
 *
 * <p>An action is written where an {@code AuditEntry} (its 6th argument) or an {@code
 * AuditRecord} (its 5th) is constructed, and by the database function that inserts into {@code
 * audit_log} (the SQL migrations). The action argument is followed back to its literals through
 * string constants, local {@code String} variables, {@code ?:} and {@code +}, and parameters: a
 * parameter of the enclosing method is resolved at every call of that method (same name and arity)
 * in the same module. Every method with a {@code String action} parameter is such a forwarder too,
 * interface methods included (e.g. {@code GateVoting.Recorder.record}), so actions handed to a
 * recorder object are found although the object is wired by a method reference.
 *
 * An action read from another entry ({@code r.action()}) passes on one that is found where that
 * entry is built.
 *
 * <p>An action argument it cannot follow fails the scan with the file and line, rather than being
 * skipped: a catalogue that silently misses a writer would be worse than none.
 */
final class AuditActionScan {

  private static final Pattern AUDIT_ENTRY = Pattern.compile("\\bnew\\s+AuditEntry\\s*\\(");
  private static final Pattern AUDIT_RECORD = Pattern.compile("\\bnew\\s+AuditRecord\\s*\\(");
  private static final int AUDIT_ENTRY_ACTION = 5;
  private static final int AUDIT_RECORD_ACTION = 4;
  private static final Pattern SQL_INSERT = Pattern.compile(
      "(?is)INSERT\\s+INTO\\s+[\\w${}:.]*audit_log\\s*\\(([^)]*)\\)\\s*VALUES\\s*\\(");
  private static final Pattern NAME_CALL = Pattern.compile("\\b([A-Za-z_]\\w*)\\s*\\(");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?:([A-Z]\\w*)\\.)?([A-Za-z_]\\w*)");
  private static final Pattern PASS_THROUGH = Pattern.compile("[a-z]\\w*\\.action\\(\\)");
  private static final Set<String> KEYWORDS = Set.of("if", "for", "while", "switch", "catch",
      "synchronized", "return", "new", "throw", "else", "case", "yield", "assert", "try", "do",
      "super", "this");
  private static final int MAX_DEPTH = 8;

  private final List<Source> sources = new ArrayList<>();
  private final Path root;

  private AuditActionScan(Path root) {
    this.root = root;
  }

  /**
   * Every action written by the main code under {@code root} (the repository), each with where it
   * is written ({@code module/.../File.java:line}).
   */
  static Map<String, Set<String>> actionsWritten(Path root) {
    AuditActionScan scan = new AuditActionScan(root);
    scan.readJavaSources();
    Map<String, Set<String>> found = new TreeMap<>();
    for (Source source : scan.sources) {
      scan.sinks(source, AUDIT_ENTRY, AUDIT_ENTRY_ACTION, found);
      scan.sinks(source, AUDIT_RECORD, AUDIT_RECORD_ACTION, found);
      scan.forwarders(source, found);
    }
    scan.sqlInserts(found);
    return found;
  }

  private void readJavaSources() {
    for (Path file : files("java")) {
      if (file.toString().contains("/src/main/java/")) {
        String raw = read(file);
        String code = JavaText.blankComments(raw);
        sources.add(new Source(root.relativize(file).toString(), module(file), raw, code,
            JavaText.blankLiterals(code)));
      }
    }
  }

  private void sinks(Source source, Pattern constructor, int index,
      Map<String, Set<String>> found) {
    Matcher m = constructor.matcher(source.shape());
    while (m.find()) {
      List<Arg> args = source.args(m.end() - 1, false);
      if (args.size() <= index) {
        throw new AssertionError(source.at(m.start()) + ": expected at least " + (index + 1)
            + " arguments to " + m.group().trim() + ", found " + args.size());
      }
      Arg action = args.get(index);
      for (String value : eval(source, action.text(), action.offset(), 0)) {
        found.computeIfAbsent(value, k -> new LinkedHashSet<>()).add(source.at(action.offset()));
      }
    }
  }

  /**
   * Abstract methods with a {@code String action} parameter (a recorder interface, implemented by a
   * method reference the scan cannot follow): what each caller passes there is an action. Concrete
   * methods need no such rule: their parameter is followed from the sink it reaches.
   */
  private void forwarders(Source source, Map<String, Set<String>> found) {
    for (Method method : source.methods()) {
      int index = method.params().indexOf("action");
      if (index >= 0 && "String".equals(method.types().get(index)) && method.isAbstract()) {
        for (Call call : calls(source.module(), method.name(), method.params().size())) {
          Arg arg = call.args().get(index);
          for (String value : eval(call.source(), arg.text(), arg.offset(), 0)) {
            found.computeIfAbsent(value, k -> new LinkedHashSet<>())
                .add(call.source().at(arg.offset()));
          }
        }
      }
    }
  }

  private void sqlInserts(Map<String, Set<String>> found) {
    for (Path file : files("sql")) {
      if (!file.toString().contains("/src/main/resources/")) {
        continue;
      }
      String sql = read(file);
      Matcher m = SQL_INSERT.matcher(sql);
      while (m.find()) {
        List<String> columns = List.of(m.group(1).trim().split("\\s*,\\s*"));
        int index = columns.indexOf("action");
        String where = root.relativize(file) + ":" + JavaText.line(sql, m.start());
        if (index < 0) {
          throw new AssertionError(where + ": an insert into audit_log without an action column");
        }
        List<String> values = JavaText.sqlValues(sql, m.end() - 1);
        String value = values.get(index).trim();
        if (!value.matches("'[^']*'")) {
          throw new AssertionError(where + ": the action " + value + " is not a literal");
        }
        found.computeIfAbsent(value.substring(1, value.length() - 1), k -> new LinkedHashSet<>())
            .add(where);
      }
    }
  }

  /** The strings {@code expression} (at {@code offset} in {@code source}) can evaluate to. */
  private Set<String> eval(Source source, String expression, int offset, int depth) {
    String expr = JavaText.unwrap(expression.trim());
    String where = source.at(offset);
    if (depth > MAX_DEPTH) {
      throw new AssertionError(where + ": the audit action " + expr + " is passed on too deep");
    }
    int[] ternary = JavaText.ternary(expr);
    if (ternary != null) {
      Set<String> both = new LinkedHashSet<>(
          eval(source, expr.substring(ternary[0] + 1, ternary[1]), offset, depth + 1));
      both.addAll(eval(source, expr.substring(ternary[1] + 1), offset, depth + 1));
      return both;
    }
    List<String> parts = JavaText.topLevelPlus(expr);
    if (parts.size() > 1) {
      Set<String> joined = Set.of("");
      for (String part : parts) {
        Set<String> next = new LinkedHashSet<>();
        for (String head : joined) {
          for (String tail : eval(source, part, offset, depth + 1)) {
            next.add(head + tail);
          }
        }
        joined = next;
      }
      return joined;
    }
    if (expr.matches("\"(?:[^\"\\\\]|\\\\.)*\"")) {
      return Set.of(JavaText.unescape(expr.substring(1, expr.length() - 1)));
    }
    if (PASS_THROUGH.matcher(expr).matches()) {
      // The action of an entry built elsewhere (LedgerAuditActivities writes the workflow's
      // AuditRecord): that construction is a sink of its own, so nothing new is written here.
      return Set.of();
    }
    Matcher id = IDENTIFIER.matcher(expr);
    if (id.matches()) {
      return identifier(source, id.group(1), id.group(2), offset, depth);
    }
    throw new AssertionError(where + ": cannot tell which audit action `" + expr + "` writes;"
        + " write it as a string literal, a String constant or a parameter");
  }

  private Set<String> identifier(Source source, String type, String name, int offset, int depth) {
    String where = source.at(offset);
    if (type == null) {
      Method enclosing = source.enclosing(offset);
      if (enclosing != null && enclosing.params().contains(name)) {
        int index = enclosing.params().indexOf(name);
        Set<String> values = new LinkedHashSet<>();
        List<Call> calls = calls(source.module(), enclosing.name(), enclosing.params().size());
        if (calls.isEmpty()) {
          throw new AssertionError(where + ": " + enclosing.name() + "(...) writes its parameter "
              + name + " as the audit action, but nothing in module " + source.module()
              + " calls it");
        }
        for (Call call : calls) {
          Arg arg = call.args().get(index);
          values.addAll(eval(call.source(), arg.text(), arg.offset(), depth + 1));
        }
        return values;
      }
      Matcher local = Pattern.compile("\\bString\\s+" + name + "\\s*=\\s*([^;]+);")
          .matcher(source.code());
      // The last declaration of a local String of that name before the use, in the same method.
      int start = enclosing == null ? 0 : enclosing.bodyStart();
      String value = null;
      int valueOffset = -1;
      while (local.find() && local.start() < offset) {
        if (local.start() >= start) {
          value = local.group(1);
          valueOffset = local.start(1);
        }
      }
      if (value != null) {
        return eval(source, value, valueOffset, depth + 1);
      }
    }
    for (Source candidate : constantSources(source, type)) {
      Matcher constant = Pattern.compile(
          "\\bstatic\\s+final\\s+String\\s+" + name + "\\s*=\\s*([^;]+);")
          .matcher(candidate.code());
      if (constant.find()) {
        return eval(candidate, constant.group(1), constant.start(1), depth + 1);
      }
    }
    throw new AssertionError(where + ": cannot follow the audit action `"
        + (type == null ? "" : type + ".") + name + "` to a literal");
  }

  private List<Source> constantSources(Source here, String type) {
    if (type == null) {
      return List.of(here);
    }
    return sources.stream().filter(s -> s.path().endsWith("/" + type + ".java")).toList();
  }

  /** Calls of {@code name} with {@code arity} arguments in {@code module}'s main code. */
  private List<Call> calls(String module, String name, int arity) {
    List<Call> calls = new ArrayList<>();
    Pattern call = Pattern.compile("\\b" + name + "\\s*\\(");
    for (Source source : sources) {
      if (!source.module().equals(module)) {
        continue;
      }
      Matcher m = call.matcher(source.shape());
      while (m.find()) {
        int open = m.end() - 1;
        if (JavaText.isDeclaration(source.shape(), m.start(), open)) {
          continue;
        }
        List<Arg> args = source.args(open, false);
        if (args.size() == arity) {
          calls.add(new Call(source, args));
        }
      }
    }
    return calls;
  }

  private List<Path> files(String extension) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith("." + extension))
          .filter(p -> !root.relativize(p).toString().startsWith("."))
          .filter(p -> !p.toString().contains("/target/"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String module(Path file) {
    return root.relativize(file).getName(0).toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One argument of a call, and where it starts in the file. */
  record Arg(String text, int offset) {}

  private record Call(Source source, List<Arg> args) {}

  /** A method declaration: its parameter names and types, and where its body starts and ends. */
  record Method(String name, List<String> types, List<String> params, int bodyStart, int bodyEnd) {

    boolean isAbstract() {
      return bodyStart == bodyEnd;
    }
  }

  /**
   * A main source file: as written, with comments blanked ({@code code}, where literals are read)
   * and with literals blanked too ({@code shape}, where names, calls and brackets are found).
   */
  private record Source(String path, String module, String raw, String code, String shape) {

    /** The arguments of the call or declaration whose parenthesis is at {@code open}. */
    List<Arg> args(int open, boolean angles) {
      return JavaText.arguments(shape, open, angles).stream()
          .map(a -> new Arg(code.substring(a.offset(), a.offset() + a.text().length()), a.offset()))
          .toList();
    }

    String at(int offset) {
      return path + ":" + JavaText.line(raw, offset);
    }

    List<Method> methods() {
      List<Method> methods = new ArrayList<>();
      Matcher m = NAME_CALL.matcher(shape);
      while (m.find()) {
        if (KEYWORDS.contains(m.group(1))
            || !JavaText.isDeclaration(shape, m.start(), m.end() - 1)) {
          continue;
        }
        List<Arg> params;
        try {
          params = args(m.end() - 1, true);
        } catch (IllegalStateException e) {
          throw new IllegalStateException(at(m.start()) + ": " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (Arg param : params) {
          String[] words = param.text().replaceAll("@\\w+(\\([^)]*\\))?", " ")
              .replaceAll("\\bfinal\\b", " ").trim().split("\\s+");
          if (words.length >= 2) {
            names.add(words[words.length - 1]);
            types.add(String.join(" ", List.of(words).subList(0, words.length - 1)));
          }
        }
        if (names.size() != params.size()) {
          continue;
        }
        int close = JavaText.closingParen(shape, m.end() - 1);
        int brace = shape.indexOf('{', close);
        int semicolon = shape.indexOf(';', close);
        boolean abstractMethod = semicolon >= 0 && (brace < 0 || semicolon < brace);
        int end = abstractMethod ? semicolon : JavaText.closingBrace(shape, brace);
        methods.add(new Method(m.group(1), types, names, abstractMethod ? semicolon : brace, end));
      }
      return methods;
    }

    /** The innermost method whose body holds {@code offset}, or null. */
    Method enclosing(int offset) {
      Method best = null;
      for (Method method : methods()) {
        if (method.bodyStart() < offset && offset < method.bodyEnd()
            && (best == null || method.bodyStart() > best.bodyStart())) {
          best = method;
        }
      }
      return best;
    }
  }
}
