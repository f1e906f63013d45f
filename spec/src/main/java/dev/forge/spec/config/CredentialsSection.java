package dev.forge.spec.config;

import dev.forge.spec.Shown;
import dev.forge.spec.policy.EnvPolicy;
import dev.forge.spec.SecretDetector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code credentials.env}: which host environment variables a sandbox receives, and under
 * which names. Only names are written here; a value that is not a variable name is never repeated in
 * an error, because it may be the secret itself.
 */
final class CredentialsSection {

  static final int MAX_ENTRIES = 32;
  static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");
  /** Sandbox variables Forge or the dynamic linker depend on; {@code LD_*} and {@code FORGE_*} too. */
  private static final Set<String> RESERVED =
      Set.of("HOME", "PATH", "USER", "HOSTNAME", "LD_PRELOAD", "LD_LIBRARY_PATH");
  private static final String EXAMPLE = "{ANTHROPIC_API_KEY: ANTHROPIC_API_KEY}";

  private CredentialsSection() {}

  static Map<String, String> read(Issues issues, Section root) {
    Section credentials = Section.read(issues, root.path("credentials"), root.get("credentials"),
        List.of("env"), Map.of());
    String path = credentials.path("env");
    Object value = credentials.get("env");
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> env)) {
      issues.add(path, "type", "must be a mapping of sandbox variable name to host variable name,"
          + " e.g. " + EXAMPLE + ", got " + Shown.kind(value));
      return null;
    }
    if (env.size() > MAX_ENTRIES) {
      issues.add(path, "range", "must have at most " + MAX_ENTRIES + " entries, got " + env.size());
      return null;
    }
    Map<String, String> names = new LinkedHashMap<>();
    boolean valid = true;
    for (Map.Entry<?, ?> entry : env.entrySet()) {
      String field = Paths.key(path, entry.getKey());
      String sandboxName = sandboxName(issues, field, entry.getKey());
      String hostName = hostName(issues, field, entry.getValue());
      valid &= sandboxName != null && hostName != null;
      if (sandboxName != null && hostName != null) {
        names.put(sandboxName, hostName);
      }
    }
    return valid ? names : null;
  }

  private static String sandboxName(Issues issues, String field, Object key) {
    if (!(key instanceof String name)) {
      issues.add(field, "type", "sandbox variable names must be strings, got "
          + Shown.kindAndValue(key));
      return null;
    }
    if (!NAME.matcher(name).matches()) {
      issues.add(field, "format", "sandbox variable names must match [A-Z_][A-Z0-9_]{0,127}, got "
          + Shown.value(name));
      return null;
    }
    if (RESERVED.contains(name) || name.startsWith("LD_") || name.startsWith("FORGE_")) {
      issues.add(field, "reserved", name + " is set by Forge or the system and may not be"
          + " overridden (reserved: HOME, PATH, USER, HOSTNAME, LD_*, FORGE_*); choose another name");
      return null;
    }
    return name;
  }

  /** A host variable's name, or {@code null} after reporting why {@code value} is not one. */
  static String hostName(Issues issues, String field, Object value) {
    if (issues.isSecret(field)) {
      return null;
    }
    if (!(value instanceof String name)) {
      issues.add(field, "type", "must name a host environment variable, e.g. ANTHROPIC_API_KEY, got "
          + Shown.kind(value));
      return null;
    }
    if (!NAME.matcher(name).matches()) {
      if (SecretDetector.looksLikeSecret(name) || SecretDetector.looksLikeToken(name)) {
        issues.secret(field);
      } else {
        issues.add(field, "format", "must name a host environment variable, e.g. ANTHROPIC_API_KEY,"
            + " never hold its value");
      }
      return null;
    }
    if (EnvPolicy.isForgeSetting(name)) {
      issues.add(field, "reserved", "FORGE_* host variables hold Forge's own settings and never"
          + " enter a sandbox; name another host variable");
      return null;
    }
    return name;
  }
}
