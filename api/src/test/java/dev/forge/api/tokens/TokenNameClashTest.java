package dev.forge.api.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.forge.api.problems.FieldError;
import dev.forge.api.problems.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A new token's name may not be a group, its groups not user names, nor its own name. */
class TokenNameClashTest {

  private static final KnownNames.Names KNOWN =
      new KnownNames.Names(Set.of("lead", "dev"), Set.of("team-lead", "engineers"));

  private static TokenRequest request(String name, List<String> groups) {
    return TokenRequest.read(NewTokenBody.of(Map.of("name", name, "roles", List.of("approver"), "groups", groups)),
        Duration.ofDays(1), Duration.ofDays(90));
  }

  @Test
  void shouldRefuseANameThatIsAGroup() {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> request("team-lead", List.of()).refuseClashes(KNOWN));

    assertThat(e.errors()).extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple("name", "conflict"));
  }

  @Test
  void shouldRefuseGroupsThatAreUserNames() {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> request("rita", List.of("web", "dev")).refuseClashes(KNOWN));

    assertThat(e.errors()).extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple("groups[1]", "conflict"));
  }

  @Test
  void shouldRefuseAGroupNamedLikeTheTokensOwnUser() {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
        () -> request("rita", List.of("rita")));

    assertThat(e.errors()).extracting(FieldError::field, FieldError::rule)
        .containsExactly(tuple("groups[0]", "conflict"));
  }

  @Test
  void shouldAcceptAnExistingUserAgainAndExistingGroups() {
    request("lead", List.of("team-lead")).refuseClashes(KNOWN);
  }
}
