package dev.forge.spec.config;

import dev.forge.spec.Refusal;
import dev.forge.spec.InvalidSpecException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every error found in one config, so that the author sees all of them at once.
 *
 * <p>Fields found to hold a literal secret are remembered: no other error is reported for them,
 * because any other message might repeat the value. Secret errors come after the others.
 */
final class Issues {

  static final int MAX_ERRORS = 100;

  private final List<Refusal> errors = new ArrayList<>();
  private final List<Refusal> secrets = new ArrayList<>();
  private final Set<String> secretFields = new HashSet<>();
  private final Set<String> seen = new HashSet<>();
  private int dropped;

  void add(String field, String rule, String message) {
    if (secretFields.contains(field) || !seen.add(field + '\u0000' + rule)) {
      return;
    }
    if (errors.size() + secrets.size() >= MAX_ERRORS) {
      dropped++;
      return;
    }
    errors.add(new Refusal(field, rule, message));
  }

  void add(Refusal refusal) {
    add(refusal.field(), refusal.rule(), refusal.detail());
  }

  /** Reports a literal secret in {@code field}, without its value. */
  void secret(String field) {
    if (!secretFields.add(field)) {
      return;
    }
    if (errors.size() + secrets.size() >= MAX_ERRORS) {
      dropped++;
      return;
    }
    secrets.add(new Refusal(field, "secret", field + " looks like a literal secret; put it in a"
        + " host environment variable and name that variable under credentials.env"));
  }

  boolean isSecret(String field) {
    return secretFields.contains(field);
  }

  /** How many issues were reported so far, dropped ones included. */
  int count() {
    return errors.size() + secrets.size() + dropped;
  }

  boolean isEmpty() {
    return errors.isEmpty() && secrets.isEmpty();
  }

  void throwIfAny() {
    if (isEmpty()) {
      return;
    }
    List<Refusal> all = new ArrayList<>(errors);
    all.addAll(secrets);
    if (dropped > 0) {
      all.add(new Refusal(Paths.DOCUMENT, "range", "has " + dropped + " more errors than the "
          + MAX_ERRORS + " listed; fix these and validate again"));
    }
    throw new InvalidSpecException(all);
  }
}
