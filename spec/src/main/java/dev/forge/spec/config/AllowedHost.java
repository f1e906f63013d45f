package dev.forge.spec.config;

import dev.forge.spec.RuleException;
import dev.forge.spec.sandbox.Destination;

/** Reads one entry of {@code sandbox.network.allowed} with {@link Destination}'s grammar. */
final class AllowedHost {

  private AllowedHost() {}

  /** The entry as {@code host:port}, host in lower case; or null, with the problem reported. */
  static String check(Issues issues, String path, Object value) {
    if (value != null && !(value instanceof String)) {
      Values.string(issues, path, value);
      return null;
    }
    try {
      return Destination.parse((String) value).entry();
    } catch (RuleException e) {
      issues.add(e.at(path));
      return null;
    }
  }
}
