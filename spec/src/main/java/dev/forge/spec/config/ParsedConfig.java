package dev.forge.spec.config;

import dev.forge.spec.loop.LoopConfig;
import java.util.Objects;

/**
 * A forge.yml that passed every rule.
 *
 * @param config what the loop workflow runs. Its sandbox mounts are checked only for shape
 *     (relative source without {@code ..}, not {@code .git}, no credential names; absolute,
 *     unreserved and distinct targets): the caller must still resolve each source against the
 *     repository and refuse one that leaves it, or reaches its {@code .git}, after symlinks
 *     are resolved.
 * @param promptFile the repository-relative path of the prompt file, or {@code null} when the
 *     config names none. Checked only for shape (relative, no {@code ..}, no backslash, no NUL, at
 *     most 255 characters): the caller resolves it against the repository and must still refuse a
 *     path that leaves the repository after symlinks are resolved.
 * @param mode {@code afk} or {@code hitl}; both run sandboxed
 */
public record ParsedConfig(LoopConfig config, String promptFile, String mode) {

  public ParsedConfig {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(mode, "mode");
  }
}
