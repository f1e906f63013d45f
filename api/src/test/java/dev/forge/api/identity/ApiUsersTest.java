package dev.forge.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forge.api.ApiProperties;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiUsersTest {

  private static final String DEV_TOKEN = "forge_dev-token-0123456789";
  private static final String LEAD_TOKEN = "forge_lead-token-9876543210";

  private final ApiUsers users = new ApiUsers(new ApiProperties(List.of(
      new ApiProperties.User("dev", List.of("engineer"), List.of("engineers"), ApiUsers.hashOf(DEV_TOKEN)),
      new ApiProperties.User("lead", List.of("approver", "engineer"), List.of("team-lead"),
          ApiUsers.hashOf(LEAD_TOKEN).toUpperCase())),
      List.of()));

  @Test
  void shouldAuthenticateEachUserByTheirOwnToken() {
    assertThat(users.authenticate(DEV_TOKEN)).get().satisfies(u -> {
      assertThat(u.name()).isEqualTo("dev");
      assertThat(u.roles()).containsExactly(Role.ENGINEER);
    });
    assertThat(users.authenticate(LEAD_TOKEN)).get().satisfies(u -> {
      assertThat(u.roles()).containsExactlyInAnyOrder(Role.APPROVER, Role.ENGINEER);
      assertThat(u.groups()).containsExactly("team-lead");
    });
  }

  @Test
  void shouldRejectUnknownAlmostRightAndEmptyTokens() {
    assertThat(users.authenticate("forge_dev-token-012345678")).isEmpty();
    assertThat(users.authenticate(DEV_TOKEN + "x")).isEmpty();
    assertThat(users.authenticate("")).isEmpty();
    // the configured hash is not a token
    assertThat(users.authenticate(ApiUsers.hashOf(DEV_TOKEN))).isEmpty();
  }

  @Test
  void shouldRefuseConfigurationsThatWouldWeakenAuthentication() {
    assertThatThrownBy(() -> configure(new ApiProperties.User("dev", List.of("engineer"), List.of(), "abc")))
        .hasMessageContaining("token-sha256 must be 64 hex digits");
    assertThatThrownBy(() -> configure(new ApiProperties.User("dev", List.of(), List.of(), ApiUsers.hashOf("t"))))
        .hasMessageContaining("roles is empty");
    assertThatThrownBy(() -> configure(new ApiProperties.User("dev", List.of("root"), List.of(), ApiUsers.hashOf("t"))))
        .hasMessageContaining("unknown role 'root'; roles are viewer, engineer, approver, admin");
    assertThatThrownBy(() -> configure(
        new ApiProperties.User("a", List.of("engineer"), List.of(), ApiUsers.hashOf("same")),
        new ApiProperties.User("b", List.of("approver"), List.of(), ApiUsers.hashOf("same"))))
        .hasMessageContaining("shares its token");
    assertThatThrownBy(() -> configure(
        new ApiProperties.User("a", List.of("engineer"), List.of(), ApiUsers.hashOf("1")),
        new ApiProperties.User("a", List.of("approver"), List.of(), ApiUsers.hashOf("2"))))
        .hasMessageContaining("configured twice");
  }

  @Test
  void shouldRefuseAConfiguredUserNamedLikeAConfiguredGroup() {
    assertThatThrownBy(() -> configure(
        new ApiProperties.User("lead", List.of("approver"), List.of("team-lead"), ApiUsers.hashOf("1")),
        new ApiProperties.User("rita", List.of("approver"), List.of("lead"), ApiUsers.hashOf("2"))))
        .hasMessageContaining("'lead' is the name of a configured user and a group of rita");
    assertThatThrownBy(() -> configure(
        new ApiProperties.User("ops", List.of("approver"), List.of("ops"), ApiUsers.hashOf("1"))))
        .hasMessageContaining("names the user's own name 'ops'");
  }

  @Test
  void shouldHashTokensWithSha256Hex() {
    assertThat(ApiUsers.hashOf("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  private static ApiUsers configure(ApiProperties.User... users) {
    return new ApiUsers(new ApiProperties(List.of(users), List.of()));
  }
}
