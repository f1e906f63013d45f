package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFailures.configError;
import static dev.forge.activities.sandbox.SandboxFailures.policyViolation;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.forge.spec.RuleException;
import dev.forge.spec.Shown;
import dev.forge.spec.sandbox.Destination;
import dev.forge.spec.sandbox.ImageReference;
import dev.forge.spec.sandbox.NetworkRules;
import dev.forge.spec.sandbox.NeverMounted;
import dev.forge.spec.sandbox.SandboxConfig;
import dev.forge.spec.sandbox.SandboxLimitRules;
import dev.forge.spec.sandbox.SandboxLimits;
import dev.forge.workflows.sandbox.SandboxStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Checks a step before anything is created and resolves what the container needs. Every failure
 * is a non-retryable {@code ApplicationFailure} whose message names what is wrong and what to do;
 * messages name variables, never their values.
 */
final class StepValidator {

  private static final List<Path> NEVER_MOUNTED =
      NeverMounted.DOCKER_SOCKETS.stream().map(Path::of).toList();

  private final DockerClient docker;
  private final Function<String, String> hostEnv;
  private final StepPolicy policy;
  private final MountResolver mounts =
      new MountResolver(Path.of(System.getProperty("user.home", "/root")));

  private final boolean modelGateway;

  StepValidator(DockerClient docker, Function<String, String> hostEnv, StepPolicy policy) {
    this(docker, hostEnv, policy, false);
  }

  /** @param modelGateway whether this worker runs the model gateway steps with a model need */
  StepValidator(DockerClient docker, Function<String, String> hostEnv, StepPolicy policy,
      boolean modelGateway) {
    this.docker = docker;
    this.hostEnv = hostEnv;
    this.policy = policy;
    this.modelGateway = modelGateway;
  }

  PreparedStep prepare(SandboxStep step) {
    checkShape(step);
    if (step.model() != null && !modelGateway) {
      // A step with a model must never run on a proxy network with no gateway behind it.
      throw configError("step " + step.step() + " asks for a model through Forge's model gateway,"
          + " which this worker does not run (forge.worker.gateway.enabled is false)");
    }
    SandboxConfig sandbox = step.sandbox();
    checkLimits(sandbox.limits());
    checkImageIsPinned(sandbox.image());
    Path workspace = workspace(step.workspace());
    Optional<Path> gitMetadata = gitMetadata(workspace);
    List<MountResolver.Resolved> resolvedMounts = mounts.resolve(workspace, sandbox.mounts());
    // Before any host variable is read: one the operator does not grant is never even looked up.
    policy.check(step);
    SandboxEnvironment env = SandboxEnvironment.resolve(step, hostEnv);
    if (!env.secrets().isEmpty() && SecretLogGuard.dockerRequestsAreLogged()) {
      throw configError(
          "refusing to pass credentials to the sandbox while DEBUG logging is on for "
              + SecretLogGuard.describe()
              + ": those loggers print Docker requests, environment included; set them to INFO");
    }
    checkImageExistsLocally(sandbox.image());
    checkRuntimeIsKnown(sandbox.runtime());
    List<String> secrets = new ArrayList<>(env.secrets());
    if (step.model() != null) {
      // The key stays on the worker; should it show up in the output anyway, it is masked.
      String key = hostEnv.apply(step.model().credential());
      if (key == null || key.isBlank()) {
        throw configError("the host variable " + step.model().credential() + " that"
            + " loop.agent.model.credential names is not set on the worker");
      }
      secrets.add(key);
    }
    return new PreparedStep(
        step, workspace, gitMetadata, resolvedMounts, env.entries(), new Redactor(secrets));
  }

  /** The fields that label the step's container; checked before any container is looked up. */
  static void checkIdentity(SandboxStep step) {
    if (isBlank(step.loopId()) || isBlank(step.step()) || step.iteration() < 0) {
      throw configError("a sandbox step needs a loop id, a step name and an iteration >= 0");
    }
  }

  private static void checkShape(SandboxStep step) {
    checkIdentity(step);
    if (step.command().isEmpty() || isBlank(step.command().get(0))) {
      throw configError("step " + step.step() + " has no command");
    }
    if (step.command().stream().anyMatch(arg -> arg == null || arg.indexOf('\0') >= 0)) {
      throw configError("step " + step.step() + " has a null argument or one containing NUL");
    }
    if (step.completionPromise() != null && step.completionPromise().isBlank()) {
      throw configError("the completion promise must not be blank; leave it unset instead");
    }
    SandboxConfig sandbox = step.sandbox();
    if (sandbox == null || sandbox.limits() == null || isBlank(sandbox.image())) {
      throw configError("step " + step.step() + " has no sandbox image or limits");
    }
    try {
      NetworkRules.checkAllowlistFits(sandbox.network(), sandbox.allowedHosts().size());
      // The proxy's config is generated from these; anything but host:port never gets that far.
      sandbox.allowedHosts().forEach(Destination::parseNormalised);
    } catch (RuleException e) {
      throw configError("the network allowlist is not valid: sandbox.network.allowed "
          + e.detail());
    }
  }

  private static void checkLimits(SandboxLimits limits) {
    try {
      SandboxLimitRules.check(limits);
    } catch (RuleException e) {
      throw configError(e.detail());
    }
  }

  private static void checkImageIsPinned(String image) {
    try {
      ImageReference.check(image);
    } catch (RuleException e) {
      throw policyViolation("image " + Shown.value(image) + " is not pinned or not valid: "
          + e.detail());
    }
  }

  private static Path workspace(String text) {
    Path path;
    try {
      path = text == null ? null : Path.of(text);
    } catch (InvalidPathException e) {
      path = null;
    }
    if (path == null || !path.isAbsolute() || !Files.isDirectory(path)) {
      throw configError(
          "work tree " + text + " does not exist or is not a directory (an absolute path is needed)");
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      throw configError("work tree " + text + " cannot be resolved: " + e.getMessage());
    }
    Path home = Path.of(System.getProperty("user.home", "/root"));
    for (Path forbidden : withHome(home)) {
      if (forbidden.startsWith(real)) {
        throw policyViolation(
            "work tree " + real + " would expose " + forbidden + " to the sandbox; use a project"
                + " directory");
      }
    }
    return real;
  }

  private static List<Path> withHome(Path home) {
    List<Path> all = new ArrayList<>(NEVER_MOUNTED);
    all.add(home);
    return all;
  }

  private static Optional<Path> gitMetadata(Path workspace) {
    Path git = workspace.resolve(".git");
    if (Files.isSymbolicLink(git)) {
      throw policyViolation(
          git + " is a symbolic link; Forge mounts .git read-only and will not follow a link");
    }
    if (!Files.exists(git, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(git, LinkOption.NOFOLLOW_LINKS)
        && !Files.isDirectory(git, LinkOption.NOFOLLOW_LINKS)) {
      throw policyViolation(git + " is neither a file nor a directory");
    }
    return Optional.of(git);
  }

  private void checkImageExistsLocally(String image) {
    try {
      docker.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw configError("image " + image + " not found locally; build it with ./forge images");
    }
  }

  /** A runtime the engine does not know would fail at start; say so before anything is made. */
  private void checkRuntimeIsKnown(String runtime) {
    if (runtime == null) {
      return;
    }
    Map<String, ?> known = docker.infoCmd().exec().getRuntimes();
    if (known == null || !known.containsKey(runtime)) {
      throw configError("container runtime " + runtime + " is not configured in Docker (it knows "
          + (known == null ? "none" : String.join(", ", new TreeSet<>(known.keySet())))
          + "); install it and add it to the daemon's runtimes, or remove sandbox.runtime");
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
