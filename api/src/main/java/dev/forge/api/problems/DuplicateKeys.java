package dev.forge.api.problems;

import java.util.Optional;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.StreamReadFeature;

/**
 * A JSON object that names a key twice is refused (the first and the second value would mean
 * different things to different readers). Jackson's own strict duplicate detection, switched on
 * for the mapper every JSON body is read with ({@link #strict}), finds it; {@link #in} turns its
 * failure into a field error that names the key's path, without Jackson's words.
 */
public final class DuplicateKeys {

  /** Jackson's message for a duplicate, followed by the key in quotes; it has no type of its own. */
  private static final String DUPLICATE = "Duplicate Object property \"";

  private DuplicateKeys() {}

  /** The builder with strict duplicate detection on. */
  public static <B extends tools.jackson.databind.cfg.MapperBuilder<?, ?>> B strict(B builder) {
    builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    return builder;
  }

  /** The duplicate key a read failed on, as a {@code duplicate} field error; empty for any other failure. */
  public static Optional<FieldError> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StreamReadException read && read.getOriginalMessage() != null
          && read.getOriginalMessage().startsWith(DUPLICATE)
          && read.processor() != null) {
        String path = path(read.processor().streamReadContext());
        return Optional.of(new FieldError(path, "duplicate",
            "is given more than once in the same JSON object; give each key once"));
      }
    }
    return Optional.empty();
  }

  /** The dotted path of the context's current key, e.g. {@code config.loop.max_iterations}. */
  private static String path(TokenStreamContext context) {
    java.util.Deque<TokenStreamContext> outward = new java.util.ArrayDeque<>();
    for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      outward.push(c);
    }
    StringBuilder path = new StringBuilder();
    for (TokenStreamContext c : outward) {
      if (c.inArray()) {
        path.append('[').append(Math.max(0, c.getCurrentIndex())).append(']');
      } else if (c.currentName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(c.currentName());
      }
    }
    return path.isEmpty() ? "body" : path.toString();
  }
}
