package dev.forge.workflows.sandbox;

import java.util.List;

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

  private NeverMounted() {}
}
