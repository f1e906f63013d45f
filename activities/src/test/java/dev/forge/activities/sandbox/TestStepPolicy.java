package dev.forge.activities.sandbox;

/** For tests of the sandbox itself: no operator policy beyond the config's own checks. */
public final class TestStepPolicy {

  /** Lets every host variable through; the policy's own tests use {@link StepPolicy#envGrants}. */
  public static final StepPolicy NONE = step -> {};

  private TestStepPolicy() {}
}
