package dev.forge.activities;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The uid:gid sandbox containers run as, and that owns a loop's work tree so the sandbox can write
 * it. When Forge runs as root the sandbox user is 1000:1000 and Forge hands the work tree to it;
 * otherwise the sandbox runs as Forge's own (non-root) user, which already owns the files.
 *
 * @param uid never 0
 * @param gid never 0
 * @param forgeIsRoot whether Forge itself runs as root (and so must hand files over)
 */
public record SandboxUser(int uid, int gid, boolean forgeIsRoot) {

  public static final int DEFAULT_ID = 1000;

  public SandboxUser {
    if (uid == 0 || gid == 0) {
      throw new IllegalArgumentException("the sandbox user must not be root (uid and gid must not be 0)");
    }
  }

  /** Decides from the uid and gid this process runs as. */
  public static SandboxUser detect() {
    try {
      int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
      if (uid == 0) {
        return new SandboxUser(DEFAULT_ID, DEFAULT_ID, true);
      }
      return new SandboxUser(uid, gid == 0 ? DEFAULT_ID : gid, false);
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalStateException("cannot tell which user Forge runs as (needs Linux /proc)", e);
    }
  }

  /** The {@code uid:gid} form Docker expects. */
  public String dockerUser() {
    return uid + ":" + gid;
  }
}
