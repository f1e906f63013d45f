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
        case "forbidden" -> throw UpdateRefused.forbidden("'eve' started this loop");
        case "conflict" -> throw UpdateRefused.conflict("no gate (of this loop): is waiting");
        case "invalid" -> throw UpdateRefused.invalid("checkpointSha", "required",
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
   * What refusals rely on: the SDK hands the client an {@code ApplicationFailure} thrown from a
   * validator with its message, type, details and non-retryable flag (SDK 1.38 lost the type and
   * details, temporalio/sdk-java#2875; fixed in 1.39.0 by sdk-java#3001).
   */
  @Test
  void shouldHandTheClientTheTypeAndDetailsOfAnApplicationFailureThrownFromAValidator() {
    ApplicationFailure failure = failure("application-failure");

    assertThat(failure.getOriginalMessage()).isEqualTo("refused");
    assertThat(failure.getType()).isEqualTo("Refused");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo("checkpointSha");
    assertThat(failure.getDetails().get(1, String.class)).isEqualTo("required");
    assertThat(UpdateRefused.from(failure)).isEmpty();
  }

  @Test
  void shouldCrossAsTheKindsStableTypeWithFieldAndRuleAsDetails() {
    ApplicationFailure forbidden = failure("forbidden");
    ApplicationFailure invalid = failure("invalid");

    assertThat(forbidden.getType()).isEqualTo("UpdateRefused.FORBIDDEN");
    assertThat(forbidden.getOriginalMessage()).isEqualTo("'eve' started this loop");
    assertThat(forbidden.getDetails().getSize()).isZero();
    assertThat(failure("conflict").getType()).isEqualTo("UpdateRefused.CONFLICT");
    assertThat(invalid.getType()).isEqualTo("UpdateRefused.INVALID");
    assertThat(invalid.getOriginalMessage())
        .isEqualTo("an approval must name (the checkpoint): it approves");
    assertThat(invalid.getDetails().get(0, String.class)).isEqualTo("checkpointSha");
    assertThat(invalid.getDetails().get(1, String.class)).isEqualTo("required");
  }

  @Test
  void shouldNotReadOtherFailuresAsRefusals() {
    assertThat(UpdateRefused.from(ApplicationFailure.newFailure("boom", "java.lang.NullPointerException")))
        .isEmpty();
    assertThat(UpdateRefused.from(ApplicationFailure.newFailure("no field or rule",
        UpdateRefused.Kind.INVALID.type()))).isEmpty();
    assertThat(UpdateRefused.from(ApplicationFailure.newFailure("a field but no rule",
        UpdateRefused.Kind.INVALID.type(), "checkpointSha"))).isEmpty();
  }

  @Test
  void shouldNameAFieldAndRuleForAnInvalidUpdateOnly() {
    assertThatThrownBy(() -> UpdateRefused.invalid("checkpointSha", null, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UpdateRefused.invalid(" ", "required", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UpdateRefused(UpdateRefused.Kind.CONFLICT, "checkpointSha",
        "required", "x")).isInstanceOf(IllegalArgumentException.class);
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
