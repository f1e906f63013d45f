package dev.forge.spec.loop;

import java.util.Random;
import java.util.regex.Pattern;

/**
 * The grammar of loop ids, in one place.
 *
 * <p>Forge issues ids of one form ({@link #ISSUED}: {@code loop-} and ten random lower-case letters
 * and digits); the API refuses anything else as not found before it reaches Temporal. Every issued
 * id is also {@linkplain #isSafe safe} to become a branch name, a directory name and part of git's
 * worktree bookkeeping, the only thing the activities need (a workflow started straight through
 * Temporal, as the tests do, may carry any safe id): it cannot start with {@code -}, hold a path
 * separator or a dot.
 */
public final class LoopId {

  /** The ids the API issues and accepts, as a regular expression. */
  public static final String ISSUED_REGEX = "loop-[a-z0-9]{10}";

  private static final Pattern ISSUED = Pattern.compile(ISSUED_REGEX);
  private static final Pattern SAFE = Pattern.compile("[a-z0-9][a-z0-9-]{2,62}");
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private LoopId() {}

  /** A new id of the issued form, drawn from {@code random} (a {@code SecureRandom} in the API). */
  public static String next(Random random) {
    StringBuilder id = new StringBuilder("loop-");
    for (int i = 0; i < 10; i++) {
      id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return id.toString();
  }

  /** Whether {@code id} has the form the API issues. */
  public static boolean isIssued(String id) {
    return id != null && ISSUED.matcher(id).matches();
  }

  /** Whether {@code id} may name a branch and a directory: 3 to 63 of a-z, 0-9 and '-'. */
  public static boolean isSafe(String id) {
    return id != null && SAFE.matcher(id).matches();
  }

  /** What a safe id looks like, for a message. */
  public static String safeForm() {
    return "3 to 63 characters from a-z, 0-9 and '-', starting with a letter or digit";
  }
}
