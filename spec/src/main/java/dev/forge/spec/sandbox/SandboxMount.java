package dev.forge.spec.sandbox;

/**
 * A part of the loop's work tree mounted at a second place, or read-only over itself.
 *
 * @param source a path relative to the work tree (no {@code ..}, not absolute); the sandbox
 *     activity resolves it, symlinks included, and refuses anything that leaves the work tree
 * @param target the absolute path inside the container
 * @param readOnly whether the sandbox may write through this mount
 */
public record SandboxMount(String source, String target, boolean readOnly) {}
