package dev.forge.workflows.sandbox;

/** How a sandbox reaches the network. */
public enum NetworkMode {
  /** No network interface but loopback. */
  NONE
}
