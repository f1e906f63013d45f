package dev.forge.activities.sandbox;

import dev.forge.spec.sandbox.NeverMounted;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.BindOptions;
import com.github.dockerjava.api.model.BindPropagation;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Ulimit;
import dev.forge.activities.SandboxUser;
import dev.forge.activities.sandbox.docker.DockerObjects;
import dev.forge.activities.sandbox.docker.SandboxLabels;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.workflows.sandbox.SandboxStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates a step's locked-down container and gets rid of it (and of earlier attempts' ones). */
final class SandboxContainers {

  static final String WORKDIR = NeverMounted.WORKSPACE;
  static final String GIT_METADATA = NeverMounted.GIT_METADATA;

  private static final Logger log = LoggerFactory.getLogger(SandboxContainers.class);

  private final DockerClient docker;
  private final SandboxUser user;

  SandboxContainers(DockerClient docker, SandboxUser user) {
    this.docker = docker;
    this.user = user;
  }

  /**
   * Removes containers an earlier attempt of the same step left behind (a worker that crashed
   * mid-step leaves its container running). Returns how many were removed.
   */
  int removeLeftovers(SandboxStep step) {
    List<Container> leftovers =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(SandboxLabels.forStep(step))
            .exec();
    for (Container leftover : leftovers) {
      log.warn(
          "removing container {} left by an earlier attempt of loop {} iteration {} step {}",
          leftover.getId(),
          step.loopId(),
          step.iteration(),
          step.step());
      destroy(leftover.getId());
    }
    return leftovers.size();
  }

  /**
   * Creates (does not start) the container; returns its id. Its entrypoint is the {@link
   * Preflight} check, which execs the step's argument list as given (no image entrypoint or shell
   * in front of it) only when the container turned out as locked down as asked.
   */
  String create(PreparedStep prepared, String runId, SandboxNetwork network) {
    SandboxStep step = prepared.step();
    List<String> env = new ArrayList<>(prepared.env());
    env.addAll(network.proxyEnv());
    return docker
        .createContainerCmd(step.sandbox().image())
        .withName(SandboxLabels.containerName(step))
        .withLabels(SandboxLabels.forContainer(step, runId))
        .withUser(user.dockerUser())
        .withWorkingDir(WORKDIR)
        .withEnv(env)
        .withEntrypoint(Preflight.entrypoint(step, network.proxy()))
        .withCmd(List.of())
        .withTty(false)
        .withStdinOpen(false)
        .withHostConfig(hostConfig(prepared, network))
        .exec()
        .getId();
  }

  static HostConfig hostConfig(PreparedStep prepared, SandboxNetwork network) {
    SandboxLimits limits = prepared.step().sandbox().limits();
    List<Mount> mounts = new ArrayList<>();
    mounts.add(bind(prepared.workspace().toString(), WORKDIR, false));
    // Docker mounts parents first, so this lands on top of the read-write work tree.
    prepared.gitMetadata().ifPresent(git -> mounts.add(bind(git.toString(), GIT_METADATA, true)));
    for (MountResolver.Resolved mount : prepared.mounts()) {
      mounts.add(bind(mount.source().toString(), mount.target(), mount.readOnly()));
    }
    HostConfig host = HostConfig.newHostConfig()
        .withReadonlyRootfs(true)
        .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=" + limits.tmpfsBytes()))
        .withCapDrop(Capability.ALL)
        // Docker's default seccomp profile applies: Forge never sets seccomp=unconfined.
        .withSecurityOpts(List.of("no-new-privileges"))
        .withMemory(limits.memoryBytes())
        .withMemorySwap(limits.memoryBytes())
        .withNanoCPUs(limits.nanoCpus())
        .withPidsLimit(limits.pids())
        .withPrivileged(false)
        .withDevices(List.of())
        .withIpcMode("private")
        .withMounts(mounts)
        // Output is streamed to Forge; a log driver would also write all of it to the host's disk.
        .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))
        .withRestartPolicy(RestartPolicy.noRestart())
        .withUlimits(List.of(new Ulimit("core", 0L, 0L)))
        .withAutoRemove(false);
    network.apply(host);
    String runtime = prepared.step().sandbox().runtime();
    return runtime == null ? host : host.withRuntime(runtime);
  }

  /**
   * Structured mounts rather than {@code src:dst:mode} strings: no path can smuggle in options,
   * and a missing source is an error instead of a directory Docker creates as root.
   */
  private static Mount bind(String source, String target, boolean readOnly) {
    return new Mount()
        .withType(MountType.BIND)
        .withSource(source)
        .withTarget(target)
        .withReadOnly(readOnly)
        .withBindOptions(new BindOptions().withPropagation(BindPropagation.R_PRIVATE));
  }

  /** Kills (if running) and removes the container; a container that is already gone is fine. */
  void destroy(String containerId) {
    destroy(docker, containerId);
  }

  static void destroy(DockerClient docker, String containerId) {
    DockerObjects.destroyContainer(docker, containerId);
  }

}
