package dev.forge.workflows.sandbox;

/**
 * Resource limits of one sandbox container.
 *
 * @param memoryBytes memory limit; swap is set to the same value, so the container cannot swap
 * @param nanoCpus CPU quota in billionths of a CPU
 * @param pids maximum number of processes and threads
 * @param timeoutSeconds wall-clock limit of one step; the container is killed when it is reached
 * @param tmpfsBytes size of the writable {@code /tmp}
 * @param outputBytes how much of stdout and stderr is kept (head and tail)
 */
public record SandboxLimits(
    long memoryBytes,
    long nanoCpus,
    long pids,
    long timeoutSeconds,
    long tmpfsBytes,
    long outputBytes) {}
