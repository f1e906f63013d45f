package dev.forge.activities.workspace;

import dev.forge.activities.SandboxUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the git workspace activities.
 *
 * @param worktreesRoot absolute directory under which each loop's work tree is created as {@code
 *     <worktreesRoot>/<loopId>}, the disk images of work trees with a quota as {@code
 *     <worktreesRoot>/.quota/<loopId>.img}; must lie outside every repository Forge works on
 * @param sandboxUser who the sandbox runs as, and so who must own the work tree
 * @param gitTimeout how long one git invocation may run before it is killed; default 2 minutes
 * @param gitExecutable the git program, a name looked up on Forge's PATH or an absolute path;
 *     default {@code git}
 * @param diskQuota whether the disk quotas loops ask for are enforced; default {@link
 *     DiskQuotaMode#ENFORCE}
 */
public record WorkspaceSettings(
    Path worktreesRoot,
    SandboxUser sandboxUser,
    Duration gitTimeout,
    String gitExecutable,
    DiskQuotaMode diskQuota) {

  public static final Duration DEFAULT_GIT_TIMEOUT = Duration.ofMinutes(2);
  public static final String DEFAULT_GIT_EXECUTABLE = "git";

  public WorkspaceSettings {
    Objects.requireNonNull(worktreesRoot, "worktreesRoot");
    Objects.requireNonNull(sandboxUser, "sandboxUser");
    if (!worktreesRoot.isAbsolute()) {
      throw new IllegalArgumentException(
          "worktreesRoot must be an absolute path, got " + worktreesRoot);
    }
    gitTimeout = gitTimeout == null ? DEFAULT_GIT_TIMEOUT : gitTimeout;
    if (gitTimeout.isNegative() || gitTimeout.isZero()) {
      throw new IllegalArgumentException("gitTimeout must be positive, got " + gitTimeout);
    }
    gitExecutable =
        gitExecutable == null || gitExecutable.isBlank() ? DEFAULT_GIT_EXECUTABLE : gitExecutable;
    diskQuota = diskQuota == null ? DiskQuotaMode.ENFORCE : diskQuota;
  }

  /** Settings that enforce disk quotas. */
  public WorkspaceSettings(
      Path worktreesRoot, SandboxUser sandboxUser, Duration gitTimeout, String gitExecutable) {
    this(worktreesRoot, sandboxUser, gitTimeout, gitExecutable, null);
  }

  /** Settings with the default timeout and executable, enforcing disk quotas. */
  public WorkspaceSettings(Path worktreesRoot, SandboxUser sandboxUser) {
    this(worktreesRoot, sandboxUser, null, null, null);
  }
}
