package dev.forge.spec.config;

import dev.forge.spec.SecretDetector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks at every string in the config tree (values and keys, known fields or not) for a literal
 * secret. In a list it also reads each item with the one before it, so {@code ["tool",
 * "--api-key", "<token>"]} is caught although neither item is suspicious alone.
 *
 * <p>The walk is bounded: a collection reached twice (a YAML alias, or a cycle) is read once, depth
 * is capped, and a string met many times is judged once.
 */
final class SecretScan {

  static final int MAX_DEPTH = 32;

  private final Issues issues;
  private final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<String, Boolean> verdicts = new HashMap<>();

  SecretScan(Issues issues) {
    this.issues = issues;
  }

  void scan(Object root) {
    walk(root, "", 0);
  }

  private void walk(Object value, String path, int depth) {
    if (value instanceof String text) {
      if (looksLikeSecret(text)) {
        issues.secret(path.isEmpty() ? Paths.DOCUMENT : path);
      }
      return;
    }
    if (!(value instanceof Map) && !(value instanceof Collection)) {
      return;
    }
    if (depth >= MAX_DEPTH) {
      issues.add(path, "range", "is nested more than " + MAX_DEPTH + " levels deep");
      return;
    }
    if (!visited.add(value)) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String entryPath = Paths.key(path, entry.getKey());
        if (entry.getKey() instanceof String key && looksLikeSecret(key)) {
          issues.secret(entryPath);
        }
        walk(entry.getValue(), entryPath, depth + 1);
      }
    } else {
      List<?> list = value instanceof List<?> l ? l : new ArrayList<>((Collection<?>) value);
      for (int i = 0; i < list.size(); i++) {
        String itemPath = Paths.index(path, i);
        Object item = list.get(i);
        if (i > 0 && item instanceof String text && list.get(i - 1) instanceof String previous
            && SecretDetector.isSecretFlag(previous) && SecretDetector.looksLikeToken(text)) {
          issues.secret(itemPath);
        } else {
          walk(item, itemPath, depth + 1);
        }
      }
    }
  }

  private boolean looksLikeSecret(String text) {
    return verdicts.computeIfAbsent(text, SecretDetector::looksLikeSecret);
  }
}
