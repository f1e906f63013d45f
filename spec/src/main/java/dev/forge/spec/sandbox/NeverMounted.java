package dev.forge.spec.sandbox;

import java.util.List;
import java.util.Set;

/**
 * What no sandbox is ever given, whatever its config says: the one list the API checks when a loop
 * starts and the sandbox activity checks again before every step.
 */
public final class NeverMounted {

  /** Paths in the worker user's home that hold credentials. */
  public static final List<String> HOME_SECRETS =
      List.of(".ssh", ".aws", ".gitconfig", ".git-credentials", ".npm", ".npmrc", ".docker",
          ".kube", ".gnupg", ".netrc", ".config/gcloud");

  /** The Docker engine's socket: whoever reaches it controls the host. */
  public static final List<String> DOCKER_SOCKETS =
      List.of("/var/run/docker.sock", "/run/docker.sock");

  /** Names of credentials and of the Docker socket: never a mount source, wherever they are. */
  public static final Set<String> CREDENTIAL_NAMES = Set.of(".ssh", ".aws", ".gnupg", ".docker",
      ".kube", ".npmrc", ".netrc", ".gitconfig", "docker.sock");

  /** Where the repository is mounted in every sandbox. */
  public static final String WORKSPACE = "/workspace";

  /** The repository's git metadata, mounted read-only by Forge: no mount may cover it. */
  public static final String GIT_METADATA = WORKSPACE + "/.git";

  /** The kernel's file systems: no mount may cover them, nor anything below them. */
  public static final List<String> KERNEL_TARGETS = List.of("/proc", "/sys", "/dev");

  /** Forge's own mount points: no mount may cover them (mounts below them are fine). */
  public static final List<String> RESERVED_TARGETS = List.of("/tmp", WORKSPACE);

  /** The most extra mounts one sandbox may have. */
  public static final int MAX_MOUNTS = 32;

  private NeverMounted() {}
}
