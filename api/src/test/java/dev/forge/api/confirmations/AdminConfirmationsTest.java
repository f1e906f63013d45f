package dev.forge.api.confirmations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.forge.api.identity.ApiUser;
import dev.forge.api.identity.Role;
import dev.forge.api.problems.ConfirmationRequiredException;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.api.security.MutableClock;
import dev.forge.audit.AuditLog;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminConfirmationsTest {

  private final MutableClock clock = new MutableClock();
  private final AuditLog audit = mock(AuditLog.class);
  private final AdminConfirmations confirmations =
      new AdminConfirmations(Duration.ofMinutes(2), clock, audit);
  private final ApiUser admin = new ApiUser("ada", Set.of(Role.ADMIN), List.of(), "token:aaaaaaaaaaaa");

  @Test
  void shouldAskForAConfirmationThenAcceptItOnceForTheSameAction() {
    String id = ask(admin, "create alice");

    confirmations.require(admin, id, "create alice", "creating alice");

    assertThatThrownBy(() -> confirmations.require(admin, id, "create alice", "creating alice"))
        .isInstanceOf(InvalidInputException.class);
    verify(audit).append(argThat(e -> e.action().equals("admin.confirmation.issued")
        && e.actor().equals("ada")));
  }

  @Test
  void shouldRefuseAndSpendAConfirmationSentWithAnotherAction() {
    String id = ask(admin, "create alice");

    InvalidInputException refused = catchThrowableOfType(InvalidInputException.class,
        () -> confirmations.require(admin, id, "create mallory as admin", "creating mallory"));
    assertThat(refused.errors()).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("Forge-Confirmation");
      assertThat(e.rule()).isEqualTo("confirmation");
    });
    assertThatThrownBy(() -> confirmations.require(admin, id, "create alice", "creating alice"))
        .as("spent by the refused attempt").isInstanceOf(InvalidInputException.class);
    verify(audit, times(2)).append(argThat(e -> e.action().equals("admin.confirmation.refused")));
  }

  @Test
  void shouldRefuseAConfirmationFromAnotherTokenOfTheSameUser() {
    String id = ask(admin, "revoke x");
    ApiUser sameNameOtherToken = new ApiUser("ada", Set.of(Role.ADMIN), List.of(), "token:bbbbbbbbbbbb");

    assertThatThrownBy(() -> confirmations.require(sameNameOtherToken, id, "revoke x", "revoking x"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void shouldRefuseAConfirmationAfterItExpires() {
    String id = ask(admin, "revoke x");
    clock.advance(Duration.ofMinutes(2));

    assertThatThrownBy(() -> confirmations.require(admin, id, "revoke x", "revoking x"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void shouldRefuseMadeUpConfirmations() {
    for (String made : List.of("x", "AAAAAAAAAAAAAAAAAAAAAA", "../../etc/passwd")) {
      assertThatThrownBy(() -> confirmations.require(admin, made, "revoke x", "revoking x"))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  private String ask(ApiUser caller, String action) {
    ConfirmationRequiredException asked = catchThrowableOfType(ConfirmationRequiredException.class,
        () -> confirmations.require(caller, null, action, "doing " + action));
    assertThat(asked).isNotNull();
    String id = asked.toProblem("/x").confirmation();
    assertThat(id).matches("[A-Za-z0-9_-]{22}");
    assertThat(asked.toProblem("/x").status()).isEqualTo(428);
    assertThat(asked.toProblem("/x").expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)).toString());
    return id;
  }
}
