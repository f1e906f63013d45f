package dev.forge.workflows.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a refusal crosses from an update validator to the client, with the SDK version in use. */
class UpdateRefusedTest {

  private static final String QUEUE = "update-refused-test";

  private TestWorkflowEnvironment env;
  private Refusing stub;

  /** A workflow whose validator refuses every update with what the update names. */
  @WorkflowInterface
  public interface Refusing {
    @WorkflowMethod
    void run();

    @UpdateMethod
    void change(String how);

    @UpdateValidatorMethod(updateName = "change")
    void validateChange(String how);
  }

  public static class RefusingImpl implements Refusing {
    @Override
    public void run() {
      Workflow.await(() -> false);
    }

    @Override
    public void change(String how) {}

    @Override
    public void validateChange(String how) {
      switch (how) {
        case "forbidden" -> throw new UpdateRefused.Forbidden("'eve' started this loop");
        case "conflict" -> throw new UpdateRefused.Conflict("no gate (of this loop): is waiting");
        case "invalid" -> throw new UpdateRefused.Invalid("checkpointSha", "required",
            "an approval must name (the checkpoint): it approves");
        default -> throw ApplicationFailure.newNonRetryableFailure("refused", "Refused",
            "checkpointSha", "required");
      }
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(RefusingImpl.class);
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    stub = client.newWorkflowStub(Refusing.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("refusing").build());
    WorkflowClient.start(stub::run);
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void shouldHandTheClientEachKindWithItsFieldRuleAndDetail() {
    UpdateRefused forbidden = refusal("forbidden");
    UpdateRefused conflict = refusal("conflict");
    UpdateRefused invalid = refusal("invalid");

    assertThat(forbidden).isInstanceOf(UpdateRefused.Forbidden.class);
    assertThat(forbidden.kind()).isEqualTo(UpdateRefused.Kind.FORBIDDEN);
    assertThat(forbidden.detail()).isEqualTo("'eve' started this loop");
    assertThat(forbidden.field()).isNull();
    assertThat(conflict.kind()).isEqualTo(UpdateRefused.Kind.CONFLICT);
    assertThat(conflict.detail()).isEqualTo("no gate (of this loop): is waiting");
    assertThat(invalid.kind()).isEqualTo(UpdateRefused.Kind.INVALID);
    assertThat(invalid.field()).isEqualTo("checkpointSha");
    assertThat(invalid.rule()).isEqualTo("required");
    assertThat(invalid.detail()).isEqualTo("an approval must name (the checkpoint): it approves");
  }

  /**
   * Why refusals are plain exceptions with an encoded message rather than an {@code
   * ApplicationFailure} with a type and details: this SDK version loses both when a validator
   * throws one (temporalio/sdk-java#2875). This test fails on SDK 1.39.0 (tried with {@code
   * -Dtemporal.version=1.39.0}), where the type and details survive: after that upgrade delete it,
   * and let {@link UpdateRefused} carry its fields as failure details instead.
   */
  @Test
  void shouldLoseTheTypeAndDetailsOfAnApplicationFailureThrownFromAValidator() {
    ApplicationFailure failure = failure("application-failure");

    assertThat(failure.getOriginalMessage()).isEqualTo("refused");
    assertThat(failure.getType()).isNotEqualTo("Refused")
        .isEqualTo("io.temporal.internal.worker.WorkflowExecutionException");
    assertThat(failure.getDetails().get(0, String.class)).isNull();
    assertThat(UpdateRefused.from(failure)).isEmpty();
  }

  @Test
  void shouldNotReadOtherFailuresAsRefusals() {
    assertThat(UpdateRefused.from(ApplicationFailure.newFailure("boom", "java.lang.NullPointerException")))
        .isEmpty();
    assertThat(UpdateRefused.from(ApplicationFailure.newFailure("no parentheses",
        UpdateRefused.Invalid.class.getName()))).isEmpty();
  }

  @Test
  void shouldRefuseAFieldOrRuleTheEncodingCannotCarry() {
    assertThatThrownBy(() -> new UpdateRefused.Invalid("checkpoint sha", "required", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UpdateRefused.Invalid("checkpointSha", null, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private UpdateRefused refusal(String how) {
    return UpdateRefused.from(failure(how)).orElseThrow();
  }

  private ApplicationFailure failure(String how) {
    WorkflowUpdateException e =
        catchThrowableOfType(WorkflowUpdateException.class, () -> stub.change(how));
    assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) e.getCause();
  }
}
