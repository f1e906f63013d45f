package dev.forge.api.loops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.problems.Problem;
import dev.forge.workflows.loop.UpdateRefused;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/**
 * The HTTP answer to each kind of refused update, from the failure as the client receives it: the
 * refusal's kind as the failure type, its detail as the message and, for an invalid update, its
 * field and rule as the details (see {@link UpdateRefused}).
 */
class LoopsRefusalTest {

  private static final String LOOP = "loop-1";
  private static final String URI = "/api/loops/loop-1/gates/production_deploy/decision";

  @Test
  void shouldAnswerAForbiddenRefusalWith403AndItsDetail() {
    RuntimeException answer = Loops.refusal(rejected(UpdateRefused.forbidden(
        "'eve' started this loop and so may not decide its gates; another approver must")), LOOP);

    assertThat(answer).isInstanceOf(ApiException.class);
    Problem problem = ((ApiException) answer).toProblem(URI);
    assertThat(problem.status()).isEqualTo(403);
    assertThat(problem.type()).endsWith("/forbidden");
    assertThat(problem.detail())
        .isEqualTo("'eve' started this loop and so may not decide its gates; another approver must");
    assertThat(problem.errors()).isNull();
  }

  @Test
  void shouldAnswerAConflictWith409AndItsDetail() {
    RuntimeException answer = Loops.refusal(rejected(UpdateRefused.conflict(
        "the new cap must be above the current $5.00")), LOOP);

    Problem problem = ((ApiException) answer).toProblem(URI);
    assertThat(problem.status()).isEqualTo(409);
    assertThat(problem.type()).endsWith("/conflict");
    assertThat(problem.detail()).isEqualTo("the new cap must be above the current $5.00");
  }

  @Test
  void shouldAnswerAnInvalidUpdateWith400NamingFieldRuleAndDetail() {
    RuntimeException answer = Loops.refusal(rejected(UpdateRefused.invalid("backupRef",
        "required", "gate 'production_deploy' has require_backup: an approval must cite the"
            + " backup taken (e.g. a snapshot id)")), LOOP);

    assertThat(answer).isInstanceOf(InvalidInputException.class);
    assertThat(((InvalidInputException) answer).errors()).containsExactly(new FieldError(
        "backupRef", "required", "gate 'production_deploy' has require_backup: an approval must"
            + " cite the backup taken (e.g. a snapshot id)"));
    Problem problem = Problem.invalid(((InvalidInputException) answer).errors(), URI);
    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.detail()).startsWith("backupRef: gate 'production_deploy' has");
  }

  @Test
  void shouldHandOnAFailureThatIsNoRefusal() {
    WorkflowUpdateException e = new WorkflowUpdateException(execution(), "update-1", "decideGate",
        ApplicationFailure.newFailure("boom", "java.lang.NullPointerException"));

    assertThat(Loops.refusal(e, LOOP)).isSameAs(e);
  }

  /** The update's rejection as the client sees it: the SDK keeps the failure the validator threw. */
  private static WorkflowUpdateException rejected(ApplicationFailure refusal) {
    return new WorkflowUpdateException(execution(), "update-1", "decideGate", refusal);
  }

  private static WorkflowExecution execution() {
    return WorkflowExecution.newBuilder().setWorkflowId(LOOP).setRunId("run-1").build();
  }
}
