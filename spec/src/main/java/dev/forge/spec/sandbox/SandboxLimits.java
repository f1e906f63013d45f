package dev.forge.spec.sandbox;

/**
 * Resource limits of one sandbox container.
 *
 * @param memoryBytes memory limit; swap is set to the same value, so the container cannot swap
 * @param nanoCpus CPU quota in billionths of a CPU
 * @param pids maximum number of processes and threads; reaching it stops the step ({@link
 *     SandboxOutcome#PIDS_EXHAUSTED})
 * @param timeoutSeconds wall-clock limit of one step; the container is killed when it is reached
 * @param tmpfsBytes size of the writable {@code /tmp}
 * @param outputBytes how much stdout and stderr a step may print; more stops the step ({@link
 *     SandboxOutcome#OUTPUT_TRUNCATED}), and only head and tail are kept
 * @param diskBytes size of the file system that holds the loop's work tree (and so every writable
 *     mount); filling it stops the step ({@link SandboxOutcome#QUOTA_EXCEEDED}). 0 in histories
 *     recorded before quotas existed: no quota
 */
public record SandboxLimits(
    long memoryBytes,
    long nanoCpus,
    long pids,
    long timeoutSeconds,
    long tmpfsBytes,
    long outputBytes,
    long diskBytes) {}
