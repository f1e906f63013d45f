package dev.forge.activities.workspace;

/**
 * Whether Forge enforces the disk quota a loop asks for ({@code forge.worker.disk-quota}).
 *
 * <p>{@link #ENFORCE}, the default, puts each work tree with a quota on a file system of its own,
 * so the sandbox cannot fill the host's disk; a worker that cannot do that (not root, no loop
 * devices, no {@code mkfs.ext4}) refuses to prepare such a loop. {@link #OFF} runs every loop
 * without a quota, which is weaker: a sandbox can then fill the disk that holds the work trees.
 */
public enum DiskQuotaMode {
  ENFORCE,
  OFF
}
