package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md names the test that tries each thing Forge prevents; this keeps every name true. A
 * {@code `FooTest`} or {@code `FooIT`} must be a test class of some module, a {@code
 * `FooTest.method`} a method of it, and a bare {@code `shouldDoSomething`} after a class a method
 * of a test class. A test renamed, moved or deleted without its claim fails here, naming it.
 */
class SecurityClaimsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");
  private static final Pattern CLASS = Pattern.compile("([A-Z]\\w*(?:Test|IT))(?:\\.(\\w+))?");
  /** A method name as SECURITY.md writes one alone: lower camel case, long enough to be one. */
  private static final Pattern METHOD = Pattern.compile("[a-z]+[A-Z]\\w{8,}");

  @Test
  void shouldNameOnlyTestsAndTestMethodsThatExist() throws IOException {
    Map<String, String> testClasses = testClasses();
    String security = Files.readString(ROOT.resolve("SECURITY.md"), StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    int classes = 0;
    int methods = 0;
    Matcher code = CODE.matcher(security);
    while (code.find()) {
      String name = code.group(1);
      Matcher cls = CLASS.matcher(name);
      if (cls.matches()) {
        classes++;
        String source = testClasses.get(cls.group(1));
        if (source == null) {
          missing.add(name + " (no such test class)");
        } else if (cls.group(2) != null) {
          methods++;
          if (!declares(source, cls.group(2))) {
            missing.add(name + " (no such method in " + cls.group(1) + ")");
          }
        }
      } else if (METHOD.matcher(name).matches()) {
        methods++;
        if (testClasses.values().stream().noneMatch(source -> declares(source, name))) {
          missing.add(name + " (no test method of that name)");
        }
      }
    }
    assertThat(classes).as("test classes named in SECURITY.md").isGreaterThan(100);
    assertThat(methods).as("test methods named in SECURITY.md").isGreaterThan(100);
    assertThat(missing).as("tests SECURITY.md names that do not exist").isEmpty();
  }

  private static boolean declares(String source, String member) {
    return Pattern.compile("\\b" + Pattern.quote(member) + "\\s*(\\(|=)").matcher(source).find();
  }

  private static Map<String, String> testClasses() throws IOException {
    Map<String, String> classes = new HashMap<>();
    List<Path> testRoots;
    try (Stream<Path> modules = Files.list(ROOT)) {
      testRoots = modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory).toList();
    }
    for (Path testRoot : testRoots) {
      try (Stream<Path> files = Files.walk(testRoot)) {
        files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
            try {
              String name = p.getFileName().toString().replace(".java", "");
              classes.merge(name, Files.readString(p, StandardCharsets.UTF_8), String::concat);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      }
    }
    return classes;
  }
}
